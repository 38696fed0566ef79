import { requireUser } from '../../server/auth/guards';
import { OauthResume } from './_components/oauth-resume';

export const dynamic = 'force-dynamic';

/** Plaid's redirect_uri: the bank sent the person back here; Link carries on where it stopped. */
export default async function OauthReturnPage() {
  await requireUser('/oauth-return');
  return (
    <main className="auth-page">
      <section className="card auth-card" aria-labelledby="oauth-title">
        <h1 id="oauth-title">Finishing with your bank…</h1>
        <OauthResume />
      </section>
    </main>
  );
}
