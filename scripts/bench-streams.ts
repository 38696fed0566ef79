/**
 * npm run bench:streams — records/s that publishOutbox achieves against kinesalite as the app runs it
 * embedded (on a worker thread of the same process),
 * starting where a sync leaves them (transactions in the change log: rendering into raw + refined
 * records is part of the publisher's work), next to a bare PutRecords loop (batches of 500) over
 * the same records, rendered beforehand, in the same run. After one small untimed round of each,
 * BENCH_RUNS (default 5) runs, each on a fresh database and fresh kinesalite, alternating which
 * side goes first; per-run ratios and the median are printed. On PGlite in memory (the app's
 * embedded database) unless BENCH_DATABASE_URL names a Postgres server (a scratch database per
 * run). BENCH_KINESIS=process runs kinesalite in a process of its own, BENCH_KINESIS=main on the
 * publisher's own thread (the embedded default before 2026-12-06), for both sides.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { type Db, type DbHandle, openDb } from '../db/client';
import { createTarget } from './bench/sync-targets';
import { runMigrations } from '../db/migrate';
import { setEnvForTests } from '../test/support/env';
import { createLogger } from '../server/logger';
import { startKinesalite } from '../server/streams/kinesalite';
import { startEmbeddedKinesis } from '../server/streams/kinesalite-thread';
import { createKinesisClient, localCredentials } from '../server/streams/kinesis-client';
import { transactionChanges } from '../db/schema';
import { publishOutbox } from '../server/streams/publisher';
import { renderChange } from '../server/streams/render-changes';
import { appendTransactionChanges } from '../server/streams/transaction-changes';
import type { OutboxRecord } from '../server/streams/records';
import { fakePlaidTransaction, testStreams } from '../test/support/streams';
import { result } from './bench/report';

const ITEMS = 20;
const TRANSACTIONS = 10_000; // raw + refined: 20,000 records
const PAGE = 500;

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** BENCH_DATABASE_URL: run on scratch databases on that Postgres server instead of PGlite in memory (the app's default). */
const serverUrl = process.env.BENCH_DATABASE_URL;
const dbName = serverUrl ? 'Postgres' : 'PGlite in memory';

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

/** A fresh database with the change log holding TRANSACTIONS changes, as a sync leaves them. */
async function fill(transactions = TRANSACTIONS) {
  let handle: DbHandle;
  if (serverUrl) {
    const target = await createTarget('postgres', serverUrl);
    const opened = openDb(target.db);
    handle = { ...opened, close: async () => { await opened.close(); await target.drop(); } };
  } else {
    handle = openDb({ memory: true });
    await runMigrations(handle);
  }
  const items = Array.from({ length: ITEMS }, () => randomUUID());
  let n = 0;
  const fillStart = performance.now();
  for (const itemId of items) {
    for (let done = 0; done < transactions / ITEMS; done += PAGE) {
      const added = Array.from({ length: Math.min(PAGE, transactions / ITEMS - done) }, () => fakePlaidTransaction(n++));
      const ctx = { userId: `user_${itemId.slice(0, 4)}`, itemId, receivedAt: new Date() };
      await handle.db.transaction((tx) => appendTransactionChanges(tx, ctx, added.map((transaction) => ({ changeType: 'added' as const, transaction, version: 1 }))));
    }
  }
  // The same records, rendered here for the baseline (the publisher renders its own).
  const all: OutboxRecord[] = (await handle.db.select().from(transactionChanges).orderBy(transactionChanges.seq)).flatMap(renderChange);
  return { handle, all, fillMs: performance.now() - fillStart };
}

/** Kinesalite in a child process (scripts/bench/kinesalite-process.ts), stopped by its PID. */
async function kinesaliteProcess(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const child = fork(path.join(import.meta.dirname, 'bench/kinesalite-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { endpoint } = await new Promise<{ endpoint: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { endpoint: string }));
    child.once('exit', (code) => reject(new Error(`kinesalite process exited with ${code}`)));
  });
  return {
    endpoint,
    close: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      process.kill(child.pid!, 'SIGTERM');
    }),
  };
}

const KINESIS = process.env.BENCH_KINESIS ?? 'thread';
if (!['thread', 'main', 'process'].includes(KINESIS)) throw new Error('BENCH_KINESIS is thread (the default), main or process');
const kinesisName = { thread: 'kinesalite on a worker thread, as embedded', main: 'kinesalite on the publisher\'s thread', process: 'kinesalite in its own process' }[KINESIS];

