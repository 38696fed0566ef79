import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidItems, plaidTransactions, syncRuns } from '../../db/schema';
import { setEnvForTests } from '../support/env';
import { linkAs } from '../support/sync';
import { measure, noLosses } from './convergence';
import { createFaultWorld, type FaultWorld } from './fault-world';
import { createFigures } from './figures';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';

/**
 * The Postgres server restarted (`pg_ctl restart -m fast`) in the middle of a many-page sync. The
 * cluster is this file's own (never the shared server); the app's pool, the embedded runner and the
 * sync function are the ones that were running before: nothing is restarted on the app's side.
 * Every connection is cut and the server is away for about a second; the sync's attempt fails,
 * the runner retries it with backoff and it resumes from the last committed page. At the end the
 * item equals the emulator (nothing lost, nothing twice), the cursor is at Plaid's head (a further
 * sync finds nothing), and the outbox and the stream are complete and in order.
 */
setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
/** Retry delays: a tenth of production's 1 s, 2 s, 4 s ...: together they outlast a restart. */
const BACKOFF_SCALE = 0.1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let pg: PrivatePostgres;
let w: FaultWorld;
const figures = createFigures('postgres-restart');

beforeAll(async () => {
  pg = await startPrivatePostgres();
  w = await createFaultWorld('pg-restart', { serverUrl: pg.url });
  await w.start({ backoffScale: BACKOFF_SCALE });
}, 120_000);
afterAll(async () => {
  figures.print();
  await w?.close().catch(() => undefined);
  await pg?.stop();
});

/** w.settle, read through the app's pool: a read of the test's may meet a connection the restart cut. */
async function settleThroughCutConnections() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await w.settle(120_000);
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (code !== 'CONNECTION_CLOSED' || attempt >= 10) throw err;
    }
  }
}

const runsOf = (itemId: string) => w.h.db.select().from(syncRuns).where(eq(syncRuns.itemId, itemId)).orderBy(desc(syncRuns.createdAt));

describe('Postgres restarted in the middle of a sync', () => {
  it('the pool reconnects by itself, the sync retries and converges: nothing lost or duplicated, cursor at the head', async () => {
    const ids = await linkAs(w.h);
    await w.settle(60_000);
    const runner = w.runner();
    // Five months of new data at 10 per page, each page slowed a little so the restart lands mid-pagination.
    w.h.emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', latency_ms: 40, times: 10_000 });
    w.h.emu.emulator.controls.advanceClock(ids.plaidItemId, 150);

    let running: (typeof syncRuns.$inferSelect) | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const [latest] = await runsOf(ids.itemId);
      if (latest?.status === 'RUNNING' && latest.pages >= 3) {
        running = latest;
        break;
      }
      await sleep(20);
    }
    expect(running, 'a sync with pages committed was under way').toBeDefined();
    const restartedAt = performance.now();
    const restart = pg.restart();
    expect(restart.newPid).not.toBe(restart.oldPid);

    // The app meets the cut connections first; the test's own reads wait, then tolerate one too.
    await sleep(2_000);
    await settleThroughCutConnections();
    const convergedS = (performance.now() - restartedAt) / 1000;
    w.h.emu.emulator.controls.clearFaults();
    const [after] = await runsOf(ids.itemId);
    const interrupted = (await w.h.db.select().from(syncRuns).where(eq(syncRuns.id, running!.id)))[0]!;
    const jobRuns = await runner.listRuns({ limit: 1000 });
    const failedAttempts = (await w.h.db.execute(sql`select coalesce(sum(jsonb_array_length(attempt_errors)), 0)::int as n from job_runs`)) as unknown;
    const attemptsFailed = Number(((failedAttempts as { rows?: Array<{ n: number }> }).rows ?? (failedAttempts as Array<{ n: number }>))[0]?.n ?? 0);

    // The same runner and the same pool carried on: the app was not restarted.
    expect(w.runner().id).toBe(runner.id);
    expect(jobRuns.filter((r) => r.functionId.endsWith('sync-transactions') && r.status === 'FAILED')).toEqual([]);
    // The interrupted run finished as the same run, with more pages than it had at the restart.
    expect(interrupted.status).toBe('SUCCEEDED');
    expect(interrupted.pages).toBeGreaterThan(running!.pages);
    expect(attemptsFailed).toBeGreaterThan(0);

    // Nothing lost, nothing twice: the database, the outbox and the stream against the emulator.
    const m = await measure(w, [ids]);
    const rows = await w.h.db.select({ id: plaidTransactions.id }).from(plaidTransactions).where(eq(plaidTransactions.itemId, ids.itemId));
    expect(rows.length).toBe(new Set(rows.map((r) => r.id)).size);

    // The cursor is at Plaid's head: one more sync has nothing to fetch, and no pagination is half done.
    await w.runner().send({ name: 'item/sync.requested', data: { itemId: ids.itemId, trigger: 'test' } });
    await w.settle(60_000);
    const [check] = await runsOf(ids.itemId);
    const [item] = await w.h.db.select().from(plaidItems).where(and(eq(plaidItems.id, ids.itemId)));
    figures.add({
      fault: 'Postgres restarted mid-sync (pg_ctl restart -m fast)',
      injected: 1,
      lost: m.lost,
      checked: m.checked,
      converged: m.lost === 0 && check?.status === 'SUCCEEDED' && check.added + check.modified + check.removed === 0,
      note: `restart ${Math.round(restart.ms)} ms at page ${running!.pages} of ${interrupted.pages}; ${attemptsFailed} attempts failed and were retried; settled ${convergedS.toFixed(1)} s after; same pool and runner; retry backoff ×${BACKOFF_SCALE}`,
    });
    expect(m.byItem).toEqual([noLosses]);
    expect(check?.id).not.toBe(after?.id);
    expect(check).toMatchObject({ status: 'SUCCEEDED', added: 0, modified: 0, removed: 0 });
    expect(item?.transactionsLoopCursor).toBeNull();
  });
});
