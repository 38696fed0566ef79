import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { notifications } from '../../db/schema';
import { deliveryProblemWords } from './delivery-words';

/**
 * A person's notifications for the support console, newest first: what went out, how it went, and
 * whether they followed it. Why one did not go out is said in words (`problem`); the mail library's
 * own text stays in the table and the log.
 */
export async function userNotifications(db: Db, o: { userId: string; limit: number }) {
  const rows = await db
    .select({
      id: notifications.id,
      itemId: notifications.itemId,
      kind: notifications.kind,
      round: notifications.round,
      status: notifications.status,
      subject: notifications.subject,
      smtpMessageId: notifications.smtpMessageId,
      attempts: notifications.attempts,
      lastError: notifications.lastError,
      createdAt: notifications.createdAt,
      sentAt: notifications.sentAt,
      openedAt: notifications.openedAt,
      resolvedAt: notifications.resolvedAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, o.userId))
    .orderBy(desc(notifications.createdAt))
    .limit(o.limit);
  return rows.map(({ lastError, ...n }) => ({ ...n, problem: lastError && n.status !== 'sent' ? deliveryProblemWords(lastError) : null }));
}
