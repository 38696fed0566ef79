import { requireUser } from '../../../server/auth/guards';
import { AppHeader } from '../../_components/app-header';
import { LinkButton } from '../../_components/link/link-button';

export const dynamic = 'force-dynamic';

/** The short screen before Plaid Link: why, and how credentials stay away from us. */
export default async function LinkPage() {
  const user = await requireUser('/link');
  return (
    <>
      <AppHeader user={user} />
      <main className="page narrow">
        <section className="card prelink" aria-labelledby="prelink-title">
          <h1 id="prelink-title">Link your bank</h1>
          <p>
            Tributary reads your balances and transactions so you can see all your money in one place, spot where it
            goes, and get cash advances based on your real income.
          </p>
          <ul className="reasons">
            <li>Read-only: we can see balances and transactions; we cannot move money.</li>
            <li>You can disconnect a bank here at any time.</li>
          </ul>
          <div className="security">
            <svg className="lock" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
              <path d="M7 10V7a5 5 0 0 1 10 0v3h1a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V11a1 1 0 0 1 1-1h1Zm2 0h6V7a3 3 0 0 0-6 0v3Z" fill="currentColor" />
            </svg>
            <p>
              <strong>We use Plaid to connect your bank.</strong> You sign in to your bank inside Plaid&apos;s window:
              your username and password go to your bank through Plaid and are never seen or stored by Tributary.
              Your data is encrypted in transit and at rest.
            </p>
          </div>
          <LinkButton target={{ kind: 'new' }} label="Continue to Plaid" />
        </section>
      </main>
    </>
  );
}
