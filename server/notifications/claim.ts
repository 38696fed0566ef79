import { and, desc, eq, gte, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { notificationPreferences, notifications, plaidItems } from '../../db/schema';
import { type NotificationKind, problemFor } from './kinds';
import { replacementsOf } from '../items/item-access';

/**
 * Deciding that a notification goes out, once. Every (item, problem, round) has one idempotency
 * key and so at most one row; the decision re-reads the item and the person's preferences under a
 * per-person lock, so a repair, a removal or an unsubscribe that came first stops it, and two banks
 * breaking together end up in one email (one `message_key`).
 */
export interface ClaimInput {
  userId: string;
  itemId: string;
  kind: NotificationKind;
  /** What this problem is: reminders of one problem share it (null for one-off kinds keyed by the event). */
  problemKey: string;
  round: number;
  now: Date;
}

export type ClaimResult =
  | { send: true; messageKey: string }
  | { send: false; why: 'already_sent' | 'in_another_email' | 'item_changed' | 'unsubscribed' | 'sent_today' | 'nothing_to_reconnect' };

/** Outcomes after which the problem's reminders go on (the person heard, or will, about it). */
export const keepsReminding = (r: { send: boolean; why?: string }) => r.send || r.why === 'already_sent' || r.why === 'in_another_email' || r.why === 'sent_today';

const DAY_MS = 86_400_000;

export const notificationKey = (itemId: string, problemKey: string, round: number) => `${itemId}:${problemKey}:${round}`;

async function emailAllowed(tx: Tx, userId: string): Promise<boolean> {
  const [prefs] = await tx.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return prefs ? prefs.itemAlertsEmail : true;
}

type ItemRow = typeof plaidItems.$inferSelect;

/** The problem an item's row shows (a consent expiry without a disconnect date is PENDING_EXPIRATION). */
function itemProblem(item: ItemRow) {
  if (item.status === 'PENDING_DISCONNECT') return problemFor(item.status, item.consentExpiresAt && !item.disconnectAt ? 'PENDING_EXPIRATION' : 'PENDING_DISCONNECT');
  return problemFor(item.status, item.errorCode);
}

/** Is the item still in the state this kind of notification is about? */
function stillApplies(item: ItemRow, kind: NotificationKind): boolean {
  if (kind === 'reconnected') return item.status === 'ACTIVE';
  if (kind === 'new_accounts') return item.status === 'ACTIVE' && item.newAccountsAvailable;
  if (kind === 'pending_disconnect' || kind === 'pending_expiration') return item.status === 'PENDING_DISCONNECT';
  return itemProblem(item) === kind;
}

export async function claimNotification(db: Db, input: ClaimInput): Promise<ClaimResult> {
  const key = notificationKey(input.itemId, input.problemKey, input.round);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`notify:${input.userId}`}))`);
    const [existing] = await tx.select().from(notifications).where(eq(notifications.idempotencyKey, key));
    if (existing) {
      // The email's first row (message_key = its idempotency key) belongs to the run that sends it;
      // a row another bank's run put in its email is sent by that run.
      if (existing.messageKey !== key) return { send: false, why: 'in_another_email' } as const;
      return existing.status === 'pending' || existing.status === 'failed'
        ? ({ send: true, messageKey: existing.messageKey } as const)
        : ({ send: false, why: 'already_sent' } as const);
    }
    const [item] = await tx.select().from(plaidItems).where(and(eq(plaidItems.id, input.itemId), eq(plaidItems.userId, input.userId)));
    if (!item || !stillApplies(item, input.kind)) return { send: false, why: 'item_changed' } as const;
    // A revoked bank the person has linked again no longer needs them (its reminders stop too).
    if (item.status === 'REVOKED' && (await replacementsOf(tx as unknown as Db, item.userId, [item])).size > 0) {
      return { send: false, why: 'item_changed' } as const;
    }
    if (!(await emailAllowed(tx, input.userId))) return { send: false, why: 'unsubscribed' } as const;

    if (input.kind === 'reconnected') {
      // Only a person we told about the problem hears that it is fixed.
      const told = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.itemId, input.itemId), eq(notifications.status, 'sent'), isNull(notifications.resolvedAt), ne(notifications.kind, 'reconnected'), ne(notifications.kind, 'new_accounts')))
        .limit(1);
      if (told.length === 0) return { send: false, why: 'nothing_to_reconnect' } as const;
    }

    // Never two mails about one item's problem on one day; a bank already in a digest today is covered.
    const [today] = await tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.itemId, input.itemId), eq(notifications.kind, input.kind), gte(notifications.createdAt, new Date(input.now.getTime() - DAY_MS)), ne(notifications.status, 'skipped')))
      .orderBy(desc(notifications.createdAt))
      .limit(1);
    if (today) {
      if (today.problemKey === null) {
        // Put in a digest by another bank's run: this run adopts the row as its own notification.
        await tx.update(notifications).set({ idempotencyKey: key, problemKey: input.problemKey, round: input.round }).where(eq(notifications.id, today.id));
        return { send: false, why: 'in_another_email' } as const;
      }
      return { send: false, why: 'sent_today' } as const;
    }

    const messageKey = key;
    const rows: Array<typeof notifications.$inferInsert> = [
      { idempotencyKey: key, userId: input.userId, itemId: input.itemId, kind: input.kind, problemKey: input.problemKey, round: input.round, messageKey, createdAt: input.now },
    ];
    if (input.kind !== 'reconnected' && input.kind !== 'new_accounts') rows.push(...(await companions(tx, input, messageKey)));
    await tx.insert(notifications).values(rows);
    return { send: true, messageKey } as const;
  });
}

/**
 * The person's other banks that go in the same email: on a first mail, every other bank with a
 * problem not mailed about today (it broke at about the same time); on a reminder, the banks that
 * shared the previous email and still have their problem.
 */
async function companions(tx: Tx, input: ClaimInput, messageKey: string): Promise<Array<typeof notifications.$inferInsert>> {
  const others = await tx
    .select()
    .from(plaidItems)
    .where(and(eq(plaidItems.userId, input.userId), ne(plaidItems.id, input.itemId), inArray(plaidItems.status, ['ERROR', 'PENDING_DISCONNECT', 'REVOKED'])));
  const out: Array<typeof notifications.$inferInsert> = [];
  if (input.round === 0) {
    for (const other of others) {
      const kind = itemProblem(other);
      if (!kind) continue;
      const [recent] = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.itemId, other.id), eq(notifications.kind, kind), gte(notifications.createdAt, new Date(input.now.getTime() - DAY_MS))))
        .limit(1);
      if (recent) continue;
      out.push({ idempotencyKey: `digest:${messageKey}:${other.id}`, userId: input.userId, itemId: other.id, kind, problemKey: null, round: 0, messageKey, createdAt: input.now });
    }
    return out;
  }
  const [previous] = await tx
    .select({ messageKey: notifications.messageKey })
    .from(notifications)
    .where(eq(notifications.idempotencyKey, notificationKey(input.itemId, input.problemKey, input.round - 1)));
  if (!previous) return out;
  const shared = await tx.select().from(notifications).where(and(eq(notifications.messageKey, previous.messageKey), ne(notifications.itemId, input.itemId)));
  for (const row of shared) {
    const other = others.find((o) => o.id === row.itemId);
    if (!other || !row.problemKey || !stillApplies(other, row.kind as NotificationKind)) continue;
    const otherKey = notificationKey(other.id, row.problemKey, input.round);
    const [taken] = await tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.idempotencyKey, otherKey));
    if (taken) continue;
    out.push({ idempotencyKey: otherKey, userId: input.userId, itemId: other.id, kind: row.kind, problemKey: row.problemKey, round: input.round, messageKey, createdAt: input.now });
  }
  return out;
}

/** A problem ended (repair, removal): its notifications are answered or moot. */
export async function resolveItemNotifications(db: Db, o: { itemId: string; now: Date }): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ resolvedAt: o.now })
    .where(and(eq(notifications.itemId, o.itemId), isNull(notifications.resolvedAt), ne(notifications.kind, 'reconnected')))
    .returning({ id: notifications.id });
  return rows.length;
}
