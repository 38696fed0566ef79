import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { getItem } from '../items/item-access';
import type { Logger } from '../logger';
import { isRetriable } from './failures';
import { refreshItemAccounts, type RefreshAccountsResult } from './refresh-item-accounts';
import { runSyncLoop, type LoopResult } from './sync-loop';
import { failRun, finishRun, getSyncRun, markRunRunning } from './sync-runs';
import { removeTransactionsNotIn } from '../transactions/transaction-writes';

export interface RemineInput { itemId: string; runId: string; pageSize?: number; lastAttempt?: boolean }

/** Runs `work` against the remine's sync_runs row: RUNNING first, the failure recorded if it throws. */
async function onRun<T>(db: Db, input: RemineInput, work: () => Promise<T>): Promise<T> {
  const run = await getSyncRun(db, input.runId);
  if (run.itemId !== input.itemId || run.kind !== 'remine') throw new AppError('BAD_REQUEST', `Run ${input.runId} is not a re-mine of item ${input.itemId}`);
  await markRunRunning(db, input.runId);
  try {
    return await work();
  } catch (err) {
    await failRun(db, input.runId, err, { retriable: isRetriable(err), lastAttempt: input.lastAttempt ?? false });
    throw err;
  }
}

/** Re-mine, part 1: the accounts, reconciled (accounts gone at Plaid are marked removed). */
export function remineAccounts(db: Db, deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send'>, input: RemineInput, log?: Logger): Promise<RefreshAccountsResult> {
  return onRun(db, input, () => refreshItemAccounts(db, deps, { itemId: input.itemId, reconcile: true }, log));
}

export type RemineTransactionsResult = LoopResult & { reconciled: number };

/**
 * Re-mine, part 2: every transaction again from an empty cursor (upserts make the overlap with
 * what we hold harmless), then anything of the item Plaid did not return is marked removed —
 * with its change logged for the streams. A retry starts again from the empty cursor, so the set
 * of live ids is always complete when it is used.
 */
export function remineTransactions(db: Db, deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send'>, input: RemineInput, log?: Logger): Promise<RemineTransactionsResult> {
  return onRun(db, input, async () => {
    const item = await getItem(db, input.itemId);
    const live = new Set<string>();
    const loop = await runSyncLoop(db, deps, item, {
      runId: input.runId,
      pageSize: input.pageSize,
      fromScratch: true,
      onRestart: () => live.clear(),
      onPage: (page) => {
        for (const t of [...page.added, ...page.modified]) live.add(t.transaction_id);
        for (const r of page.removed) live.delete(r.transaction_id);
      },
    }, log?.child({ item_id: item.id, sync_run_id: input.runId }));
    const reconciled = await db.transaction(async (tx) => {
      const ctx = { userId: item.userId, itemId: item.id, receivedAt: new Date(), institution: { id: item.institutionId, name: item.institutionName }, sourceVersion: 'remine' };
      const gone = await removeTransactionsNotIn(tx, ctx, live);
      await finishRun(tx, input.runId);
      await tx.update(plaidItems).set({ lastSyncedAt: new Date() }).where(eq(plaidItems.id, item.id));
      return gone;
    });
    return { ...loop, reconciled };
  });
}
