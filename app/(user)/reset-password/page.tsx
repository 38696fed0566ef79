import Link from 'next/link';
import { getDb } from '../../../db/client';
import { checkPasswordResetLink } from '../../../server/auth/password-reset';
import { authSecret } from '../../../server/auth/secret';
import { env } from '../../../server/env';
import { ResetPasswordForm } from './_components/reset-password-form';

export const dynamic = 'force-dynamic';

const problems = {
  expired: { title: 'This reset link has expired', body: 'For your security, a reset link works for one hour. Ask for a new one below.' },
  used: { title: 'This reset link was already used', body: 'Each reset link works once. If you still need a new password, ask for another link.' },
  invalid: { title: "This reset link doesn't work", body: 'It may have been cut short when it was copied. Open the button in the email again, or ask for a new link.' },
} as const;

/** Where the reset email's button lands: a new password for a signed, unexpired, unused link. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ link?: string }> }) {
  const { link } = await searchParams;
  const check = link ? await checkPasswordResetLink(getDb().db, { secret: authSecret(env()), link, now: new Date() }) : ({ ok: false, problem: 'invalid' } as const);
  return (
    <main className="auth-page">
      <section className="card auth-card" aria-labelledby="reset-title">
        {check.ok ? (
          <>
            <h1 id="reset-title">Choose a new password</h1>
            <ResetPasswordForm token={check.token} />
          </>
        ) : (
          <>
            <h1 id="reset-title">{problems[check.problem].title}</h1>
            <p>{problems[check.problem].body}</p>
            <p className="auth-links">
              <Link href="/forgot-password">Ask for a new link</Link>
              <Link href="/sign-in">Back to sign in</Link>
            </p>
          </>
        )}
      </section>
    </main>
  );
}
