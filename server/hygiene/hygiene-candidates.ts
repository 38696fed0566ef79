import { and, eq, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { notifications, plaidAccounts, plaidItems, sessions, users } from '../../db/schema';
import { writeAudit } from '../audit';
import type { AppDeps } from '../deps';
import type { Logger } from '../logger';
import { removeAtPlaid } from '../items/remove-item';
import { clearAccountNumbers } from '../accounts/account-writes';

export interface HygienePolicy {
  /** Remove the items of users with no sign-in activity for this long. */
  inactiveDays: number;
  /** Remove items left unresolved in ERROR for this long. */
  errorDays: number;
  /** Remove the broken items of users who answered none of their last this-many notifications (Plaid's 10). */
  unansweredNotifications: number;
}

export type HygieneReason = 'user_inactive' | 'error_unresolved' | 'permission_revoked' | 'notifications_unanswered';

export interface HygieneCandidate {
  itemId: string;
  userId: string;
  reason: HygieneReason;
}

const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/**
 * Plaid's item hygiene: items nobody uses cost money and keep credentials alive. Candidates are
 * items of users inactive for `inactiveDays` (last sign-in or session activity, else sign-up), items in
 * ERROR for `errorDays`, and REVOKED items (see docs/DATA-POLICY.md).
 */
export async function findHygieneCandidates(db: Db, policy: HygienePolicy, now = new Date()): Promise<HygieneCandidate[]> {
  const lastActive = db
    .select({ userId: sessions.userId, at: sql<Date>`max(${sessions.updatedAt})`.as('at') })
    .from(sessions)
    .groupBy(sessions.userId)
    .as('last_active');
  const inactive = await db
    .select({ itemId: plaidItems.id, userId: plaidItems.userId })
    .from(plaidItems)
    .innerJoin(users, eq(users.id, plaidItems.userId))
    .leftJoin(lastActive, eq(lastActive.userId, plaidItems.userId))
    .where(
      and(
        ne(plaidItems.status, 'REMOVED'),
        // Last seen = the latest sign-in (users.last_seen_at survives sign-out) or session activity.
        // An ISO string with a cast: postgres.js binds no Date inside a raw sql template.
        sql`coalesce(greatest(${users.lastSeenAt}, ${lastActive.at}), ${users.createdAt}) < ${daysAgo(now, policy.inactiveDays).toISOString()}::timestamptz`,
      ),
    );
  const errored = await db
    .select({ itemId: plaidItems.id, userId: plaidItems.userId })
    .from(plaidItems)
    .where(and(eq(plaidItems.status, 'ERROR'), lt(plaidItems.erroredAt, daysAgo(now, policy.errorDays))));
  const revoked = await db
    .select({ itemId: plaidItems.id, userId: plaidItems.userId })
    .from(plaidItems)
    .where(and(eq(plaidItems.status, 'REVOKED'), isNull(plaidItems.removedAt)));
  const unanswered = await unansweredNotificationItems(db, policy.unansweredNotifications);
  const seen = new Set<string>();
  const out: HygieneCandidate[] = [];
  for (const [rows, reason] of [[revoked, 'permission_revoked'], [errored, 'error_unresolved'], [unanswered, 'notifications_unanswered'], [inactive, 'user_inactive']] as const) {
    for (const r of rows) {
      if (seen.has(r.itemId)) continue;
      seen.add(r.itemId);
      out.push({ ...r, reason });
    }
  }
  return out;
}

/**
 * Items of people who answered none of their last `n` notifications asking for an action (Plaid:
 * "users who haven't responded to an action in the last 10 notifications"): none of those emails'
 * buttons followed and none of their problems fixed. Only the items still needing the action go.
 */
async function unansweredNotificationItems(db: Db, n: number): Promise<Array<{ itemId: string; userId: string }>> {
  const result = await db.execute(sql`
    with ranked as (
      select user_id, opened_at, resolved_at,
             row_number() over (partition by user_id order by coalesce(sent_at, created_at) desc) as rn
      from ${notifications}
      where status = 'sent' and kind not in ('reconnected', 'new_accounts')
    ), quiet as (
      select user_id from ranked where rn <= ${n}
      group by user_id
      having count(*) = ${n} and count(opened_at) = 0 and count(resolved_at) = 0
    )
    select i.id as item_id, i.user_id from ${plaidItems} i join quiet q on q.user_id = i.user_id
    where i.status in ('ERROR', 'PENDING_DISCONNECT') and i.removed_at is null`);
  return rowsOf<{ item_id: string; user_id: string }>(result).map((r) => ({ itemId: r.item_id, userId: r.user_id }));
}

/**
 * Removes one candidate at Plaid and marks it REMOVED, audited as a system action. For a revoked
 * item the stored account and routing numbers are deleted too: the user withdrew that permission.
 */
export async function applyHygiene(db: Db, deps: AppDeps, candidate: HygieneCandidate, log?: Logger): Promise<void> {
  const [item] = await db.select().from(plaidItems).where(eq(plaidItems.id, candidate.itemId));
  if (!item || item.removedAt) return;
  // A revoked item keeps its REVOKED status (the reason people see), with removedAt set.
  await removeAtPlaid(db, deps, item, log, { keepRevoked: true, reason: candidate.reason });
  if (candidate.reason === 'permission_revoked') {
    await clearAccountNumbers(db, item.id);
  }
  await writeAudit(db, {
    actorId: null,
    actorKind: 'system',
    action: 'item.hygiene_remove',
    subjectUserId: item.userId,
    itemId: item.id,
    reason: candidate.reason,
    details: { previousStatus: item.status },
  });
  log?.info({ item_id: item.id, reason: candidate.reason }, 'Item removed by hygiene policy');
}
