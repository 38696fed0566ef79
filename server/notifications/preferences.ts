import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { notificationPreferences } from '../../db/schema';

export interface EmailPreferences {
  /** Emails when a bank needs the person (reminders and "connected again" included). */
  itemAlertsEmail: boolean;
  unsubscribedAt: Date | null;
}

export async function getEmailPreferences(db: Db, userId: string): Promise<EmailPreferences> {
  const [row] = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return { itemAlertsEmail: row?.itemAlertsEmail ?? true, unsubscribedAt: row?.unsubscribedAt ?? null };
}

/** Turns bank alert emails on or off (the preferences page, or a one-click unsubscribe). Reminders re-check this before every send. */
export async function setItemAlertsEmail(db: Db, userId: string, enabled: boolean, now = new Date()): Promise<void> {
  const values = { itemAlertsEmail: enabled, unsubscribedAt: enabled ? null : now, updatedAt: now };
  await db
    .insert(notificationPreferences)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: values });
}
