import { setItemError } from '@tributary/plaid-emulator/testing';
import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidApiCalls, plaidItems, syncRuns } from '../../db/schema';
import { createResyncSweep } from '../../inngest/functions/resync-sweep';
import { createSyncTransactions } from '../../inngest/functions/sync-transactions';
import { ITEM_ERROR_RULES, SYNCING_STATUSES, type ItemErrorCode } from '../../server/items/lifecycle';
import { createHarness, silentLog, type Harness } from '../support/harness';
import { testJobContext } from '../support/job-context';
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

const CODES = [
  'ITEM_LOGIN_REQUIRED', 'ITEM_LOCKED', 'USER_SETUP_REQUIRED', 'MFA_NOT_SUPPORTED', 'NO_ACCOUNTS', 'ACCESS_NOT_GRANTED',
  'INSUFFICIENT_CREDENTIALS', 'INSTITUTION_NO_LONGER_SUPPORTED', 'USER_PERMISSION_REVOKED', 'ITEM_NOT_FOUND',
  'INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'PRODUCT_NOT_READY', 'PENDING_EXPIRATION', 'PENDING_DISCONNECT',
] as const satisfies readonly ItemErrorCode[];
type State = (typeof CODES)[number] | 'healthy' | 'removed';

interface Subject { state: State; itemId: string; continues: boolean }

/** Whether the table says the item keeps syncing in this state (the status it ends in, and the rule). */
function keepsSyncing(state: State, status: string): boolean {
  if (state === 'healthy') return true;
  if (state === 'removed') return false;
  return ITEM_ERROR_RULES[state].syncContinues && SYNCING_STATUSES.includes(status as never);
}

describe('the re-sync sweep, run, follows the lifecycle table', () => {
  it('re-syncs the items that keep syncing, with sync runs recorded, and leaves the others alone', async () => {
    const subjects: Subject[] = [];
    const flow = await startWebhookFlow(h, 'sweep-hooks');
    try {
      for (const state of ['healthy', 'removed', ...CODES] as State[]) {
        const user = await h.createUser();
        const { item } = await h.linkBank(user);
        const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
        if (state === 'removed') await h.caller(user).items.remove({ itemId: item.id });
        else if (state === 'PENDING_EXPIRATION' || state === 'PENDING_DISCONNECT') {
          // Plaid's warning webhook, through the receiver and handle-plaid-webhook: the item works until the deadline.
          await setItemError(h.emu.url, { item_id: row!.plaidItemId }, state, { webhook: true });
          await flow.deliver(row!.plaidItemId, state);
        } else if (state !== 'healthy') {
          await setItemError(h.emu.url, { item_id: row!.plaidItemId }, state, { webhook: false });
          // The person's live accounts view meets the error first (a door of the table).
          await h.caller(user).accounts.live({ itemId: item.id }).catch(() => undefined);
        }
        const [now] = await h.db.select({ status: plaidItems.status }).from(plaidItems).where(eq(plaidItems.id, item.id));
        const expected = state === 'healthy' ? 'ACTIVE' : state === 'removed' ? 'REMOVED' : (ITEM_ERROR_RULES[state].status ?? 'ACTIVE');
        expect(now!.status, `${state} before the sweep`).toBe(expected);
        subjects.push({ state, itemId: item.id, continues: keepsSyncing(state, now!.status) });
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
