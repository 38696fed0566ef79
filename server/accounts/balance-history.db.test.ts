import { and, eq, isNull } from 'drizzle-orm';
import type { AccountBase } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBalanceSnapshots, plaidAccounts, plaidItems, plaidTransactions } from '../../db/schema';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { linkAs } from '../../test/support/sync';
import { itemRecordContext } from '../streams/item-changes';
import { syncItemTransactions } from '../sync/sync-item';
import { writeAccounts } from './account-writes';
import { balanceHistory } from './balance-history';

/** The daily balance kept by the account write path, and the net worth history drawn from it. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const snapshotsOf = (itemId: string) =>
  h.db
    .select({ accountId: accountBalanceSnapshots.accountId, day: accountBalanceSnapshots.day, current: accountBalanceSnapshots.currentBalance })
    .from(accountBalanceSnapshots)
    .innerJoin(plaidAccounts, eq(plaidAccounts.id, accountBalanceSnapshots.accountId))
    .where(eq(plaidAccounts.itemId, itemId));
const liveAccounts = (itemId: string) => h.db.select().from(plaidAccounts).where(and(eq(plaidAccounts.itemId, itemId), isNull(plaidAccounts.removedAt)));
const isDebt = (type: string) => type === 'credit' || type === 'loan';

describe('daily balance snapshots', () => {
  it('linking stores one balance per account for today, equal to the stored balance', async () => {
    const { itemId } = await linkAs(h);
    const accounts = await liveAccounts(itemId);
    expect(accounts.length).toBeGreaterThan(1);
    const snaps = await snapshotsOf(itemId);
    expect(snaps.map((s) => s.accountId).sort()).toEqual(accounts.map((a) => a.id).sort());
    for (const s of snaps) {
      expect(s.day).toBe(today);
      expect(s.current).toBe(accounts.find((a) => a.id === s.accountId)!.currentBalance);
    }
  });

  it('a later read on the same day replaces the day’s balance (one row per account per day, latest wins)', async () => {
    const { itemId } = await linkAs(h);
    const [item] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    const [account] = await liveAccounts(itemId);
    const raw = account!.raw as AccountBase;
    const moved = { ...raw, balances: { ...raw.balances, current: 1234.56, available: 1200 } };
    await h.db.transaction((tx) => writeAccounts(tx, h.deps.keyring, itemRecordContext(item!), [moved]));
    const mine = (await snapshotsOf(itemId)).filter((s) => s.accountId === account!.id);
    expect(mine).toEqual([{ accountId: account!.id, day: today, current: '1234.5600' }]);
  });

  it('a balance read through the API (accounts.balance) writes the day’s balance too', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    await h.db.delete(accountBalanceSnapshots).where(eq(accountBalanceSnapshots.day, today));
    const { accounts } = await h.caller(user).accounts.balance({ itemId: item.id });
    const snaps = await snapshotsOf(item.id);
    expect(snaps.map((s) => s.accountId).sort()).toEqual(accounts.map((a) => a.id).sort());
  });
});

describe('balanceHistory', () => {
  it('reconstructs the days before the first stored balance from posted transactions, marked estimated', async () => {
    const { itemId, userId } = await linkAs(h);
    await syncItemTransactions(h.db, h.deps, { itemId, trigger: 'test' }, silentLog);
    const accounts = await liveAccounts(itemId);
    const txs = await h.db.select().from(plaidTransactions).where(and(eq(plaidTransactions.itemId, itemId), isNull(plaidTransactions.removedAt), eq(plaidTransactions.pending, false)));
    expect(txs.filter((t) => t.date > daysAgo(30)).length).toBeGreaterThan(5);

    const { points, currency, recordedSince } = await balanceHistory(h.db, { userId, days: 30 });
    expect(currency).toBe('USD');
    expect(recordedSince).toBe(today);
    expect(points).toHaveLength(30);
    expect(points[0]!.day).toBe(daysAgo(29));
    expect(points.at(-1)).toMatchObject({ day: today, estimated: false });
    expect(points.slice(0, -1).every((p) => p.estimated)).toBe(true);
    // Each day: today's balances with every posted transaction dated after that day undone.
    for (const p of points) {
      const expected = accounts.reduce((sum, a) => {
        const later = txs.filter((t) => t.accountId === a.id && t.date > p.day).reduce((s, t) => s + Number(t.amount), 0);
        return isDebt(a.type) ? sum - (Number(a.currentBalance) - later) : sum + Number(a.currentBalance) + later;
      }, 0);
      expect(p.netWorth, p.day).toBeCloseTo(expected, 2);
    }
    expect(new Set(points.map((p) => p.netWorth)).size).toBeGreaterThan(1);
  });

  it('carries each stored balance forward to the next one, and needs no estimate once history covers the window', async () => {
    const { itemId, userId } = await linkAs(h);
    const accounts = await liveAccounts(itemId);
    const bank = accounts.find((a) => !isDebt(a.type))!;
    const card = accounts.find((a) => isDebt(a.type))!;
    await h.db.insert(accountBalanceSnapshots).values(accounts.flatMap((a) => [
      { accountId: a.id, day: daysAgo(20), currentBalance: '0', takenAt: new Date() },
      { accountId: a.id, day: daysAgo(9), currentBalance: a.id === bank.id ? '1000' : a.id === card.id ? '250' : '0', takenAt: new Date() },
    ]));
    const { points, recordedSince } = await balanceHistory(h.db, { userId, days: 10 });
    expect(recordedSince).toBe(daysAgo(20));
    expect(points.every((p) => !p.estimated)).toBe(true);
    // Before today's read: the bank's 1,000 minus the card's 250, from the day they were stored until yesterday.
    expect(points.slice(0, -1).map((p) => p.netWorth)).toEqual(Array(9).fill(750));
    const now = accounts.reduce((s, a) => s + (isDebt(a.type) ? -1 : 1) * Number(a.currentBalance), 0);
    expect(points.at(-1)!.netWorth).toBeCloseTo(now, 2);
  });

  it('is served by accounts.balanceHistory for the signed-in user only', async () => {
    const user = await h.createUser();
    await h.linkBank(user);
    const mine = await h.caller(user).accounts.balanceHistory();
    expect(mine.points).toHaveLength(90);
    expect(mine.points.at(-1)!.estimated).toBe(false);
    const other = await h.caller(await h.createUser()).accounts.balanceHistory();
    expect(other).toEqual({ currency: 'USD', points: [], recordedSince: null });
  });
});
