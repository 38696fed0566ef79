import { afterEach, describe, expect, it } from 'vitest';
import type { PlaidApi, Transaction } from 'plaid';
import { linkItem, plaidFailure, startTestEmulator } from '../src/testing';

let emu: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
afterEach(async () => { await emu?.close(); emu = undefined; });

async function syncAll(plaid: PlaidApi, access_token: string, cursor?: string, count = 500) {
  const added: Transaction[] = [];
  const modified: Transaction[] = [];
  const removed: string[] = [];
  let pages = 0;
  let next = cursor;
  for (;;) {
    const r = await plaid.transactionsSync({ access_token, count, ...(next !== undefined ? { cursor: next } : {}) });
    pages++;
    added.push(...r.data.added);
    modified.push(...r.data.modified);
    removed.push(...r.data.removed.map((x) => x.transaction_id));
    next = r.data.next_cursor;
    if (!r.data.has_more) return { added, modified, removed, cursor: next, pages, status: r.data.transactions_update_status };
  }
}

describe('/transactions/sync', () => {
  it('returns empty pages with an empty cursor before the initial pull, never PRODUCT_NOT_READY', async () => {
    emu = await startTestEmulator({ initialUpdateDelayMs: 60_000, historicalUpdateDelayMs: 120_000 });
    const { access_token } = await linkItem(emu.plaid);
    const r = await emu.plaid.transactionsSync({ access_token });
    expect(r.data).toMatchObject({ added: [], modified: [], removed: [], next_cursor: '', has_more: false, transactions_update_status: 'NOT_READY' });
    expect(await plaidFailure(emu.plaid.transactionsGet({ access_token, start_date: '2020-01-01', end_date: '2030-01-01' }))).toMatchObject({ status: 400, code: 'PRODUCT_NOT_READY' });
  });

  it('pages a two-year history with has_more and a stable cursor, then replays only new changes', async () => {
    emu = await startTestEmulator({ seed: 'sync', purchasesPerDay: 4 });
    const { access_token, item_id } = await linkItem(emu.plaid, { days: 730 });
    const first = await syncAll(emu.plaid, access_token, undefined, 500);
    expect(first.added.length).toBeGreaterThan(2500);
    expect(first.pages).toBe(Math.ceil(first.added.length / 500));
    expect(first.status).toBe('HISTORICAL_UPDATE_COMPLETE');
    const dates = first.added.map((t) => t.date).sort();
    expect(dates[0]! < dates.at(-1)!).toBe(true);
    expect(new Set(first.added.map((t) => t.transaction_id)).size).toBe(first.added.length);
    // Income is negative, card purchases positive, categories and channels present.
    expect(first.added.some((t) => t.amount < 0 && t.personal_finance_category?.primary === 'INCOME')).toBe(true);
    expect(first.added.some((t) => t.personal_finance_category?.detailed === 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT')).toBe(true);
    expect(new Set(first.added.map((t) => t.payment_channel))).toEqual(new Set(['online', 'in store', 'other']));

    const idle = await emu.plaid.transactionsSync({ access_token, cursor: first.cursor });
    expect(idle.data).toMatchObject({ added: [], modified: [], removed: [], has_more: false, next_cursor: first.cursor });

    emu.emulator.controls.advanceClock(item_id, 3);
    const next = await syncAll(emu.plaid, access_token, first.cursor);
    expect(next.added.length).toBeGreaterThan(0);
    // Replaying from the same cursor gives the same changes.
    const replay = await syncAll(emu.plaid, access_token, first.cursor);
    expect(replay.added.map((t) => t.transaction_id)).toEqual(next.added.map((t) => t.transaction_id));
  });

  it('generates the same data for the same seed', async () => {
    emu = await startTestEmulator({ seed: 'same' });
    const a = await syncAll(emu.plaid, (await linkItem(emu.plaid)).access_token);
    await emu.close();
    emu = await startTestEmulator({ seed: 'same' });
    const b = await syncAll(emu.plaid, (await linkItem(emu.plaid)).access_token);
    expect(b.added.map((t) => [t.transaction_id, t.amount, t.date])).toEqual(a.added.map((t) => [t.transaction_id, t.amount, t.date]));
  });

  it('validates count between 1 and 500 and rejects foreign cursors', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid);
    expect(await plaidFailure(emu.plaid.transactionsSync({ access_token, count: 501 }))).toMatchObject({ status: 400, code: 'INVALID_FIELD' });
    expect(await plaidFailure(emu.plaid.transactionsSync({ access_token, cursor: 'garbage' }))).toMatchObject({ status: 400, code: 'INVALID_FIELD' });
    const r = await emu.plaid.transactionsSync({ access_token });
    expect(r.data.added.length).toBe(100);
  });

  it('posts pending transactions on refresh: pending id removed, posted one added with pending_transaction_id', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid, { username: 'user_transactions_dynamic', password: 'anything' });
    const first = await syncAll(emu.plaid, access_token);
    expect(first.added.length).toBeGreaterThan(35);
    expect(first.added.length).toBeLessThan(75);
    const pending = first.added.filter((t) => t.pending);
    expect(pending.length).toBeGreaterThan(0);
    await emu.plaid.transactionsRefresh({ access_token });
    const after = await syncAll(emu.plaid, access_token, first.cursor, 1);
    expect(after.removed.sort()).toEqual(pending.map((t) => t.transaction_id).sort());
    const posted = after.added.filter((t) => t.pending_transaction_id);
    expect(posted.map((t) => t.pending_transaction_id).sort()).toEqual(pending.map((t) => t.transaction_id).sort());
    expect(posted.every((t) => !t.pending)).toBe(true);
    expect(after.added.filter((t) => t.pending).length).toBeGreaterThanOrEqual(2);
    expect(after.modified).toHaveLength(1);
    const before = first.added.find((t) => t.transaction_id === after.modified[0]?.transaction_id);
    expect(after.modified[0]!.amount).toBeCloseTo(before!.amount + 1, 2);
  });

  it('fails mid-loop with TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION when data changes, and a restart from the loop cursor sees everything', async () => {
    emu = await startTestEmulator({ rateLimits: false });
    const { access_token, item_id } = await linkItem(emu.plaid, { days: 365 });
    const page1 = await emu.plaid.transactionsSync({ access_token, count: 50 });
    expect(page1.data.has_more).toBe(true);
    emu.emulator.controls.advanceClock(item_id, 1);
    expect(await plaidFailure(emu.plaid.transactionsSync({ access_token, count: 50, cursor: page1.data.next_cursor }))).toMatchObject({ status: 400, type: 'TRANSACTIONS_ERROR', code: 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION' });
    const restarted = await syncAll(emu.plaid, access_token, undefined, 500);
    const ids = new Set(restarted.added.map((t) => t.transaction_id));
    for (const id of restarted.removed) ids.delete(id);
    expect(restarted.removed.length).toBeGreaterThan(0);
    expect(ids.size).toBe(emu.emulator.controls.items().find((i) => i.item_id === item_id)?.transactions ?? -1);
  });

  it('injects a mutation mid-loop on demand', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid);
    emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', sync_mutation: true });
    // The first call starts a loop (not mid-loop), so the fault waits for the second.
    const page1 = await emu.plaid.transactionsSync({ access_token, count: 10 });
    expect(await plaidFailure(emu.plaid.transactionsSync({ access_token, count: 10, cursor: page1.data.next_cursor }))).toMatchObject({ code: 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION' });
    const all = await syncAll(emu.plaid, access_token);
    expect(all.modified).toHaveLength(1);
  });
});

describe('/transactions/get', () => {
  it('returns transactions newest first with count, offset and a total', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid, { days: 200 });
    const all = await emu.plaid.transactionsGet({ access_token, start_date: '2000-01-01', end_date: '2100-01-01', options: { count: 500 } });
    const total = all.data.total_transactions;
    expect(total).toBeGreaterThan(300);
    const dates = all.data.transactions.map((t) => t.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const page = await emu.plaid.transactionsGet({ access_token, start_date: '2000-01-01', end_date: '2100-01-01', options: { count: 10, offset: 20 } });
    expect(page.data.transactions.map((t) => t.transaction_id)).toEqual(all.data.transactions.slice(20, 30).map((t) => t.transaction_id));
    expect(await plaidFailure(emu.plaid.transactionsGet({ access_token, start_date: '2000-01-01', end_date: '2100-01-01', options: { count: 501 } }))).toMatchObject({ code: 'INVALID_FIELD' });
    expect(await plaidFailure(emu.plaid.transactionsGet({ access_token, start_date: '01/01/2020', end_date: '2100-01-01' }))).toMatchObject({ code: 'INVALID_FIELD' });
  });
});
