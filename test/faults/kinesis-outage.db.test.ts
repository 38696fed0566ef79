import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows';
import { syncRuns } from '../../db/schema';
import { streamKinds } from '../../db/schema/outbox';
import { serveMetrics } from '../../server/metrics/metrics-route';
import { readWholeStream, replayStreams } from '../../server/streams/replay';
import type { RunSummary } from '@tributary/inngest-embedded';
import { createTestDb } from '../support/db';
import { setEnvForTests } from '../support/env';
import { itemSnapshot } from '../support/replica-views';
import { testStreams } from '../support/streams';
import { databaseView, emulatorView, linkAs } from '../support/sync';
import { webhookLosses } from './convergence';
import { createFaultWorld, type FaultWorld } from './fault-world';
import { createFigures } from './figures';

/**
 * Kinesis unreachable for an hour while webhooks keep coming. The app reaches kinesalite through a
 * TCP link that is cut (the port refuses connections); the embedded runner's clock is moved on 5
 * minutes at a time for 60 minutes: at each step the publisher's cron sweep (every minute, as in
 * production) fires once — a runner that was away does not replay missed minutes, so 12 sweeps stand
 * for the hour's 60 — and then each item gets news at Plaid (new days of transactions or a refresh:
 * additions, modifications, pending → posted removals) that arrives as signed webhooks.
 * Through the hour the app answers every webhook 200 and stores it, the syncs run to the end, and
 * every publish fails with its records kept and the reason shown (/metrics backlog, the support
 * console's stream backlog). Then the link comes back: the same runner and the same Kinesis client
 * publish on the next sweep, and the reference consumer (server/streams/replay.ts) rebuilds each
 * item from the streams equal to the app, row for row: per item and stream every sequence number
 * once, in order, no gaps; repeats (at least once) are counted.
 * Only the runner's clock is simulated: database timestamps (ages in the backlog) are wall time.
 */
setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const MINUTE_MS = 60_000;
const OUTAGE_MINUTES = 60;
/** The clock's step, and how often every item has news at Plaid (simulated minutes). */
const STEP_MINUTES = 5;
const STEPS = OUTAGE_MINUTES / STEP_MINUTES;
const ITEMS = 2;
let w: FaultWorld;
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;
const figures = createFigures('kinesis-outage');

beforeAll(async () => {
  // Plaid answers at its own pace here (the fault is Kinesis): a loaded machine's slow page is not a Plaid outage.
  w = await createFaultWorld('kinesis', { kinesisLink: true, publishCron: '* * * * *', plaidTimeoutMs: 30_000 });
  // Claims outlast the simulated hour: moving the clock must not expire the runner's own leases.
  await w.start({ clock, leaseMs: 3 * OUTAGE_MINUTES * MINUTE_MS });
}, 120_000);
afterAll(async () => {
  figures.print();
  await w?.close();
});

type Ids = { itemId: string; plaidItemId: string };
const finished = (r: RunSummary) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(r.status);
const publishRuns = async () => {
  const id = w.runner().functions().find((f) => f.id.endsWith('publish-streams'))!.id;
  return w.runner().listRuns({ functionId: id, limit: 500 });
};

/** Runs under way, due, or waiting out a retry's backoff (a sweep queued for a later minute is not). */
async function busyRuns(): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await w.h.db.execute(sql`
    select count(*)::int as n from job_runs
    where status not in ('COMPLETED', 'FAILED', 'CANCELLED') and not (started_at is null and run_at > ${new Date(clock()).toISOString()}::timestamptz)`));
  return row?.n ?? 0;
}

