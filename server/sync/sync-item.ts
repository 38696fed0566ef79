import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import type { AppDeps } from '../deps';
import { getItem } from '../items/item-access';
import { DEAD_ITEM_STATUSES } from '../items/lifecycle';
import type { Logger } from '../logger';
import { isRetriable } from './failures';
import { runSyncLoop, type LoopResult } from './sync-loop';
import { failRun, finishRun, markRunRunning, openSyncRun } from './sync-runs';
import { safeErrorMessage } from '../safe-error';
import { observeWebhookLag, type FinishedSync, type SyncOutcome } from '../metrics/webhook-lag';

/** The webhook→synced lag of a finished run: a figure, so a failure to read it never fails the sync. */
async function observeLag(db: Db, run: FinishedSync, outcome: SyncOutcome, log?: Logger): Promise<void> {
  try {
    await observeWebhookLag(db, run, outcome);
  } catch (err) {
    log?.warn({ err: safeErrorMessage(err) }, 'webhook→synced lag not observed');
  }
}

export interface SyncItemInput {
  itemId: string;
  /** The sync_runs row to fill (a retry passes the same one); a new row is opened when absent. */
  runId?: string;
  trigger?: string;
  pageSize?: number;
  /** This is the function's last attempt: a retriable failure ends the run as FAILED. */
  lastAttempt?: boolean;
}

export type SyncItemResult =
  | ({ status: 'SUCCEEDED'; runId: string } & LoopResult)
  | { status: 'SKIPPED'; runId: null; reason: string };

/**
 * Brings one item's transactions (and the balances that come with them) in step with Plaid and
 * records it in sync_runs. Throws on failure after recording it on the run: ITEM_LOGIN_REQUIRED
 * has already put the item in ERROR (callForItem) and ends the run as LOGIN_REQUIRED; whether
 * any other failure is worth retrying is `isRetriable(err)`.
 */
export async function syncItemTransactions(db: Db, deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send'>, input: SyncItemInput, log?: Logger): Promise<SyncItemResult> {
  const item = await getItem(db, input.itemId);
  if (DEAD_ITEM_STATUSES.includes(item.status)) return { status: 'SKIPPED', runId: null, reason: `item is ${item.status}` };
  const runId = input.runId ?? (await openSyncRun(db, { itemId: item.id, trigger: input.trigger ?? null }));
  if (input.runId) await markRunRunning(db, runId);
  const itemLog = log?.child({ item_id: item.id, sync_run_id: runId });
  try {
    const loop = await runSyncLoop(db, deps, item, { runId, pageSize: input.pageSize }, itemLog);
    const finished = await db.transaction(async (tx) => {
      const run = await finishRun(tx, runId);
      await tx.update(plaidItems).set({ lastSyncedAt: new Date() }).where(eq(plaidItems.id, item.id));
      return run;
    });
    await observeLag(db, finished, 'succeeded', itemLog);
    itemLog?.info({ pages: loop.pages, added: loop.added, modified: loop.modified, removed: loop.removed, restarts: loop.restarts }, 'transactions synced');
    return { status: 'SUCCEEDED', runId, ...loop };
  } catch (err) {
    const retriable = isRetriable(err);
    const failed = await failRun(db, runId, err, { retriable, lastAttempt: input.lastAttempt ?? false });
    if (failed && failed.status !== 'RUNNING') await observeLag(db, failed, failed.status === 'LOGIN_REQUIRED' ? 'login_required' : 'failed', itemLog);
    itemLog?.warn({ err: safeErrorMessage(err), retriable }, 'transactions sync failed');
    throw err;
  }
}
