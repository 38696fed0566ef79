import { TransactionsUpdateStatus, type RemovedTransaction, type Transaction } from 'plaid';
import type { Ctx } from './context';
import { invalidField, plaidError } from './errors';
import { takeSyncMutation } from './faults';
import { appendChanges } from './pull';
import type { ItemRecord } from './state';

/**
 * /transactions/sync over an item's append-only change log. A cursor is a position in that log;
 * mid-pagination cursors also carry the log length when the loop started, so a change that lands
 * during the loop is detected (TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION) and restarting from
 * the loop's first cursor replays exactly what changed. Pages are slices: O(count) per call.
 */
interface Cursor { p: number; e: number | null }

function encode(item: ItemRecord, c: Cursor): string {
  const raw = c.e === null ? `v1.${item.itemId.slice(0, 8)}.${c.p}` : `v1.${item.itemId.slice(0, 8)}.${c.p}.${c.e}`;
  return Buffer.from(raw).toString('base64url');
}

function decode(item: ItemRecord, cursor: string | undefined): Cursor {
  if (!cursor) return { p: 0, e: null };
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
  const [v, tag, p, e] = parts;
  const pos = Number(p);
  const end = e === undefined ? null : Number(e);
  if (v !== 'v1' || tag !== item.itemId.slice(0, 8) || !Number.isInteger(pos) || pos < 0 || pos > item.log.length || (end !== null && (!Number.isInteger(end) || end < pos))) {
    throw invalidField('cursor is not a valid cursor for this item');
  }
  return { p: pos, e: end };
}

export interface SyncPage {
  added: Transaction[];
  modified: Transaction[];
  removed: RemovedTransaction[];
  next_cursor: string;
  has_more: boolean;
  transactions_update_status: TransactionsUpdateStatus;
}

export interface SyncInput { cursor?: string; count: number; accountId?: string; includeOriginalDescription?: boolean }

export function syncPage(ctx: Ctx, item: ItemRecord, input: SyncInput): SyncPage {
  const wasSynced = item.syncedOnce;
  item.syncedOnce = true;
  if (!wasSynced) ctx.changed();
  const status = item.updateStatus;
  if (item.log.length === 0 && !input.cursor) {
    return { added: [], modified: [], removed: [], next_cursor: '', has_more: false, transactions_update_status: status };
  }
  const c = decode(item, input.cursor);
  let end: number;
  if (c.e !== null && c.p < c.e) {
    if (takeSyncMutation(ctx)) mutateOne(ctx, item);
    if (item.log.length !== c.e) throw plaidError('TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
    end = c.e;
  } else {
    end = item.log.length;
  }
  const added: Transaction[] = [];
  const modified: Transaction[] = [];
  const removed: RemovedTransaction[] = [];
  let pos = c.p;
  let taken = 0;
  const log = item.log;
  const describe = input.includeOriginalDescription === true;
  while (pos < end && taken < input.count) {
    const e = log[pos++];
    if (!e || (input.accountId && e.tx.account_id !== input.accountId)) continue;
    taken++;
    if (e.op === 'removed') removed.push({ transaction_id: e.tx.transaction_id, account_id: e.tx.account_id });
    else (e.op === 'added' ? added : modified).push(describe ? { ...e.tx, original_description: e.tx.name } : e.tx);
  }
  // With an account filter, skip trailing entries of other accounts so has_more is exact.
  if (input.accountId) while (pos < end && log[pos]?.tx.account_id !== input.accountId) pos++;
  const hasMore = pos < end;
  return { added, modified, removed, next_cursor: encode(item, { p: pos, e: hasMore ? end : null }), has_more: hasMore, transactions_update_status: status };
}

/** The injected mutation: a real change (one amount corrected by a cent) lands mid-loop. */
function mutateOne(ctx: Ctx, item: ItemRecord): void {
  const victim = ctx.index(item).current.values().next().value;
  if (victim) appendChanges(ctx, item, [{ op: 'modified', tx: { ...victim, amount: Math.round((victim.amount + 0.01) * 100) / 100 } }]);
}
