import Link from 'next/link';
import { authSecret } from '../../server/auth/secret';
import { env } from '../../server/env';
import { readUnsubscribeToken } from '../../server/notifications/links';

export const dynamic = 'force-dynamic';

/** Where an email's unsubscribe link lands: one button confirms (no sign-in needed). */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<{ token?: string; done?: string; problem?: string }> }) {
  const { token, done, problem } = await searchParams;
  // A link that is not one of ours says so at once, before the person presses anything.
  const valid = token ? (await readUnsubscribeToken(authSecret(env()), token)) !== null : false;
  return (
    <main className="auth-page">
      <section className="card auth-card" aria-labelledby="unsubscribe-title">
        {done ? (
          <>
            <h1 id="unsubscribe-title">You&apos;re unsubscribed</h1>
            <p>We won&apos;t email you when a bank needs attention. You&apos;ll still see it in the app when you sign in.</p>
            <p><Link href="/settings/notifications">Change your email preferences</Link></p>
          </>
        ) : problem || !token || !valid ? (
          <>
            <h1 id="unsubscribe-title">This unsubscribe link doesn&apos;t work</h1>
            <p>It may have been cut short when it was copied. You can turn emails off in your email preferences after signing in.</p>
            <p><Link href="/settings/notifications">Email preferences</Link></p>
          </>
        ) : (
          <>
            <h1 id="unsubscribe-title">Stop bank alert emails?</h1>
            <p>We email you only when a connected bank needs you, with a few reminders, and when it&apos;s connected again. If you stop them, you&apos;ll only see these alerts in the app.</p>
            <form method="post" action={`/api/notifications/unsubscribe?token=${encodeURIComponent(token)}&via=page`}>
              <button type="submit">Unsubscribe</button>
            </form>
          </>
        )}
      </section>
    </main>
  );
}
