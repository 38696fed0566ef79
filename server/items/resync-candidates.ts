import { sql } from 'drizzle-orm';
import { SYNCING_STATUSES } from './lifecycle';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { plaidItems, syncRuns } from '../../db/schema';

export interface ResyncPolicy {
  /** An ACTIVE item without a successful sync for this long is synced again. */
  staleHours: number;
  /** At most this many items per sweep, the longest-unsynced first: the sweep never floods Plaid. */
  limit: number;
}

export type ResyncReason = 'last_sync_failed' | 'stale';

export interface ResyncCandidate {
  itemId: string;
  reason: ResyncReason;
}

/**
 * Items that keep syncing (the lifecycle's SYNCING_STATUSES: ACTIVE and PENDING_DISCONNECT) whose transactions need a sync requested again: the latest sync run FAILED (its
 * retries ran out), or no successful sync for `staleHours` — the rule login-freshness applies at
 * sign-in, except that a new item's age counts from its creation (its first sync is on its way).
 * Items with a run queued or running since the cut-off are left to it; an older one is stuck and
 * does not count. ERROR, REVOKED and REMOVED items are never picked: an ERROR needs the person
 * (Link update mode), the others have ended. A pending disconnect still works until its deadline.
 */
export async function findResyncCandidates(db: Db, policy: ResyncPolicy, now = new Date()): Promise<ResyncCandidate[]> {
  // An ISO string with a cast: postgres.js binds no Date inside a raw sql template.
  const cutoff = new Date(now.getTime() - policy.staleHours * 3_600_000).toISOString();
  const result = await db.execute(sql`
    select i.id, r.status as last_status
    from ${plaidItems} i
    left join lateral (
      select s.status, s.created_at from ${syncRuns} s where s.item_id = i.id order by s.created_at desc limit 1
    ) r on true
    where i.status in (${sql.join(SYNCING_STATUSES.map((s) => sql`${s}`), sql`, `)})
      and (r.status = 'FAILED' or coalesce(i.last_synced_at, i.created_at) < ${cutoff}::timestamptz)
      and not (r.status is not null and r.status in ('QUEUED', 'RUNNING') and r.created_at >= ${cutoff}::timestamptz)
    order by coalesce(i.last_synced_at, i.created_at), i.id
    limit ${policy.limit}`);
  return rowsOf<{ id: string; last_status: string | null }>(result).map((r) => ({
    itemId: r.id,
    reason: r.last_status === 'FAILED' ? 'last_sync_failed' : 'stale',
  }));
}
