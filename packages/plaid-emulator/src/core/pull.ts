import { TransactionsUpdateStatus, type Transaction } from 'plaid';
import type { Ctx } from './context';
import { addDays, toDay } from './data/dates';
import { generateTransactions, randomPurchase } from './data/transactions';
import { createRng } from './rng';
import { applyEntry, type ChangeEntry, type ItemRecord } from './state';
import { sendWebhook } from './webhooks';

/**
 * How an item's transaction data changes over time: the initial pull (last 30 days, then the
 * rest of the history), refreshes, and clock advances. Every change is appended to the item's
 * change log, which is what /transactions/sync pages through.
 */
export function appendChanges(ctx: Ctx, item: ItemRecord, entries: ChangeEntry[]): void {
  if (entries.length === 0) return;
  const idx = ctx.index(item);
  for (const e of entries) {
    item.log.push(e);
    applyEntry(idx.current, e);
  }
  idx.newestFirst = null;
  item.lastSuccessfulUpdate = new Date(ctx.nowMs()).toISOString();
  ctx.changed();
}

function syncAvailable(ctx: Ctx, item: ItemRecord): void {
  if (!item.syncedOnce) return;
  sendWebhook(ctx, item, {
    webhook_type: 'TRANSACTIONS',
    webhook_code: 'SYNC_UPDATES_AVAILABLE',
    initial_update_complete: item.updateStatus !== TransactionsUpdateStatus.NotReady,
    historical_update_complete: item.updateStatus === TransactionsUpdateStatus.HistoricalUpdateComplete,
  });
}

/** Releases the initial / historical pull if its time has come (idempotent; called lazily too). */
export function releaseDueData(ctx: Ctx, item: ItemRecord): void {
  if (item.removed) return;
  const now = ctx.nowMs();
  if (item.updateStatus === TransactionsUpdateStatus.NotReady && now >= item.initialUpdateAt) {
    const txs = item.unreleased.initial;
    item.unreleased.initial = [];
    item.updateStatus = TransactionsUpdateStatus.InitialUpdateComplete;
    appendChanges(ctx, item, txs.map((tx) => ({ op: 'added', tx })));
    item.lastSuccessfulUpdate = new Date(now).toISOString();
    sendWebhook(ctx, item, { webhook_type: 'TRANSACTIONS', webhook_code: 'INITIAL_UPDATE', new_transactions: txs.length, error: null });
    syncAvailable(ctx, item);
  }
  if (item.updateStatus === TransactionsUpdateStatus.InitialUpdateComplete && now >= item.historicalUpdateAt) {
    const txs = item.unreleased.historical;
    item.unreleased.historical = [];
    item.updateStatus = TransactionsUpdateStatus.HistoricalUpdateComplete;
    appendChanges(ctx, item, txs.map((tx) => ({ op: 'added', tx })));
    sendWebhook(ctx, item, { webhook_type: 'TRANSACTIONS', webhook_code: 'HISTORICAL_UPDATE', new_transactions: txs.length, error: null });
    syncAvailable(ctx, item);
  }
  ctx.changed();
}

/** Timers that release the pull on time, so webhooks fire without anyone calling the API. */
export function scheduleRelease(ctx: Ctx, item: ItemRecord): void {
  if (item.updateStatus === TransactionsUpdateStatus.HistoricalUpdateComplete || item.removed) return;
  const now = ctx.nowMs();
  const next = [item.initialUpdateAt, item.historicalUpdateAt].find((at) => at > now);
  // Timers may fire a millisecond early: release what is due, then re-arm for the rest.
  if (next !== undefined) {
    ctx.schedule(next - now + 1, () => {
      releaseDueData(ctx, item);
      scheduleRelease(ctx, item);
    });
  }
}

/** The day it is for this item (its clock may have been advanced). */
export const itemToday = (ctx: Ctx, item: ItemRecord): string => addDays(toDay(new Date(ctx.nowMs())), item.clockOffsetDays);

/**
 * Where new transactions go: the shared checking, savings and card accounts. After a partial
 * account selection one may be missing; its transactions then go to a shared depository account
 * (else the first shared one) — never to an empty or unshared account id.
 */
