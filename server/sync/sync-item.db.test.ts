import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidItems, plaidTransactions, syncRuns } from '../../db/schema';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { AppError } from '../errors';
import { isRetriable } from './failures';
import { syncItemTransactions } from './sync-item';
import { databaseView, emulatorView, linkAs } from '../../test/support/sync';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const sync = (itemId: string, o: { runId?: string; pageSize?: number } = {}) =>
  syncItemTransactions(h.db, h.deps, { itemId, trigger: 'test', pageSize: 10, ...o }, silentLog);

async function runRow(runId: string) {
  const [row] = await h.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return row!;
}

describe('syncItemTransactions', () => {
  it('ends with the database holding exactly the emulator transactions and balances', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    const result = await sync(itemId);
    const truth = emulatorView(h, plaidItemId);
    expect(truth.transactions.length).toBeGreaterThan(20);
    expect(await databaseView(h.db, itemId)).toEqual(truth);
    expect(result).toMatchObject({ status: 'SUCCEEDED', added: truth.transactions.length, restarts: 0 });
    const run = await runRow(result.runId!);
    expect(run).toMatchObject({ status: 'SUCCEEDED', kind: 'sync', trigger: 'test', added: truth.transactions.length, removed: 0 });
    expect(run.pages).toBe(Math.ceil(truth.transactions.length / 10));
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
    const [item] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    expect(item!.lastSyncedAt).not.toBeNull();
    expect(item!.transactionsCursor).toBeTruthy();
    expect(item!.transactionsLoopCursor).toBeNull();
  });

  it('converges again after a refresh brings new pending, pending→posted, an amount change and removals', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    await sync(itemId);
    const pendingBefore = (await databaseView(h.db, itemId)).transactions.filter((t) => t.pending);
    expect(pendingBefore.length).toBeGreaterThan(0);
    const { changes } = h.emu.emulator.controls.refresh(plaidItemId);
    expect(changes).toBeGreaterThan(0);
    const result = await sync(itemId);
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
    expect(result).toMatchObject({ status: 'SUCCEEDED', modified: 1, removed: pendingBefore.length });
    // Each earlier pending row is kept but marked removed, and its posted successor points at it.
    const rows = await h.db.select().from(plaidTransactions).where(eq(plaidTransactions.itemId, itemId));
    for (const p of pendingBefore) {
      expect(rows.find((r) => r.id === p.id)?.removedAt).toBeInstanceOf(Date);
      expect(rows.filter((r) => r.pendingTransactionId === p.id && !r.pending && !r.removedAt)).toHaveLength(1);
    }
  });

  it('restarts from the loop start cursor on MUTATION_DURING_PAGINATION and converges', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    h.emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', sync_mutation: true });
    const result = await sync(itemId);
    expect(result).toMatchObject({ status: 'SUCCEEDED', restarts: 1 });
    expect((await runRow(result.runId!)).restarts).toBe(1);
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
  });

  it('does nothing on a second sync with no changes at Plaid', async () => {
    const { itemId } = await linkAs(h);
    await sync(itemId);
    const before = await h.db.select().from(plaidTransactions).where(eq(plaidTransactions.itemId, itemId));
    const again = await sync(itemId);
    expect(again).toMatchObject({ status: 'SUCCEEDED', pages: 1, added: 0, modified: 0, removed: 0, records: 0 });
    const after = await h.db.select().from(plaidTransactions).where(eq(plaidTransactions.itemId, itemId));
    expect(after).toEqual(before);
  });

  it('puts the item in ERROR and ends the run as LOGIN_REQUIRED, not to be retried, when the login is required', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    h.emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', error_code: 'ITEM_LOGIN_REQUIRED' });
    const err = await sync(itemId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('ITEM_LOGIN_REQUIRED');
    expect(isRetriable(err)).toBe(false);
    const [item] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    expect(item).toMatchObject({ status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED' });
    const [run] = await h.db.select().from(syncRuns).where(eq(syncRuns.itemId, itemId));
    expect(run).toMatchObject({ status: 'LOGIN_REQUIRED', errorCode: 'ITEM_LOGIN_REQUIRED' });
    expect(run!.finishedAt).toBeInstanceOf(Date);
    expect(plaidItemId).toBeTruthy();
  });

  it('skips a removed item without calling Plaid', async () => {
    const { itemId } = await linkAs(h);
    await h.db.update(plaidItems).set({ status: 'REMOVED' }).where(eq(plaidItems.id, itemId));
    expect(await sync(itemId)).toEqual({ status: 'SKIPPED', runId: null, reason: 'item is REMOVED' });
  });
});