/** Nothing left to do at this simulated moment (with news: every webhook delivered and acted on, too). */
async function quiet(o: { news: boolean }) {
  if (o.news) await w.settle(60_000);
  for (let i = 0; ; i++) {
    await w.runner().waitForIdle({ timeoutMs: 60_000 });
    if ((await busyRuns()) === 0) return;
    if (i > 500) throw new Error('runs still busy after the sweep');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Simulated time passes: the runner's clock moves on, and its due sweep (with any retry) runs. */
async function timePasses(minutes: number) {
  offsetMs += minutes * MINUTE_MS;
  await quiet({ news: false });
}

/** News at Plaid for every item: a new day of transactions, or a refresh (modifications, postings, removals). */
function plaidNews(items: Ids[], round: number) {
  for (const it of items) {
    if (round % 2 === 0) w.h.emu.emulator.controls.advanceClock(it.plaidItemId, 1);
    else w.h.emu.emulator.controls.refresh(it.plaidItemId);
  }
}

const scrape = async () => (await serveMetrics(new Request('http://127.0.0.1/metrics'), { db: w.h.db, embedded: true, token: undefined })).text();
const backlogOnMetrics = (text: string) =>
  text.split('\n').filter((l) => l.startsWith('tributary_outbox_backlog{')).reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

async function recordsOnStreams(): Promise<number> {
  let n = 0;
  for (const kind of streamKinds) n += (await readWholeStream(w.kinesis, testStreams[kind])).length;
  return n;
}

/** Per item and stream, sequence numbers in the order first delivered: counts out-of-order firsts. */
async function sequenceOrder(items: Ids[]) {
  let outOfOrder = 0;
  for (const kind of streamKinds) {
    const last = new Map<string, number>();
    for (const r of (await readWholeStream(w.kinesis, testStreams[kind])) as Array<{ itemId: string; sequence: number }>) {
      if (!items.some((i) => i.itemId === r.itemId)) continue;
      const before = last.get(r.itemId) ?? 0;
      if (r.sequence <= before) continue; // a repeat of one already seen: the consumer drops it
      if (r.sequence !== before + 1) outOfOrder++;
      last.set(r.itemId, r.sequence);
    }
  }
  return outOfOrder;
}

/** Rows of `a` and `b` (matched by id) that differ, or that only one side has. */
function rowsDiffering(a: Array<Record<string, unknown>>, b: Array<Record<string, unknown>>): number {
  const key = (r: Record<string, unknown>) => String(r.id);
  const other = new Map(b.map((r) => [key(r), JSON.stringify(r)]));
  let n = a.filter((r) => other.get(key(r)) !== JSON.stringify(r)).length;
  const mine = new Set(a.map(key));
  n += b.filter((r) => !mine.has(key(r))).length;
  return n;
}

describe('Kinesis unreachable for a simulated hour under steady webhooks', () => {
  it('answers, stores and syncs throughout, keeps the records with the reason, then publishes them all in order by itself', async () => {
    const items: Ids[] = [];
    for (let i = 0; i < ITEMS; i++) items.push(await linkAs(w.h));
    await quiet({ news: true });
    const link = w.kinesisLink!;
    const runner = w.runner();
    const onStreamsBefore = await recordsOnStreams();
    expect(onStreamsBefore).toBeGreaterThan(0);
    const deliveriesBefore = w.h.emu.emulator.controls.webhookDeliveries().length;
    const outageStart = new Date();
    const publishesBefore = new Set((await publishRuns()).map((r) => r.id));

    // The hour without Kinesis.
    await link.cut();
    let backlogPeak = 0;
    for (let step = 1; step <= STEPS; step++) {
      await timePasses(STEP_MINUTES);
      plaidNews(items, step);
      await quiet({ news: true });
      if (step % 3 === 0) backlogPeak = Math.max(backlogPeak, backlogOnMetrics(await scrape()));
    }

    // The app kept answering: every webhook of the hour answered 200 and stored, every sync finished.
    const hourDeliveries = w.h.emu.emulator.controls.webhookDeliveries().slice(deliveriesBefore);
    expect(hourDeliveries.length).toBeGreaterThanOrEqual(ITEMS * STEPS);
    expect(hourDeliveries.flatMap((d) => d.attempts.map((a) => a.status))).toEqual(hourDeliveries.map(() => 200));
    const syncs = await w.h.db.select().from(syncRuns).where(and(inArray(syncRuns.itemId, items.map((i) => i.itemId)), gte(syncRuns.createdAt, outageStart)));
    expect(syncs.length).toBeGreaterThanOrEqual(ITEMS * STEPS);
    expect(syncs.filter((s) => s.status !== 'SUCCEEDED')).toEqual([]);
    for (const it of items) expect(await databaseView(w.h.db, it.itemId)).toEqual(emulatorView(w.h, it.plaidItemId));

    // Publishing failed every time there was something to publish, kept the records and says why.
    const hourPublishes = (await publishRuns()).filter((r) => !publishesBefore.has(r.id) && r.runAt.getTime() <= clock());
    const failedPublishes = hourPublishes.filter((r) => r.status === 'FAILED');
    const sweeps = failedPublishes.filter((r) => r.eventName === 'inngest/scheduled.timer');
    // The rest found nothing to send (sweeps before the first syncs of news): none got anything through.
    for (const r of hourPublishes.filter((x) => x.status !== 'FAILED')) {
      expect((await w.runner().waitForRun(r.id)).output).toEqual(expect.objectContaining({ published: 0, remaining: 0 }));
    }
    expect(sweeps.length).toBeGreaterThanOrEqual(STEPS - 1); // the first step's sweep: nothing yet
    for (const r of failedPublishes) expect(r.error?.message).toMatch(/ECONNREFUSED/);
    const failedAttempts = failedPublishes.reduce((s, r) => s + r.attemptErrors.length, 0);
    expect(await recordsOnStreams()).toBe(onStreamsBefore);
    const metricsText = await scrape();
    const backlog = backlogOnMetrics(metricsText);
    backlogPeak = Math.max(backlogPeak, backlog);
    expect(backlog).toBeGreaterThan(0);
    const support = w.h.caller(await w.h.createUser('support'));
    const cards = await support.support.streams.throughput();
    const waiting = cards.filter((s) => s.backlog.unpublished > 0);
    expect(waiting.length).toBeGreaterThan(0);
    for (const s of waiting) expect(s.backlog.lastError).toMatch(/ECONNREFUSED 127\.0\.0\.1/);
    const lastError = waiting[0]!.backlog.lastError!;

    // Kinesis is back: the next sweep of the same runner, through the same client, drains it all.
    const restoredAt = performance.now();
    await link.restore();
    await timePasses(1);
    const drainedS = (performance.now() - restoredAt) / 1000;
    expect(w.runner().id).toBe(runner.id);
    expect(backlogOnMetrics(await scrape())).toBe(0);
    expect((await support.support.streams.throughput()).map((s) => s.backlog)).toEqual(
      streamKinds.map((stream) => expect.objectContaining({ stream, unpublished: 0, lastError: null })),
    );
    // And the pipeline carries on as usual.
    plaidNews(items, 1);
    await quiet({ news: true });

    // The reference consumer rebuilds every item from the streams: equal to the app, row for row.
    const replica = await createTestDb();
    try {
      const replay = await replayStreams(replica.db, w.kinesis, testStreams);
      const outOfOrder = await sequenceOrder(items);
      let differing = 0;
      let rows = 0;
      let lostWebhooks = 0;
      let vsPlaid = 0;
      for (const it of items) {
        const source = await itemSnapshot(w.h.db, 'source', it.itemId);
        const copy = await itemSnapshot(replica.db, 'replica', it.itemId);
        for (const part of ['items', 'accounts', 'transactions'] as const) {
          differing += rowsDiffering(source[part] as Array<Record<string, unknown>>, copy[part] as Array<Record<string, unknown>>);
          rows += source[part].length;
        }
        expect(copy).toEqual(source);
        const truth = emulatorView(w.h, it.plaidItemId);
        const held = await databaseView(w.h.db, it.itemId);
        vsPlaid += rowsDiffering(truth.transactions, held.transactions) + rowsDiffering(truth.accounts, held.accounts);
        lostWebhooks += Object.values(await webhookLosses(w, it.plaidItemId)).reduce((s, n) => s + n, 0);
      }
      const remaining = backlogOnMetrics(await scrape());
      const lost = replay.gaps.length + outOfOrder + differing + vsPlaid + lostWebhooks + remaining;
      figures.add({
        fault: `Kinesis unreachable ${OUTAGE_MINUTES} simulated min (port refusing)`,
        injected: failedPublishes.length,
        lost,
        checked: rows + hourDeliveries.length,
        converged: lost === 0,
        note: `${failedPublishes.length} publishes failed (${sweeps.length} cron sweeps, ${failedAttempts} attempts); ${hourDeliveries.length} webhooks answered 200, ${syncs.length} syncs succeeded meanwhile; backlog peak ${backlogPeak} records, last error "${lastError}"; drained by the first sweep after, ${drainedS.toFixed(1)} s; ${replay.read} records read, ${replay.duplicates} duplicates (at least once), ${replay.gaps.length} gaps; replica = app over ${rows} rows`,
      });
      expect(replay.gaps).toEqual([]);
      expect(outOfOrder).toBe(0);
      expect({ differing, vsPlaid, lostWebhooks, remaining }).toEqual({ differing: 0, vsPlaid: 0, lostWebhooks: 0, remaining: 0 });
      expect(rows).toBeGreaterThan(ITEMS * 50);
    } finally {
      await replica.close();
    }
  }, 180_000);
});
