import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { notifications } from '../../db/schema';

/** A person's notifications for the support console, newest first: what went out, how it went, and whether they followed it. */
export async function userNotifications(db: Db, o: { userId: string; limit: number }) {
  return db
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
}
