import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkEvents, plaidItems, plaidTransactions, syncRuns } from '../../../db/schema';
import { createHarness, type Harness } from '../../../test/support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const tx = (itemId: string, accountId: string, id: string, amount: string, category: string, date: string) => ({
  id, itemId, accountId, amount, date, name: id, pending: false, categoryPrimary: category, isoCurrencyCode: 'USD',
});

describe('items.syncStatus', () => {
  it('shows the first sync as under way, then the latest run with what has arrived', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const api = h.caller(user);
    expect(await api.items.syncStatus()).toEqual([{ itemId: item.id, run: null, inProgress: true, transactionsStored: 0 }]);
    await h.db.insert(syncRuns).values({ itemId: item.id, status: 'RUNNING', pages: 2, added: 3 });
    await h.db.insert(plaidTransactions).values(tx(item.id, item.mainAccountId!, `t-${item.id}`, '5.00', 'FOOD_AND_DRINK', '2024-01-01'));
    const [status] = await api.items.syncStatus({ itemId: item.id });
    expect(status).toMatchObject({ inProgress: true, transactionsStored: 1, run: { status: 'RUNNING', added: 3 } });
    const other = await h.createUser();
    expect(await h.caller(other).items.syncStatus()).toEqual([]);
  });

  it('keeps the first sync under way until the bank has sent its whole history, not just until the first run ends', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const api = h.caller(user);
    const finished = async (updateStatus: string, status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') => {
      await h.db.insert(syncRuns).values({ itemId: item.id, status, updateStatus, finishedAt: new Date() });
      await h.db.update(plaidItems).set({ lastSyncedAt: new Date() }).where(eq(plaidItems.id, item.id));
      return (await api.items.syncStatus({ itemId: item.id }))[0]!;
    };
    // Plaid had nothing yet, then only the last 30 days: the transactions are still landing.
    expect(await finished('NOT_READY')).toMatchObject({ inProgress: true, transactionsStored: 0, run: { updateStatus: 'NOT_READY' } });
    await h.db.insert(plaidTransactions).values(tx(item.id, item.mainAccountId!, `h-${item.id}`, '5.00', 'FOOD_AND_DRINK', '2024-01-02'));
    expect(await finished('INITIAL_UPDATE_COMPLETE')).toMatchObject({ inProgress: true, transactionsStored: 1 });
    expect(await finished('HISTORICAL_UPDATE_COMPLETE')).toMatchObject({ inProgress: false, transactionsStored: 1 });
    // A failed first sync is not shown as progress (the bank's banner says what to do).
    const other = await h.createUser();
    const second = await h.linkBank(other);
    await h.db.insert(syncRuns).values({ itemId: second.item.id, status: 'FAILED', updateStatus: null, finishedAt: new Date() });
    expect((await h.caller(other).items.syncStatus())[0]).toMatchObject({ inProgress: false });
  });
});

describe('items.completeUpdate', () => {
  it('clears a repaired error after update mode and asks for a sync; a still-broken item stays in ERROR', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const api = h.caller(user);
    await api.items.resetLogin({ itemId: item.id });
    await expect(api.accounts.live({ itemId: item.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await api.items.byId({ itemId: item.id })).status).toBe('ERROR');
    expect(await api.items.completeUpdate({ itemId: item.id })).toMatchObject({ repaired: false, item: { status: 'ERROR' } });

    const { linkToken } = await api.link.createToken({ itemId: item.id });
    const done = h.emu.emulator.link.completeLink({ linkToken, institutionId: 'ins_109508', username: 'user_good', password: 'pass_good' });
    expect(done.status).toBe('success');
    h.sent.length = 0;
    const result = await api.items.completeUpdate({ itemId: item.id });
    expect(result).toMatchObject({ repaired: true, item: { status: 'ACTIVE', errorCode: null } });
    expect(h.sent).toContainEqual({ name: 'item/sync.requested', data: { itemId: item.id, trigger: 'update-mode' } });
  });
});

describe('transactions.spending', () => {
  it('sums money out by category over the window, leaving money in and old rows out', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const today = new Date().toISOString().slice(0, 10);
    const acc = item.mainAccountId!;
    await h.db.insert(plaidTransactions).values([
      tx(item.id, acc, `s1-${item.id}`, '10.50', 'FOOD_AND_DRINK', today),
      tx(item.id, acc, `s2-${item.id}`, '4.50', 'FOOD_AND_DRINK', today),
      tx(item.id, acc, `s3-${item.id}`, '-1000', 'INCOME', today),
      tx(item.id, acc, `s4-${item.id}`, '99', 'TRAVEL', '2001-01-01'),
    ]);
    const { categories } = await h.caller(user).transactions.spending({ days: 30 });
    expect(categories).toEqual([{ category: 'FOOD_AND_DRINK', currency: 'USD', total: 15, count: 2 }]);
  });
});

describe('support console procedures', () => {
  it('shows a user, accounts, sync runs, Link sessions and institutions to support only', async () => {
    const user = await h.createUser();
    const support = await h.createUser('support');
    const { item, metadata } = await h.linkBank(user);
    await h.caller(user).link.recordEvent({ kind: 'event', eventName: 'OPEN', metadata: { link_session_id: metadata.link_session_id } });
    await h.caller(user).link.recordEvent({ kind: 'success', metadata: { link_session_id: metadata.link_session_id, institution_id: 'ins_109508' } });
    await h.db.insert(syncRuns).values({ itemId: item.id, status: 'FAILED', errorCode: 'X', errorMessage: 'boom' });
    const s = h.caller(support);
    expect(await s.support.users.byId({ userId: user.id })).toMatchObject({ id: user.id, floats: [] });
    const accounts = await s.support.accounts.list({ userId: user.id });
    expect(accounts.length).toBeGreaterThan(0);
    expect(JSON.stringify(accounts)).not.toMatch(/accountNumber"|routing/i);
    expect(await s.support.syncRuns.list({ userId: user.id })).toMatchObject([{ status: 'FAILED', errorMessage: 'boom' }]);
    const [session] = await s.support.linkSessions.list({ userId: user.id });
    expect(session).toMatchObject({ linkSessionId: metadata.link_session_id, outcome: 'success', institutionId: 'ins_109508' });
    expect(session!.events.map((e) => e.name)).toEqual(['OPEN', 'SUCCESS']);
    expect((await s.support.institutions.list()).map((i) => i.id)).toContain('ins_109508');
    expect(await s.support.jobRuns.list({ userId: user.id })).toEqual([]);
    expect(Array.isArray(await s.support.webhooks.forUser({ userId: user.id }))).toBe(true);
    await expect(h.caller(user).support.accounts.list({ userId: user.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await h.db.delete(linkEvents).where(eq(linkEvents.userId, user.id));
    await h.db.update(plaidItems).set({ status: 'REMOVED' }).where(eq(plaidItems.id, item.id));
  });
});