async function startKinesis() {
  const options = { streams: Object.values(testStreams), shardCount: 2 };
  if (KINESIS === 'process') return kinesaliteProcess();
  if (KINESIS === 'main') return startKinesalite(options);
  const local = await startEmbeddedKinesis(options);
  if (local.thread !== 'worker') {
    await local.close();
    throw new Error('the embedded kinesalite did not start on a worker thread');
  }
  return local;
}

async function run(name: string, fn: (endpoint: string) => Promise<number>) {
  const local = await startKinesis();
  try {
    const start = performance.now();
    const count = await fn(local.endpoint);
    const ms = performance.now() - start;
    return { name, count, ms, perSecond: count / (ms / 1000) };
  } finally {
    await local.close();
  }
}

/** The app's publisher, with its default settings, on a fresh kinesalite. */
const publisher = (db: Db) => run('publishOutbox', async (endpoint) => {
  const kinesis = createKinesisClient({ endpoint, credentials: localCredentials });
  const result = await publishOutbox(db, kinesis, { streams: testStreams, log: createLogger({ level: 'silent' }) });
  kinesis.destroy();
  if (!result.ok || result.remaining !== 0) throw new Error(`publish failed: ${JSON.stringify(result)}`);
  return result.published;
});

/** A bare PutRecords loop (batches of 500, per stream) over the same records, pre-rendered. */
const rawLoop = (all: readonly OutboxRecord[]) => run('raw PutRecords loop', async (endpoint) => {
  const kinesis = createKinesisClient({ endpoint, credentials: localCredentials });
  let sent = 0;
  for (const kind of ['raw-transactions', 'refined-transactions'] as const) {
    const mine = all.filter((r) => r.stream === kind);
    for (let i = 0; i < mine.length; i += 500) {
      const batch = mine.slice(i, i + 500);
      const res = await kinesis.send(new PutRecordsCommand({
        StreamName: testStreams[kind],
        Records: batch.map((r) => ({ Data: Buffer.from(JSON.stringify(r.payload)), PartitionKey: r.itemId })),
      }));
      if (res.FailedRecordCount) throw new Error('raw loop had failures');
      sent += batch.length;
    }
  }
  kinesis.destroy();
  return sent;
});

const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
/** The middle value (for an even count, the mean of the two middle ones). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const runs: { outbox: Awaited<ReturnType<typeof run>>; raw: Awaited<ReturnType<typeof run>>; ratio: number }[] = [];
// One small untimed round of each side first: whichever side ran first in a run otherwise paid for
// warming up the SDK, kinesalite and the JIT (measured: the side going first lost 0.1–0.3 of ratio).
{
  const warm = await fill(1_000);
  await publisher(warm.handle.db);
  await rawLoop(warm.all);
  await warm.handle.close();
}
for (let i = 1; i <= RUNS; i++) {
  const { handle, all, fillMs } = await fill();
  // Alternate which goes first, so a burst of load on this shared machine does not always land on one side.
  let outbox: Awaited<ReturnType<typeof run>>;
  let raw: Awaited<ReturnType<typeof run>>;
  if (i % 2) {
    outbox = await publisher(handle.db);
    raw = await rawLoop(all);
  } else {
    raw = await rawLoop(all);
    outbox = await publisher(handle.db);
  }
  await handle.close();
  const ratio = outbox.perSecond / raw.perSecond;
  runs.push({ outbox, raw, ratio });
  console.log(`run ${i}: change log ${fmt(all.length / 2)} changes (${fmt(all.length)} records), ${ITEMS} items, filled in ${fmt(fillMs)} ms (${dbName}, ${kinesisName})`);
  for (const r of [outbox, raw]) console.log(`  ${r.name.padEnd(22)} ${fmt(r.count)} records in ${fmt(r.ms)} ms = ${fmt(r.perSecond)} records/s`);
  console.log(`  ratio publishOutbox / raw loop: ${ratio.toFixed(2)}`);
}
const mid = median(runs.map((r) => r.ratio));
console.log(`ratios per run: ${runs.map((r) => r.ratio.toFixed(2)).join(', ')}; median ${mid.toFixed(2)}`);
const outboxMedian = median(runs.map((r) => r.outbox.perSecond));
const rawMedian = median(runs.map((r) => r.raw.perSecond));
const tag = `${serverUrl ? ', Postgres' : ''}${KINESIS === 'thread' ? '' : `, ${kinesisName}`}`;
result('streams', `publishOutbox records/s (rendering included, median${tag})`, Math.round(outboxMedian), `raw PutRecords loop ${Math.round(rawMedian)}/s`);
result('streams', `publishOutbox / raw PutRecords loop (median${tag})`, mid.toFixed(2), `runs ${runs.map((r) => r.ratio.toFixed(2)).join(', ')}`);
