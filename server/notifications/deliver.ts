import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { notifications, plaidItems, users } from '../../db/schema';
import { safeErrorMessage } from '../safe-error';
import { actionFor, copyFor, digestCopy, type NotificationKind } from './kinds';
import { createButtonLink, unsubscribeToken } from './links';
import type { Mailer } from './mailer';
import { renderItemEmail, type EmailSection } from './templates/item-email';

/** What sending needs besides the database: the SMTP mailer and the words for links. */
export interface Notifier {
  mailer: Mailer;
  appUrl: string;
  /** Signs the links in emails (the app's auth secret). */
  secret: string;
  linkTtlHours: number;
  maxReminders: number;
  digestWindowSeconds: number;
  now: () => Date;
}

export type DeliverResult = { status: 'sent'; smtpMessageId: string } | { status: 'already_sent' } | { status: 'bounced'; error: string };

/** Thrown when the SMTP server refused for good (5xx): retrying cannot help. */
export class MailBouncedError extends Error {
  name = 'MailBouncedError';
}

const day = (d: Date | null) => (d ? d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }) : null);

/**
 * Sends the email a claimed notification belongs to (one bank, or a digest of several), once:
 * rendered from the rows and the items as they are now; sent with a Message-ID fixed by the
 * notification, so a retry after a crash is the same message; the rows record the outcome. A
 * temporary SMTP failure records `failed` and throws (the function retries with backoff); a
 * permanent refusal records `bounced`.
 */
export async function deliverMessage(db: Db, n: Notifier, messageKey: string): Promise<DeliverResult> {
  const rows = await db.select().from(notifications).where(eq(notifications.messageKey, messageKey));
  if (rows.length === 0) throw new Error(`No notification rows for message ${messageKey}`);
  if (rows.every((r) => r.status === 'sent')) return { status: 'already_sent' };
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, rows[0]!.userId));
  if (!user) throw new Error('The notification names a person who no longer exists');
  const items = await db.select().from(plaidItems).where(inArray(plaidItems.id, rows.map((r) => r.itemId!)));
  const now = n.now();

  const sections: EmailSection[] = [];
  let subject = '';
  for (const row of rows) {
    const item = items.find((i) => i.id === row.itemId)!;
    const bank = item.institutionName ?? 'Your bank';
    const kind = row.kind as NotificationKind;
    const copy = copyFor(kind, bank, { deadline: day(item.consentExpiresAt ?? item.disconnectAt) });
    subject = copy.subject;
    const buttonUrl =
      kind === 'reconnected'
        ? `${n.appUrl}/items/${item.id}`
        : await createButtonLink(db, { secret: n.secret, appUrl: n.appUrl, notificationId: row.id, userId: row.userId, itemId: item.id, purpose: actionFor(kind), ttlHours: n.linkTtlHours, now });
    sections.push({ bank, headline: copy.headline, happened: copy.happened, ifIgnored: copy.ifIgnored, button: copy.button, buttonUrl });
  }
  const first = copyFor(rows[0]!.kind as NotificationKind, sections[0]!.bank);
  const digest = sections.length > 1 ? digestCopy(sections.map((s) => s.bank)) : null;
  if (digest) subject = digest.subject;
  const unsubscribeUrl = `${n.appUrl}/api/notifications/unsubscribe?token=${await unsubscribeToken(n.secret, rows[0]!.userId)}`;
  const { html, text } = await renderItemEmail({
    preview: digest ? digest.headline : first.happened,
    headline: digest ? digest.headline : first.headline,
    why: digest ? digest.why : first.why,
    sections,
    preferencesUrl: `${n.appUrl}/settings/notifications`,
    unsubscribeUrl,
    singleUseButtons: rows.some((r) => r.kind !== 'reconnected'),
  });

  const host = new URL(n.appUrl).hostname || 'tributary.local';
  const messageId = `<${createHash('sha256').update(messageKey).digest('hex').slice(0, 32)}@${host}>`;
  const ids = rows.map((r) => r.id);
  try {
    const sent = await n.mailer.send({
      to: user.email,
      subject,
      html,
      text,
      messageId,
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    await db
      .update(notifications)
      .set({ status: 'sent', smtpMessageId: sent.messageId, subject, sentAt: now, lastError: null, attempts: sql`${notifications.attempts} + 1` })
      .where(inArray(notifications.id, ids));
    return { status: 'sent', smtpMessageId: sent.messageId };
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    const permanent = typeof code === 'number' && code >= 500;
    await db
      .update(notifications)
      .set({ status: permanent ? 'bounced' : 'failed', subject, lastError: safeErrorMessage(err), attempts: sql`${notifications.attempts} + 1` })
      .where(and(inArray(notifications.id, ids)));
    if (permanent) return { status: 'bounced', error: safeErrorMessage(err) };
    throw err;
  }
}
