import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { metrics } from './registry';

export type SyncOutcome = 'succeeded' | 'failed' | 'login_required';

/** A finished sync run, as sync_runs holds it. */
export interface FinishedSync { id: string; itemId: string; startedAt: Date | null; finishedAt: Date | null }

/**
 * The webhook→synced lag (`tributary_webhook_to_synced_seconds`): when a sync run ends, one
 * observation per webhook whose news it took in — the item's verified webhooks that asked for a
 * sync, received after the previous successful sync started and before this one did (a sync reads
 * Plaid from its start, so a webhook received while it ran waits for the next) — of the seconds
 * from the webhook's `received_at` to the run's end. Debounced webhooks each count; a sync started
 * for another reason (link, sweep, manual) that takes in a webhook's news counts too, as that is
 * when the data arrived. Returns the lags observed. Times are bound as text: postgres.js binds no
 * Date inside raw sql.
 */
export async function observeWebhookLag(db: Db, run: FinishedSync, outcome: SyncOutcome): Promise<number[]> {
  if (!run.startedAt || !run.finishedAt) return [];
  const started = run.startedAt.toISOString();
  const rows = rowsOf<{ secs: number }>(await db.execute(sql`
    select extract(epoch from ${run.finishedAt.toISOString()}::timestamptz - w.received_at)::float8 as secs
    from plaid_webhooks w
    where w.item_id = ${run.itemId} and w.verified and w.follow_ups->>'syncItemId' is not null
      and w.received_at <= ${started}::timestamptz
      and w.received_at > coalesce((
        select max(r.started_at) from sync_runs r
        where r.item_id = ${run.itemId} and r.status = 'SUCCEEDED' and r.id <> ${run.id} and r.started_at < ${started}::timestamptz
      ), '-infinity'::timestamptz)`));
  const lags = rows.map((r) => Math.max(0, Number(r.secs)));
  const histogram = metrics().webhookToSyncedSeconds;
  for (const secs of lags) histogram.observe({ outcome }, secs);
  return lags;
}
