/**
 * `npm run bench:sync`: sync-requested → all synced for N items (default 20 items, ~100,000
 * transactions) through syncItemTransactions, several items at a time as the runner would, against
 * Postgres (BENCH_DATABASE_URL or TEST_DATABASE_URL: a scratch database is created on that server)
 * and PGlite. In the same run, on the same database and the same rows, two baselines: one
 * INSERT ... ON CONFLICT per transaction, and a plain COPY (Postgres only: PGlite's COPY needs its
 * /dev/blob plumbing, so it is skipped there and said so). The emulator runs in its own process.
 *
 * Env: BENCH_ITEMS (20), BENCH_TRANSACTIONS (100000), BENCH_CONCURRENCY (8), BENCH_SKIP_PGLITE=1.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import postgres from 'postgres';
import { Products } from 'plaid';
import { type DbHandle, openDb } from '../db/client';
import { runMigrations } from '../db/migrate';
import { plaidItems, users } from '../db/schema';
import { createKeyring, encrypt } from '../server/crypto';
import { createLogger } from '../server/logger';
import { plaidClient } from '../server/plaid/emulator/testing';
import { syncItemTransactions } from '../server/sync/sync-item';
import { copyRows, perRowUpserts, readBackRows } from '../server/sync/bench-baselines';
import { expandAllTransactionChanges } from '../server/streams/render-changes';
import { result } from './bench/report';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 20);
const TOTAL = Number(process.env.BENCH_TRANSACTIONS ?? 100_000);
// 8 = the embedded runner's default maxConcurrentRuns: items sync as many at a time as the runner would.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const log = createLogger({ level: 'silent' });
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

async function startEmulator(purchasesPerDay: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/plaid/emulator/cli.ts', '--port', '0', '--seed', 'bench-sync', '--no-rate-limits', '--pull-delay-ms', '0', '--purchases-per-day', String(purchasesPerDay)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    if (url) return { url, close: async () => { child.kill('SIGTERM'); await once(child, 'exit'); } };
  }
  throw new Error(`emulator did not start: ${out}`);
}

/** Peak resident set size while `work` runs (sampled every 50 ms, plus the kernel's own peak). */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const value = await work();
    return { value, peakRss: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

async function openTarget(kind: 'postgres' | 'pglite'): Promise<DbHandle> {
  if (kind === 'pglite') {
    const h = openDb({ memory: true });
    await runMigrations(h);
    return h;
  }
  const name = `bench_sync_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const h = openDb({ url: url.toString() });
  await runMigrations(h);
  return { ...h, async close() { await h.close(); await admin.unsafe(`drop database if exists ${name} with (force)`); await admin.end(); }, url: url.toString() } as DbHandle & { url: string };
}

async function benchTarget(kind: 'postgres' | 'pglite', emulatorUrl: string, tokens: string[]) {
  const handle = await openTarget(kind);
  const { db } = handle;
  const keyring = createKeyring([{ id: 'bench', key: randomBytes(32) }]);
  const deps = { plaid: plaidClient(emulatorUrl), keyring };
  const userId = randomUUID();
  await db.insert(users).values({ id: userId, email: `${userId}@bench.invalid`, name: 'bench', role: 'user' });
  const items = await db.insert(plaidItems).values(tokens.map((t, i) => ({ plaidItemId: `bench-${i}-${randomUUID()}`, userId, accessTokenEnc: encrypt(keyring, t) }))).returning({ id: plaidItems.id });

  const queue = items.map((i) => i.id);
  const t0 = performance.now();
  const { value: synced, peakRss } = await withPeakRss(async () => {
    let n = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const r = await syncItemTransactions(db, deps, { itemId: id, trigger: 'bench' }, log);
        if (r.status === 'SUCCEEDED') n += r.added;
      }
    }));
    return n;
  });
  const syncSeconds = (performance.now() - t0) / 1000;
  // Not part of the sync: the publisher renders the change log into stream records later. Timed so the cost is seen.
  const t1 = performance.now();
  const rendered = await expandAllTransactionChanges(db);
  const renderSeconds = (performance.now() - t1) / 1000;
  const rows = await readBackRows(db);
  const perRow = await perRowUpserts(db, rows);
  const copy = kind === 'postgres' ? await copyRows((handle as DbHandle & { url: string }).url, rows) : null;
  await handle.close();
  return { kind, synced, syncSeconds, rendered, renderSeconds, rate: synced / syncSeconds, peakRss, perRowRate: rows.length / perRow, copyRate: copy === null ? null : rows.length / copy };
}

const days = 730;
// Accounts with transactions × days × purchases/day ≈ TOTAL / ITEMS (the emulator's generator spreads them over 3 accounts plus income).
const purchasesPerDay = Math.max(0.5, (TOTAL / ITEMS / days) * 0.93);
const emulator = await startEmulator(purchasesPerDay);
try {
  const plaid = plaidClient(emulator.url);
  const tokens: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const pt = await plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109508', initial_products: [Products.Transactions], options: { transactions: { days_requested: days } } });
    tokens.push((await plaid.itemPublicTokenExchange({ public_token: pt.data.public_token })).data.access_token);
  }
  const targets: Array<'postgres' | 'pglite'> = [...(serverUrl ? ['postgres' as const] : []), ...(process.env.BENCH_SKIP_PGLITE ? [] : ['pglite' as const])];
  if (!serverUrl) console.log('No BENCH_DATABASE_URL / TEST_DATABASE_URL: Postgres skipped.');
  console.log(`bench:sync — ${ITEMS} items, ${CONCURRENCY} synced at a time, pages of 500, emulator in its own process`);
  for (const kind of targets) {
    const r = await benchTarget(kind, emulator.url, tokens);
    const line = [
      `${kind.padEnd(8)} sync: ${r.synced} transactions in ${r.syncSeconds.toFixed(1)} s = ${Math.round(r.rate)} tx/s (peak RSS while syncing ${mb(r.peakRss)})`,
      `         then, off the sync path, the publisher's rendering of ${r.rendered} logged changes into ${2 * r.rendered} stream records: ${r.renderSeconds.toFixed(1)} s = ${Math.round(r.rendered / r.renderSeconds)} changes/s`,
      `         per-row INSERT ... ON CONFLICT: ${Math.round(r.perRowRate)} rows/s → sync is ${(r.rate / r.perRowRate).toFixed(2)}× (target ≥ 4×)`,
      r.copyRate === null
        ? '         COPY: skipped on PGlite (no COPY FROM STDIN through the driver)'
        : `         COPY: ${Math.round(r.copyRate)} rows/s → sync is ${(r.rate / r.copyRate).toFixed(2)}× (target ≥ 0.4×)`,
    ];
    console.log(line.join('\n'));
    result('sync', `end-to-end transactions/s (${kind})`, Math.round(r.rate), `peak RSS while syncing ${mb(r.peakRss)}`);
    result('sync', `sync / per-row upsert (${kind})`, (r.rate / r.perRowRate).toFixed(2), 'target ≥ 4×');
    if (r.copyRate !== null) result('sync', `sync / COPY (${kind})`, (r.rate / r.copyRate).toFixed(2), 'target ≥ 0.4×');
  }
  console.log(`process peak RSS (whole run, incl. baselines): ${mb(process.resourceUsage().maxRSS * 1024)}`);
} finally {
  await emulator.close();
}
