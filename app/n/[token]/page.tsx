import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getDb } from '../../../db/client';
import { requireUser } from '../../../server/auth/guards';
import { authSecret } from '../../../server/auth/secret';
import { env } from '../../../server/env';
import { openButtonLink } from '../../../server/notifications/links';
import { AppHeader } from '../../_components/app-header';

export const dynamic = 'force-dynamic';

const problems = {
  expired: {
    title: 'This link has expired',
    body: 'For your security, the buttons in our emails only work for a few days. You can still fix the connection from your list of banks.',
  },
  used: {
    title: 'This link was already used',
    body: 'Each button in our emails works once. If the bank still needs you, you can reconnect it from your list of banks.',
  },
  other_user: {
    title: 'This link belongs to another account',
    body: "You're signed in as someone other than the person we emailed. Sign out and sign in with the account that received the email.",
  },
  invalid: {
    title: "This link doesn't work",
    body: 'It may have been cut short when it was copied. Open the button from the email again, or go to your list of banks.',
  },
} as const;

/**
 * The button in a notification email. Signed in first (the sign-in page brings the person back
 * here), then the single-use link is spent and the person lands on the bank, update mode ready;
 * an expired, used or foreign link says so in plain words.
 */
export default async function NotificationLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await requireUser(`/n/${token}`);
  const result = await openButtonLink(getDb().db, { secret: authSecret(env()), token, userId: user.id, now: new Date() });
  if (result.ok) redirect(result.purpose === 'update_mode' ? `/items/${result.itemId}?from=email` : '/link');
  const p = problems[result.problem];
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <section className="card" aria-labelledby="link-problem">
          <h1 id="link-problem">{p.title}</h1>
          <p>{p.body}</p>
          <p><Link href="/items" className="button-link">Go to your banks</Link></p>
        </section>
      </main>
    </>
  );
}
