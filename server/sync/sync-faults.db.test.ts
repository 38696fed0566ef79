import { eq, sql } from 'drizzle-orm';
import type { PlaidApi } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidItems, streamOutbox, syncRuns } from '../../db/schema';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import type { FaultInput } from '@tributary/plaid-emulator/testing';
import { isRetriable } from './failures';
import { syncItemTransactions } from './sync-item';
import { databaseView, emulatorView, linkAs } from '../../test/support/sync';
import { expandAllTransactionChanges } from '../../server/streams/render-changes';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** A Plaid client whose n-th /transactions/sync call first runs `before` (inject a fault, or crash). */
function plaidWith(n: number, before: () => void): PlaidApi {
  const real = h.emu.plaid;
  let calls = 0;
  const wrapped = Object.create(real) as PlaidApi;
  wrapped.transactionsSync = (...args: Parameters<PlaidApi['transactionsSync']>) => {
    if (++calls === n) before();
    return real.transactionsSync(...args);
  };
  return wrapped;
}

const sync = (itemId: string, plaid: PlaidApi, runId?: string) =>
  syncItemTransactions(h.db, { ...h.deps, plaid }, { itemId, runId, trigger: 'test', pageSize: 8 }, silentLog);

async function expectNoDuplicateRecords(itemId: string) {
  await expandAllTransactionChanges(h.db);
  const [dupes] = await h.db
    .select({ n: sql<number>`count(*) - count(distinct ${streamOutbox.recordId})` })
    .from(streamOutbox)
    .where(eq(streamOutbox.itemId, itemId));
  expect(Number(dupes!.n)).toBe(0);
}

describe('sync faults in the middle of a loop', () => {
  for (const [label, fault] of [
    ['429', { endpoint: '/transactions/sync', http_status: 429 }],
    ['500', { endpoint: '/transactions/sync', http_status: 500 }],
    ['INSTITUTION_DOWN', { endpoint: '/transactions/sync', error_code: 'INSTITUTION_DOWN' }],
  ] as Array<[string, FaultInput]>) {
    it(`a ${label} on page 3 fails the attempt as retriable; the retry resumes from the committed cursor and converges`, async () => {
      const { itemId, plaidItemId } = await linkAs(h);
      const err = await sync(itemId, plaidWith(3, () => h.emu.emulator.controls.injectFault(fault))).catch((e: unknown) => e);
      expect(isRetriable(err)).toBe(true);
      const [run] = await h.db.select().from(syncRuns).where(eq(syncRuns.itemId, itemId));
      expect(run).toMatchObject({ status: 'RUNNING', pages: 2, finishedAt: null });
      expect(run!.errorCode).toBeTruthy();
      const [mid] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
      expect(mid!.transactionsLoopCursor).toBe(''); // half-way through the first pagination

      const retry = await sync(itemId, h.emu.plaid, run!.id);
      expect(retry.status).toBe('SUCCEEDED');
      const truth = emulatorView(h, plaidItemId);
      expect(await databaseView(h.db, itemId)).toEqual(truth);
      const [done] = await h.db.select().from(syncRuns).where(eq(syncRuns.id, run!.id));
      // Committed pages were not fetched again: the two attempts add up to exactly one pass.
      expect(done).toMatchObject({ status: 'SUCCEEDED', errorCode: null, added: truth.transactions.length, pages: Math.ceil(truth.transactions.length / 8) });
      await expectNoDuplicateRecords(itemId);
    });
  }

  it('a process killed between pages loses and duplicates nothing when a new sync picks up', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    const crash = () => {
      throw new Error('process killed');
    };
    await expect(sync(itemId, plaidWith(2, crash))).rejects.toThrow();
    await expect(sync(itemId, plaidWith(2, crash))).rejects.toThrow(); // a second crash, further on
    const result = await sync(itemId, h.emu.plaid);
    expect(result.status).toBe('SUCCEEDED');
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
    await expectNoDuplicateRecords(itemId);
  });

  it('after a crash mid-pagination, a mutation restarts from the pagination start kept on the item, not from the resumed cursor', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    await syncItemTransactions(h.db, h.deps, { itemId, pageSize: 8 }, silentLog);
    h.emu.emulator.controls.refresh(plaidItemId);
    h.emu.emulator.controls.advanceClock(plaidItemId, 20); // enough changes for several pages
    const [synced] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    await expect(sync(itemId, plaidWith(2, () => { throw new Error('process killed'); }))).rejects.toThrow();
    const [mid] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    expect(mid!.transactionsLoopCursor).toBe(synced!.transactionsCursor);
    expect(mid!.transactionsCursor).not.toBe(synced!.transactionsCursor);

    h.emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', sync_mutation: true });
    const result = await sync(itemId, h.emu.plaid);
    expect(result).toMatchObject({ status: 'SUCCEEDED', restarts: 1 });
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
    const [after] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    expect(after!.transactionsLoopCursor).toBeNull();
  });
});
