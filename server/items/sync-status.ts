import { and, count, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems, plaidTransactions, syncRuns } from '../../db/schema';

const FIRST_SYNC_WINDOW_MS = 10 * 60_000;

export type SyncRunRow = typeof syncRuns.$inferSelect;

/** A sync run as the browser sees it (counts and times; errors in words). */
export function syncRunView(r: SyncRunRow) {
  return {
    id: r.id,
    itemId: r.itemId,
    kind: r.kind,
    status: r.status,
    trigger: r.trigger,
    pages: r.pages,
    added: r.added,
    modified: r.modified,
    removed: r.removed,
    updateStatus: r.updateStatus,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    createdAt: r.createdAt,
  };
}

/**
 * Per live item of the user: the latest sync run (or null), whether a sync is under way (queued or
 * running, or the item has never finished one), and how many transactions have arrived so far.
 */
export async function syncStatus(db: Db, input: { userId: string; itemId?: string }) {
  const items = await db
    .select({ id: plaidItems.id, lastSyncedAt: plaidItems.lastSyncedAt, status: plaidItems.status, createdAt: plaidItems.createdAt })
    .from(plaidItems)
    .where(and(eq(plaidItems.userId, input.userId), ne(plaidItems.status, 'REMOVED'), input.itemId ? eq(plaidItems.id, input.itemId) : undefined));
  if (items.length === 0) return [];
  const ids = items.map((i) => i.id);
  const [runs, counts] = await Promise.all([
    db.selectDistinctOn([syncRuns.itemId]).from(syncRuns).where(inArray(syncRuns.itemId, ids)).orderBy(syncRuns.itemId, desc(syncRuns.createdAt)),
    db
      .select({ itemId: plaidTransactions.itemId, n: count() })
      .from(plaidTransactions)
      .where(and(inArray(plaidTransactions.itemId, ids), isNull(plaidTransactions.removedAt)))
      .groupBy(plaidTransactions.itemId),
  ]);
  return items.map((item) => {
    const run = runs.find((r) => r.itemId === item.id) ?? null;
    const active = run ? run.status === 'QUEUED' || run.status === 'RUNNING' : false;
    // A new item whose bank has not yet sent its whole history: the first sync is still on its way
    // (for a while at most). A sync that found nothing yet (Plaid's NOT_READY) or only the recent
    // days (INITIAL_UPDATE_COMPLETE) does not end it: the transactions are still landing.
    const young = Date.now() - item.createdAt.getTime() < FIRST_SYNC_WINDOW_MS;
    const failed = run?.status === 'FAILED' || run?.status === 'LOGIN_REQUIRED';
    const historyIn = run?.updateStatus === 'HISTORICAL_UPDATE_COMPLETE';
    const firstSyncPending = item.status === 'ACTIVE' && young && !failed && (active || !item.lastSyncedAt || !historyIn);
    return {
      itemId: item.id,
      run: run ? syncRunView(run) : null,
      inProgress: active || firstSyncPending,
      transactionsStored: counts.find((c) => c.itemId === item.id)?.n ?? 0,
    };
  });
}