function accountsOf(item: ItemRecord) {
  const shared = item.accounts.map((a) => a.account);
  const fallback = (shared.find((a) => a.type === 'depository') ?? shared[0])?.account_id ?? '';
  const id = (subtype: string) => shared.find((a) => a.subtype === subtype)?.account_id ?? fallback;
  return { checking: id('checking'), savings: id('savings'), credit: id('credit card') };
}

/** Pending → posted: the pending id is removed, a posted copy with `pending_transaction_id` added. */
function postPending(rng: ReturnType<typeof createRng>, pending: Transaction[], postedOn: (t: Transaction) => string): ChangeEntry[] {
  const out: ChangeEntry[] = [];
  for (const p of pending) {
    out.push({ op: 'removed', tx: { transaction_id: p.transaction_id, account_id: p.account_id } });
    out.push({ op: 'added', tx: { ...p, transaction_id: rng.alnum(37), pending: false, pending_transaction_id: p.transaction_id, date: postedOn(p) } });
  }
  return out;
}

function announce(ctx: Ctx, item: ItemRecord, entries: ChangeEntry[]): void {
  const added = entries.filter((e) => e.op === 'added').length;
  const removed = entries.filter((e) => e.op === 'removed').map((e) => e.tx.transaction_id);
  sendWebhook(ctx, item, { webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE', new_transactions: added, error: null });
  if (removed.length > 0) {
    sendWebhook(ctx, item, { webhook_type: 'TRANSACTIONS', webhook_code: 'TRANSACTIONS_REMOVED', removed_transactions: removed, error: null });
  }
  if (entries.length > 0) syncAvailable(ctx, item);
}

/**
 * /transactions/refresh. For `user_transactions_dynamic` (PLAID.md): new pending transactions,
 * every earlier pending one posted, one earlier amount bumped by $1. Other users' data is
 * static in the sandbox, so only DEFAULT_UPDATE (0 new) fires.
 */
export function refreshItem(ctx: Ctx, item: ItemRecord): ChangeEntry[] {
  releaseDueData(ctx, item);
  item.refreshCount += 1;
  const entries: ChangeEntry[] = [];
  if (item.dynamic) {
    const rng = createRng(`${item.seed}:refresh:${item.refreshCount}`);
    const today = itemToday(ctx, item);
    // Only the accounts the item shares change (a partial selection leaves the others' history as it was).
    const shared = new Set(item.accounts.map((a) => a.account.account_id));
    const current = [...ctx.index(item).current.values()].filter((t) => shared.has(t.account_id));
    const pending = current.filter((t) => t.pending);
    entries.push(...postPending(rng, pending, () => today));
    const posted = current.filter((t) => !t.pending);
    if (posted.length > 0) {
      const victim = rng.pick(posted);
      entries.push({ op: 'modified', tx: { ...victim, amount: Math.round((victim.amount + 1) * 100) / 100 } });
    }
    const accounts = accountsOf(item);
    const fresh = rng.int(2, 4);
    for (let i = 0; i < fresh; i++) entries.push({ op: 'added', tx: randomPurchase(rng, accounts, today, true) });
    appendChanges(ctx, item, entries);
  }
  announce(ctx, item, entries);
  ctx.changed();
  return entries;
}

/**
 * Test control: moves this item's clock forward `days` days. Pending transactions older than two
 * days post, and the new days bring new transactions (the last two days pending).
 */
export function advanceItemClock(ctx: Ctx, item: ItemRecord, days: number): ChangeEntry[] {
  releaseDueData(ctx, item);
  const from = addDays(itemToday(ctx, item), 1);
  item.clockOffsetDays += days;
  const today = itemToday(ctx, item);
  const rng = createRng(`${item.seed}:advance:${item.clockOffsetDays}`);
  const postBefore = addDays(today, -1);
  const shared = new Set(item.accounts.map((a) => a.account.account_id));
  const pending = [...ctx.index(item).current.values()].filter((t) => t.pending && t.date < postBefore && shared.has(t.account_id));
  const entries = postPending(rng, pending, (t) => addDays(t.date, 1));
  const purchasesPerDay = item.dynamic ? 1.1 : ctx.opts.purchasesPerDay;
  const fresh = generateTransactions(rng, { accounts: accountsOf(item), start: from, end: today, purchasesPerDay, pendingDays: 2 });
  for (const tx of fresh) if (shared.has(tx.account_id)) entries.push({ op: 'added', tx });
  appendChanges(ctx, item, entries);
  announce(ctx, item, entries);
  return entries;
}
