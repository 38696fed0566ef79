import { setItemError } from '@tributary/plaid-emulator/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb, type Tx } from '../db/client';
import { rowsOf } from '../db/rows';
import { floats, plaidApiCalls, plaidItems } from '../db/schema';
import { lockUser } from './floats';
import { recordItemFailure } from './items/item-status';
import type { PlaidFailure } from './plaid/errors';
import { createHarness, type Harness } from '../test/support/harness';

/**
 * Floats read the main account's real-time balance first (Plaid Checking in the emulator: 100
 * available, 110 current) and serialise with bank removal on the user's row.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function linkedUser() {
  const user = await h.createUser();
  const staff = h.caller(await h.createUser('support'));
  const { item } = await h.linkBank(user);
  const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
  return { user, staff, item: row! };
}

const refusal = (err: unknown) => (err as { cause?: { displayMessage?: string } }).cause?.displayMessage ?? '';
const balanceReads = async (itemId: string) =>
  (await h.db.select().from(plaidApiCalls).where(and(eq(plaidApiCalls.itemId, itemId), eq(plaidApiCalls.endpoint, '/accounts/balance/get')))).length;
const activeFloats = async (userId: string) =>
  h.db.select().from(floats).where(and(eq(floats.userId, userId), eq(floats.status, 'ACTIVE')));

describe('support.floats.create reads the real-time balance of the main account', () => {
  it('creates a float the available balance covers, after a real-time read', async () => {
    const { user, staff, item } = await linkedUser();
    const float = await staff.support.floats.create({ userId: user.id, amount: '100.00', reason: 'payday advance' });
    expect(float).toMatchObject({ userId: user.id, amount: expect.stringMatching(/^100(\.0+)?$/), status: 'ACTIVE' });
    expect(await balanceReads(item.id)).toBe(1);
  });

  it('refuses, in a sentence, an amount above the available balance (the current one does not count)', async () => {
    const { user, staff, item } = await linkedUser();
    // 105 is under the current balance (110) but over the available one (100).
    const err = await staff.support.floats.create({ userId: user.id, amount: '105.00', reason: 'payday advance' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(refusal(err)).toBe(
      'No float was created: the main account (Plaid Checking ending 0000 at First Platypus Bank) has $100.00 available, less than the $105.00 asked for.',
    );
    expect(await activeFloats(user.id)).toHaveLength(0);
    expect(await balanceReads(item.id)).toBe(1);
  });

  it('refuses when the balance cannot be read: Plaid failing, the bank needing the person, an item already in error', async () => {
    const { user, staff, item } = await linkedUser();
    h.emu.emulator.controls.injectFault({ endpoint: '/accounts/balance/get', times: 1, http_status: 500 });
    const fault = await staff.support.floats.create({ userId: user.id, amount: '10.00', reason: 'advance' }).catch((e: unknown) => e);
    expect(refusal(fault)).toMatch(/^No float was created: we could not read the balance of the main account \(.+\): the bank did not answer\. Try again in a few minutes\.$/);

    await setItemError(h.emu.url, { item_id: item.plaidItemId }, 'ITEM_LOGIN_REQUIRED', { webhook: false });
    const login = await staff.support.floats.create({ userId: user.id, amount: '10.00', reason: 'advance' }).catch((e: unknown) => e);
    expect(refusal(login)).toMatch(/could not read the balance of the main account .+: the bank connection needs the customer’s attention first/);
    // The balance door moved the item as the lifecycle says.
    expect((await h.caller(user).items.byId({ itemId: item.id })).status).toBe('ERROR');

    // Now in ERROR: refused before Plaid is asked.
    const reads = await balanceReads(item.id);
    const again = await staff.support.floats.create({ userId: user.id, amount: '10.00', reason: 'advance' }).catch((e: unknown) => e);
    expect(refusal(again)).toMatch(/the bank connection needs the customer’s attention first/);
    expect(await balanceReads(item.id)).toBe(reads);
    expect(await activeFloats(user.id)).toHaveLength(0);
  });

  it('refuses, in a sentence, when the bank reports no available balance (null) — the current balance is no stand-in', async () => {
    // Only the credit card shared: it is the main account, and Plaid gives it available: null, current 410 (owed).
    const user = await h.createUser();
    const staff = h.caller(await h.createUser('support'));
    const { item } = await h.linkBank(user, { accounts: ['2'] });
    const balances = await h.caller(user).accounts.balance({ itemId: item.id });
    expect(balances.accounts).toEqual([expect.objectContaining({ id: item.mainAccountId, availableBalance: null, currentBalance: 410 })]);
    const err = await staff.support.floats.create({ userId: user.id, amount: '10.00', reason: 'payday advance' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(refusal(err)).toBe(
      'No float was created: the bank does not report an available balance for the main account (Plaid Credit Card ending 3333 at First Platypus Bank), so we cannot tell how much money is there to cover it.',
    );
    expect(await activeFloats(user.id)).toHaveLength(0);
    // A real-time read was made for the float (after the person's own read above), and nothing else changed.
    expect(await balanceReads(item.id)).toBe(2);
    expect((await h.caller(user).items.byId({ itemId: item.id })).status).toBe('ACTIVE');
  });

  it('refuses a user without a connected bank, and one whose bank was removed', async () => {
    const staff = h.caller(await h.createUser('support'));
    const nobody = await h.createUser();
    const err = await staff.support.floats.create({ userId: nobody.id, amount: '10.00', reason: 'advance' }).catch((e: unknown) => e);
    expect(refusal(err)).toBe('No float was created: the customer has no connected bank with a main account.');

    const { user, item } = await linkedUser();
    await h.caller(user).items.remove({ itemId: item.id });
    const removed = await staff.support.floats.create({ userId: user.id, amount: '10.00', reason: 'advance' }).catch((e: unknown) => e);
    expect(refusal(removed)).toBe('No float was created: the customer has no connected bank with a main account.');
  });
});

describe('float creation and bank removal serialise on the user', () => {
  // Each ordering the two can meet in: Plaid slow on the removal (it holds the lock while the float
  // waits), slow on the balance read (the removal goes first), and no delay at all.
  const cases = [
    { name: 'removal slow at Plaid', fault: { endpoint: '/item/remove', latency_ms: 300 } },
    { name: 'balance read slow', fault: { endpoint: '/accounts/balance/get', latency_ms: 300 } },
    { name: 'no delay', fault: null },
  ];
  for (const c of cases) {
    it(`never lets both win (${c.name})`, async () => {
      const { user, staff, item } = await linkedUser();
      if (c.fault) h.emu.emulator.controls.injectFault({ ...c.fault, times: 1 });
      const [float, removal] = await Promise.allSettled([
        staff.support.floats.create({ userId: user.id, amount: '50.00', reason: 'race' }),
        h.caller(user).items.remove({ itemId: item.id }),
      ]);
      const wins = [float, removal].filter((r) => r.status === 'fulfilled');
      expect(wins, JSON.stringify([float.status, removal.status])).toHaveLength(1);
      const loser = [float, removal].find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(loser.reason).toMatchObject({ code: 'PRECONDITION_FAILED' });
      expect(refusal(loser.reason)).toMatch(/^(No float was created|You have an active cash advance)/);
      const [after] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
      const open = await activeFloats(user.id);
      expect(open.length === 1).toBe(float.status === 'fulfilled');
      expect(after!.status === 'REMOVED').toBe(removal.status === 'fulfilled');
    });
  }
});

// Two transactions holding row locks at once need two connections: Postgres only (PGlite has one,
// and runs one transaction at a time, so it cannot deadlock).
if (process.env.TEST_DB === 'postgres') {
  describe('the user lock and the item row (two connections)', () => {
    let other: DbHandle;
    beforeAll(() => {
      other = openDb({ url: h.dbUrl! });
    });
    afterAll(() => other.close());

    /** Resolves once a backend of this database waits for a lock (a transaction blocked on a row); stops polling when `done` is set. */
    const lockWait = async (tx: Tx, done = { stop: false }) => {
      for (let i = 0; i < 500 && !done.stop; i++) {
        // Activity is read once per transaction unless the snapshot is dropped.
        await tx.execute(sql`select pg_stat_clear_snapshot()`);
        const [row] = rowsOf<{ n: number }>(await tx.execute(sql`
          select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`));
        if (row!.n > 0) return 'waiting for a lock' as const;
        await new Promise((r) => setTimeout(r, 10));
      }
      return 'never waited' as const;
    };

    it('an item write that re-checks its key to the user goes through while a removal holds the user; a float still waits', async () => {
      const { user, item } = await linkedUser();
      let second: Promise<boolean> | null = null;
      await h.db.transaction(async (tx) => {
        await lockUser(tx, user.id);
        // What a balance read does when Plaid says the bank needs the person, on another connection:
        // the item's row changes twice (its status, then its stream version), and the second
        // change re-checks the row's foreign key to the user (FOR KEY SHARE).
        const failure = { kind: 'item_state', error: { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'login required', display_message: null }, httpStatus: 400 } as unknown as PlaidFailure;
        const moved = recordItemFailure(other.db, { send: async () => {} }, item.id, failure, '/accounts/balance/get');
        const polling = { stop: false };
        const first = await Promise.race([moved.then(() => 'done' as const), lockWait(tx, polling)]);
        polling.stop = true;
        expect(first).toBe('done');
        expect(await moved).toMatchObject({ to: 'ERROR' });
        // Float creation and removal still serialise: the other connection's lockUser waits for this one.
        second = other.db.transaction((t) => lockUser(t, user.id));
        expect(await lockWait(tx)).toBe('waiting for a lock');
      });
      // ... and takes the lock once this transaction ends.
      expect(await second).toBe(true);
    });
  });
}
