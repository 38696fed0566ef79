import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { plaidItems, syncRuns } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { createItem } from '../../test/support/webhook-fixtures';
import { findResyncCandidates } from './resync-candidates';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());
// Each test sees only its own items: earlier ones are taken out of the running.
beforeEach(async () => {
  await h.db.update(plaidItems).set({ status: 'REMOVED' });
});

const hoursAgo = (n: number) => new Date(Date.now() - n * 3_600_000);
const policy = { staleHours: 6, limit: 500 };
type RunStatus = (typeof syncRuns.$inferInsert)['status'];
const syncRun = (itemId: string, status: RunStatus, createdAt: Date, kind: 'sync' | 'remine' = 'sync') =>
  h.db.insert(syncRuns).values({ itemId, status, createdAt, kind });

describe('findResyncCandidates', () => {
  it('picks ACTIVE items whose latest sync failed or that have not synced for the threshold, nothing else', async () => {
    const old = { createdAt: hoursAgo(72) };
    const failed = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(1) });
    await syncRun(failed.id, 'SUCCEEDED', hoursAgo(1));
    await syncRun(failed.id, 'FAILED', hoursAgo(0.5));
    const stale = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(7) });
    await syncRun(stale.id, 'SUCCEEDED', hoursAgo(7));
    const neverSynced = await createItem(h.db, old);
    const stuck = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(30) });
    await syncRun(stuck.id, 'RUNNING', hoursAgo(24)); // a run nobody finished: no longer counts as under way

    const fresh = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(1) });
    await syncRun(fresh.id, 'SUCCEEDED', hoursAgo(1));
    const recovered = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(2) });
    await syncRun(recovered.id, 'FAILED', hoursAgo(3));
    await syncRun(recovered.id, 'SUCCEEDED', hoursAgo(2));
    const justLinked = await createItem(h.db, { createdAt: hoursAgo(1) }); // its first sync is on its way
    const underWay = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(10) });
    await syncRun(underWay.id, 'RUNNING', hoursAgo(0.1));
    const queued = await createItem(h.db, { ...old, lastSyncedAt: hoursAgo(10) });
    await syncRun(queued.id, 'QUEUED', hoursAgo(0.1), 'remine');
    for (const status of ['ERROR', 'REVOKED', 'REMOVED'] as const) {
      const left = await createItem(h.db, { ...old, status, lastSyncedAt: hoursAgo(48) });
      await syncRun(left.id, 'FAILED', hoursAgo(47));
    }
    // A pending disconnect still works until its deadline: it keeps syncing.
    const pending = await createItem(h.db, { ...old, status: 'PENDING_DISCONNECT', lastSyncedAt: hoursAgo(40) });

    const found = await findResyncCandidates(h.db, policy);
    // Longest-unsynced first: never synced (72 h, from creation), pending (40 h), stuck (30 h), stale (7 h), failed (1 h).
    expect(found).toEqual([
      { itemId: neverSynced.id, reason: 'stale' },
      { itemId: pending.id, reason: 'stale' },
      { itemId: stuck.id, reason: 'stale' },
      { itemId: stale.id, reason: 'stale' },
      { itemId: failed.id, reason: 'last_sync_failed' },
    ]);
  });

  it('follows the configured threshold', async () => {
    const item = await createItem(h.db, { createdAt: hoursAgo(72), lastSyncedAt: hoursAgo(7) });
    expect(await findResyncCandidates(h.db, { ...policy, staleHours: 8 })).toEqual([]);
    expect(await findResyncCandidates(h.db, { ...policy, staleHours: 6 })).toEqual([{ itemId: item.id, reason: 'stale' }]);
  });

  it('returns at most `limit` items, the longest-unsynced ones', async () => {
    const byAge = new Map<number, string>();
    for (const hours of [9, 50, 7, 20, 12]) byAge.set(hours, (await createItem(h.db, { createdAt: hoursAgo(100), lastSyncedAt: hoursAgo(hours) })).id);
    const found = await findResyncCandidates(h.db, { ...policy, limit: 3 });
    const byHours = (n: number) => byAge.get(n);
    expect(found.map((c) => c.itemId)).toEqual([byHours(50), byHours(20), byHours(12)]);
  });
});
