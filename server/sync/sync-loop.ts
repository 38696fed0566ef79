import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';
import type { ItemRow } from '../items/item-access';
import { callForItem } from '../items/item-plaid';
import type { Logger } from '../logger';
import { AppError } from '../errors';
import { applySyncPage, type SyncPageData } from './apply-page';
import { isMutationDuringPagination } from './failures';
import { noteRestart } from './sync-runs';
import { inSpan } from '../telemetry/spans';

export const SYNC_PAGE_SIZE = 500;
/** Mutations keep landing: give up this attempt and let the function retry later with backoff. */
const MAX_RESTARTS = 5;

export interface LoopOptions {
  runId: string;
  pageSize?: number;
  /** Re-mine: start from an empty cursor whatever the item holds. */
  fromScratch?: boolean;
  /** Sees every page as Plaid sent it, after it committed (re-mine tracks the live ids). */
  onPage?: (page: SyncPageData) => void;
  /** Called when a pagination restarts from its first cursor. */
  onRestart?: () => void;
}

export interface LoopResult { pages: number; added: number; modified: number; removed: number; restarts: number; records: number; updateStatus: string | null }

/**
 * The /transactions/sync loop for one item, committing page by page (applySyncPage).
 *
 * TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION restarts from the cursor the pagination began
 * with — which, with per-page commits, is behind the cursor now stored. That is safe: Plaid (and
 * the emulator's change log) replays from that cursor everything since, in order, ending with the
 * change that interrupted us. Replayed pages hit rows already written: identical rows are skipped
 * (no write, no outbox record), rows changed since are rewritten in log order, so when the loop
 * reaches has_more = false the table equals Plaid's state again. The pagination's first cursor is
 * kept on the item (transactions_loop_cursor) while has_more, so a process that dies mid-loop and
 * resumes from a mid-pagination cursor still knows where a restart must go.
 */
export function runSyncLoop(db: Db, deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send'>, item: ItemRow, o: LoopOptions, log?: Logger): Promise<LoopResult> {
  // One span for the loop and one per page under it, with the page's row counts.
  return inSpan('sync.transactions', { attributes: { 'tributary.item_id': item.id, 'plaid.item_id': item.plaidItemId, 'tributary.sync.run_id': o.runId } }, async (span) => {
    const result = await syncPages(db, deps, item, o, log);
    span.setAttributes({
      'tributary.sync.pages': result.pages, 'tributary.sync.added': result.added, 'tributary.sync.modified': result.modified,
      'tributary.sync.removed': result.removed, 'tributary.sync.records': result.records, 'tributary.sync.restarts': result.restarts,
    });
    return result;
  });
}

async function syncPages(db: Db, deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send'>, item: ItemRow, o: LoopOptions, log?: Logger): Promise<LoopResult> {
  const count = o.pageSize ?? SYNC_PAGE_SIZE;
  let cursor = o.fromScratch ? '' : (item.transactionsCursor ?? '');
  let loopStart = o.fromScratch ? '' : (item.transactionsLoopCursor ?? cursor);
  const result: LoopResult = { pages: 0, added: 0, modified: 0, removed: 0, restarts: 0, records: 0, updateStatus: null };
  const target = { itemId: item.id, userId: item.userId, institution: { id: item.institutionId, name: item.institutionName }, runId: o.runId };
  for (;;) {
    const next = await inSpan('sync.page', { attributes: { 'tributary.item_id': item.id, 'tributary.sync.page': result.pages + 1 } }, async (span) => {
      let page: SyncPageData;
      try {
        page = await callForItem(db, deps, item, '/transactions/sync', (access_token) =>
          deps.plaid.transactionsSync({ access_token, count, ...(cursor ? { cursor } : {}) }), log);
      } catch (err) {
        if (!isMutationDuringPagination(err)) throw err;
        if (result.restarts >= MAX_RESTARTS) {
          throw new AppError('PLAID_RETRY_LATER', `Transactions kept changing during ${MAX_RESTARTS} paginations; try again later`, { cause: err });
        }
        result.restarts++;
        span.setAttribute('tributary.sync.restart', result.restarts);
        await noteRestart(db, o.runId);
        log?.info({ item_id: item.id, restarts: result.restarts }, 'transactions changed mid-pagination; restarting from the loop start cursor');
        o.onRestart?.();
        cursor = loopStart;
        return 'restart' as const;
      }
      const outcome = await applySyncPage(db, target, page, { keyring: deps.keyring, fetchedWith: cursor, loopStart, receivedAt: new Date() });
      o.onPage?.(page);
      result.pages++;
      result.added += page.added.length;
      result.modified += page.modified.length;
      result.removed += page.removed.length;
      result.records += outcome.records;
      result.updateStatus = page.transactions_update_status ?? null;
      span.setAttributes({
        ...(page.request_id ? { 'plaid.request_id': page.request_id } : {}), 'tributary.sync.added': page.added.length, 'tributary.sync.modified': page.modified.length,
        'tributary.sync.removed': page.removed.length, 'tributary.sync.records': outcome.records, 'tributary.sync.has_more': page.has_more,
      });
      cursor = page.next_cursor;
      return page.has_more ? ('more' as const) : ('done' as const);
    });
    if (next === 'done') return result;
  }
}
