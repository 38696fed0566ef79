import { redirect } from 'next/navigation';
import { demoUsers, DEMO_PASSWORD } from '../../../server/auth/demo-users';
import { currentUser } from '../../../server/auth/session';
import { env } from '../../../server/env';
import { SignInForm } from './_components/sign-in-form';

export const dynamic = 'force-dynamic';

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  // Without one, `/` sends each person to their home: the dashboard, or the console for support staff.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  if (await currentUser()) redirect(safeNext(next));
  const demos = env().plaidEnv === 'emulator' ? demoUsers.map((d) => ({ email: d.email, role: d.role })) : [];
  return (
    <main className="auth-page">
      <section className="card auth-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Tributary</h1>
        <SignInForm next={safeNext(next)} />
        {demos.length > 0 && (
          <aside className="demo-accounts" aria-label="Demo accounts">
            <h2>Demo accounts (emulator mode)</h2>
            <ul>
              {demos.map((d) => (
                <li key={d.email}>
                  <code>{d.email}</code> <span className="muted">({d.role})</span>
                </li>
              ))}
            </ul>
            <p className="muted">
              Password: <code>{DEMO_PASSWORD}</code>
            </p>
          </aside>
        )}
      </section>
    </main>
  );
}
