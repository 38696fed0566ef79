import { InngestTestEngine } from '@inngest/test';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { plaidItems, syncRuns } from '../../db/schema';
import type { ResyncPolicy } from '../../server/items/resync-candidates';
import { createItem } from '../../test/support/webhook-fixtures';
import { createTestDb } from '../../test/support/db';
import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { quietLog } from '../../test/support/quiet-log';
import { createResyncSweep } from './resync-sweep';
import { testJobContext } from '../../test/support/job-context';

const client = toyClient('resync');
let h: DbHandle;
let policy: ResyncPolicy;
const context = () => testJobContext({ db: h.db, log: quietLog, settings: { resync: policy } });
const sweep = createResyncSweep(client, '15 * * * *', context);
const tick = { name: 'inngest/scheduled.timer', data: { cron: '15 * * * *' } };
const hoursAgo = (n: number) => new Date(Date.now() - n * 3_600_000);
const old = { createdAt: hoursAgo(100) };

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());
beforeEach(async () => {
  policy = { staleHours: 6, limit: 500 };
  await h.db.update(plaidItems).set({ status: 'REMOVED' });
});

/** Runs the sweep once (@inngest/test); the send step is recorded, not performed. */
async function runSweep() {
  const t = new InngestTestEngine({ function: sweep, steps: [{ id: 'request-syncs', handler: () => ({ ids: [] }) }] });
  return t.execute({ events: [tick] });
}

describe('resync-sweep', () => {
  it('requests a sync exactly for the syncing items (ACTIVE, PENDING_DISCONNECT) whose last sync failed or went stale', async () => {
    const failed = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(2) });
    await h.db.insert(syncRuns).values({ itemId: failed.id, status: 'FAILED', createdAt: hoursAgo(1) });
    const stale = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(8) });
    await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(1) });
    await createItem(h.db, { ...old, status: 'ERROR', lastSyncedAt: hoursAgo(80) });
    const pending = await createItem(h.db, { ...old, status: 'PENDING_DISCONNECT', lastSyncedAt: hoursAgo(80) });

    const { result, ctx } = await runSweep();
    expect(result).toEqual({ requested: 3, lastSyncFailed: 1, stale: 2 });
    expect(ctx.step.sendEvent).toHaveBeenCalledTimes(1);
    expect(ctx.step.sendEvent).toHaveBeenCalledWith('request-syncs', [
      expect.objectContaining({ name: 'item/sync.requested', data: { itemId: pending.id, trigger: 'resync-sweep' } }),
      expect.objectContaining({ name: 'item/sync.requested', data: { itemId: stale.id, trigger: 'resync-sweep' } }),
      expect.objectContaining({ name: 'item/sync.requested', data: { itemId: failed.id, trigger: 'resync-sweep' } }),
    ]);
  });

  it('requests no more than the limit per run, the longest-unsynced first', async () => {
    policy = { staleHours: 6, limit: 2 };
    const items: Array<{ id: string }> = [];
    for (const hours of [10, 40, 20]) items.push(await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(hours) }));
    const { result, ctx } = await runSweep();
    expect(result).toEqual({ requested: 2, lastSyncFailed: 0, stale: 2 });
    const calls = (ctx.step.sendEvent as unknown as { mock: { calls: Array<[string, Array<{ data: { itemId: string } }>]> } }).mock.calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]![1].map((e) => e.data.itemId)).toEqual([items[1]!.id, items[2]!.id]);
  });

  it('sends nothing when every item is fresh', async () => {
    await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(1) });
    const { result, ctx } = await runSweep();
    expect(result).toEqual({ requested: 0, lastSyncFailed: 0, stale: 0 });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });

  it('fires on its cron through the embedded runner and the requests reach the sync function', async () => {
    const stale = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(9) });
    await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(1) });
    const requests: unknown[] = [];
    const syncProbe = client.createFunction({ id: 'sync-probe', triggers: [{ event: 'item/sync.requested' }] }, async ({ event }) => {
      requests.push(event.data);
    });
    const everyMinute = createResyncSweep(client, '* * * * *', context);
    // Shift the runner's clock so the next minute boundary is 300 ms away.
    const realNow = Date.now();
    const offset = Math.ceil(realNow / 60_000) * 60_000 - 300 - realNow;
    const runner = await startRunner(h.db, client, [everyMinute, syncProbe], { clock: () => Date.now() + offset });
    try {
      const [queued] = await runner.listRuns({ functionId: 'resync-resync-sweep' });
      const run = await runner.waitForRun(queued!.id, { timeoutMs: 5000 });
      expect(run).toMatchObject({ status: 'COMPLETED', output: { requested: 1, lastSyncFailed: 0, stale: 1 } });
      await runner.waitForIdle();
      expect(requests).toEqual([{ itemId: stale.id, trigger: 'resync-sweep' }]);
    } finally {
      await runner.stop({ graceMs: 0 });
    }
  });
});
