import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidApiCalls, plaidItems, syncRuns } from '../../db/schema';
import { createResyncSweep } from '../../inngest/functions/resync-sweep';
import { createSyncTransactions } from '../../inngest/functions/sync-transactions';
import { createHarness, silentLog, type Harness } from '../support/harness';
import { testJobContext } from '../support/job-context';
import { keepsSyncing, LIFECYCLE_STATE_CODES, linkInState, type LifecycleState } from '../support/lifecycle-states';
import { startWebhookFlow } from '../support/webhook-flow';

/**
 * The hourly re-sync sweep, run for real: the resync-sweep function fires on its cron on the
 * embedded runner and its requests reach the real sync-transactions function, which syncs through
 * the emulator. Items are first put into every state of the lifecycle table through real doors (a
 * live accounts call meeting the item error; Plaid's PENDING_* webhooks through the receiver). The
 * sweep must re-sync exactly the items the table says keep syncing — with a sync run recorded — and
 * leave alone (no run, no /transactions/sync call) the ones waiting for the person or ended.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

interface Subject { state: LifecycleState; itemId: string; continues: boolean }

describe('the re-sync sweep, run, follows the lifecycle table', () => {
  it('re-syncs the items that keep syncing, with sync runs recorded, and leaves the others alone', async () => {
    const subjects: Subject[] = [];
    const flow = await startWebhookFlow(h, 'sweep-hooks');
    try {
      for (const state of ['healthy', 'removed', ...LIFECYCLE_STATE_CODES] as LifecycleState[]) {
        const { item } = await linkInState(h, flow, state);
        subjects.push({ state, itemId: item.id, continues: keepsSyncing(state) });
      }
    } finally {
      await flow.stop();
    }
    // Every item is due by the sweep's rule (never synced; created before the cut-off).
    expect(await h.db.select().from(syncRuns)).toEqual([]);

    const client = toyClient('lifecycle-sweep');
    const context = () => testJobContext({ db: h.db, deps: h.deps, log: silentLog, settings: { resync: { staleHours: 0, limit: 1000 } } });
    const sweep = createResyncSweep(client, '* * * * *', context);
    const sync = createSyncTransactions(client, context, { debounce: '1s', concurrency: 4 });
    // Shift the runner's clock so its next minute boundary (the sweep's cron) is 300 ms away.
    const realNow = Date.now();
    const offset = Math.ceil(realNow / 60_000) * 60_000 - 300 - realNow;
    const runner = await startRunner(h.db, client, [sweep, sync], { clock: () => Date.now() + offset });
    try {
      const [queued] = await runner.listRuns({ functionId: 'lifecycle-sweep-resync-sweep' });
      const run = await runner.waitForRun(queued!.id, { timeoutMs: 10_000 });
      const continuing = subjects.filter((s) => s.continues);
      expect(run).toMatchObject({ status: 'COMPLETED', output: { requested: continuing.length } });
      // The syncs it asked for run after their debounce (the bank-down ones retry on the runner's backoff until they give up).
      const deadline = Date.now() + 120_000;
      for (;;) {
        const syncs = await runner.listRuns({ functionId: 'lifecycle-sweep-sync-transactions' });
        if (syncs.length === continuing.length && syncs.every((r) => r.status === 'COMPLETED' || r.status === 'FAILED')) break;
        if (Date.now() > deadline) throw new Error(`sync runs did not finish: ${JSON.stringify(syncs.map((r) => [r.itemId, r.status]))}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      await runner.waitForIdle();
    } finally {
      await runner.stop({ graceMs: 0 });
    }

    for (const s of subjects) {
      const runs = await h.db.select().from(syncRuns).where(eq(syncRuns.itemId, s.itemId));
      const syncCalls = await h.db.select().from(plaidApiCalls).where(and(eq(plaidApiCalls.itemId, s.itemId), eq(plaidApiCalls.endpoint, '/transactions/sync')));
      const [after] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, s.itemId));
      if (!s.continues) {
        expect(runs, `${s.state}: no sync run`).toEqual([]);
        expect(syncCalls, `${s.state}: Plaid not asked`).toEqual([]);
        continue;
      }
      expect(runs.map((r) => r.trigger), `${s.state}: one sweep sync run`).toEqual(['resync-sweep']);
      expect(syncCalls.length, `${s.state}: synced through Plaid`).toBeGreaterThan(0);
      const bankDown = s.state === 'INSTITUTION_DOWN' || s.state === 'INSTITUTION_NOT_RESPONDING';
      // A bank that is down fails the run after its retries (the next sweep tries again); the item is left as it was.
      expect(runs[0]!.status, `${s.state}: run outcome`).toBe(bankDown ? 'FAILED' : 'SUCCEEDED');
      if (!bankDown) expect(after!.lastSyncedAt, `${s.state}: synced`).not.toBeNull();
      expect(after!.status, `${s.state}: status kept`).toBe(s.state.startsWith('PENDING_') ? 'PENDING_DISCONNECT' : 'ACTIVE');
    }
    // The table decides which: the healthy item, the pending deadlines and the passing problems; nothing else.
    expect(subjects.filter((s) => s.continues).map((s) => s.state).sort()).toEqual(
      ['healthy', 'INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'PENDING_DISCONNECT', 'PENDING_EXPIRATION', 'PRODUCT_NOT_READY'].sort(),
    );
  }, 180_000);
});
