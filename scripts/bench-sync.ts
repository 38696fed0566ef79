/**
 * `npm run bench:sync`: sync-requested → all synced for N items (default 20 items, ~100,000
 * transactions) through syncItemTransactions, several items at a time as the runner would, against
 * Postgres (BENCH_DATABASE_URL or TEST_DATABASE_URL: a scratch database is created on that server)
 * and PGlite. In the same run, on the same database and the same rows, two baselines: one
 * INSERT ... ON CONFLICT per transaction, and a plain COPY (Postgres only: PGlite's COPY needs its
 * /dev/blob plumbing, so it is skipped there and said so).
 *
 * Three kinds of process: this one (links the items, makes each scratch database, runs the
 * baselines, prints), the emulator in its own, and per target a sync worker
 * (scripts/bench/sync-worker.ts) bundled with esbuild and run under plain node, as production runs
 * the server code; the resident memory reported is the worker's. PGlite runs four times, side by side:
 * glibc's malloc defaults and the settings `npm start` gives the process (db/pglite-process.ts), in the
 * order defaults, app, app, defaults; the highest peak of each side and the speed ratio are printed.
 *
 * Env: BENCH_ITEMS (20), BENCH_TRANSACTIONS (100000), BENCH_CONCURRENCY (SYNC_CONCURRENCY, 4), BENCH_SKIP_PGLITE=1,
 * BENCH_PROFILE_DIR (a CPU profile of each worker written there), BENCH_WORKER_NODE_ARGS (node flags for the
 * worker; default --max-old-space-size=128, '' for V8's defaults).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { Products } from 'plaid';
import { openDb } from '../db/client';
import { PGLITE_MALLOC_ENV } from '../db/pglite-process';
import { plaidClient } from '@tributary/plaid-emulator/server';
import { copyRows, perRowUpserts, readBackRows } from './bench/sync-baselines';
import { result } from './bench/report';
import { createTarget } from './bench/sync-targets';
import type { WorkerInput, WorkerResult } from './bench/sync-worker';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 20);
const TOTAL = Number(process.env.BENCH_TRANSACTIONS ?? 100_000);
// As many items at a time as the sync function's cap lets run (SYNC_CONCURRENCY, default 4).
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? process.env.SYNC_CONCURRENCY ?? 4);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
// A heap budget, as a container's memory limit gives a Node process: without one V8 lets garbage
// grow towards the machine's memory before collecting (measured 270–310 MB resident here, live heap
// ~50 MB). BENCH_WORKER_NODE_ARGS='' runs the worker on V8's defaults.
const WORKER_NODE_ARGS = process.env.BENCH_WORKER_NODE_ARGS ?? '--max-old-space-size=128';
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

async function startEmulator(purchasesPerDay: number) {
  const child = spawn(process.execPath, ['node_modules/.bin/plaid-emulator', '--port', '0', '--seed', 'bench-sync', '--no-rate-limits', '--pull-delay-ms', '0', '--purchases-per-day', String(purchasesPerDay)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    if (url) return { url, close: async () => { child.kill('SIGTERM'); await once(child, 'exit'); } };
  }
  throw new Error(`emulator did not start: ${out}`);
}

/** The worker as one CommonJS file; packages stay external (loaded with require, as in production). */
// The workspace packages (@tributary/*) export TypeScript source, which plain node cannot load:
// bundle them into the worker while every other package stays external.
const bundleWorkspacePackages: Plugin = {
  name: 'bundle-workspace-packages',
  setup(b) {
    b.onResolve({ filter: /^@tributary\// }, (args) => ({ path: fileURLToPath(import.meta.resolve(args.path)) }));
  },
};

async function buildWorker(): Promise<string> {
  const dir = path.resolve('.bench');
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'sync-worker.cjs');
  await build({ entryPoints: ['scripts/bench/sync-worker.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', plugins: [bundleWorkspacePackages], outfile, logLevel: 'warning' });
  return outfile;
}

async function runWorker(file: string, input: WorkerInput, env: Record<string, string | undefined>): Promise<WorkerResult> {
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const nodeArgs = WORKER_NODE_ARGS.split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...profile, file, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
  let out = '';
  for await (const chunk of child.stdout) out += String(chunk);
  const [code] = (await once(child, 'exit').catch(() => [null])) as [number | null];
  const line = out.split('\n').find((l) => l.startsWith('WORKER_RESULT '));
  if (!line) throw new Error(`sync worker (${input.kind}) failed (exit ${code}): ${out.slice(-2000)}`);
  return JSON.parse(line.slice('WORKER_RESULT '.length)) as WorkerResult;
}

const days = 730;
// Accounts with transactions × days × purchases/day ≈ TOTAL / ITEMS (the emulator's generator spreads them over 3 accounts plus income).
const purchasesPerDay = Math.max(0.5, (TOTAL / ITEMS / days) * 0.93);
const [emulator, workerFile] = await Promise.all([startEmulator(purchasesPerDay), buildWorker()]);
try {
  const plaid = plaidClient(emulator.url);
  const accessTokens: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const pt = await plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109508', initial_products: [Products.Transactions], options: { transactions: { days_requested: days } } });
    accessTokens.push((await plaid.itemPublicTokenExchange({ public_token: pt.data.public_token })).data.access_token);
  }
  const targets: Array<'postgres' | 'pglite'> = [...(serverUrl ? ['postgres' as const] : []), ...(process.env.BENCH_SKIP_PGLITE ? [] : ['pglite' as const])];
  if (!serverUrl) console.log('No BENCH_DATABASE_URL / TEST_DATABASE_URL: Postgres skipped.');
  console.log(`bench:sync — ${ITEMS} items, ${CONCURRENCY} synced at a time, pages of 500, emulator and sync worker in processes of their own (worker: node ${WORKER_NODE_ARGS || 'with V8 defaults'})`);
  // PGlite runs four times, side by side: glibc's malloc defaults, the settings `npm start` gives the
  // process (db/pglite-process.ts), those again, the defaults again — so neither side always goes
  // first on this shared machine. The first of each side renders the change log; the app's gets the baselines.
  type Run = { kind: 'postgres' | 'pglite'; label: string; env: Record<string, string | undefined>; baselines: boolean; render: boolean; side?: 'defaults' | 'app' };
  const defaults = { MALLOC_ARENA_MAX: undefined, MALLOC_TRIM_THRESHOLD_: undefined };
  const runs = targets.flatMap((kind): Run[] => (kind === 'postgres'
    ? [{ kind, label: 'postgres', env: {}, baselines: true, render: true }]
    : [
      { kind, label: 'pglite, glibc defaults', env: defaults, baselines: false, render: true, side: 'defaults' },
      { kind, label: 'pglite, app settings', env: { ...PGLITE_MALLOC_ENV }, baselines: true, render: true, side: 'app' },
      { kind, label: 'pglite, app settings (again)', env: { ...PGLITE_MALLOC_ENV }, baselines: false, render: false, side: 'app' },
      { kind, label: 'pglite, glibc defaults (again)', env: defaults, baselines: false, render: false, side: 'defaults' },
    ]));
  const sides = { defaults: [] as WorkerResult[], app: [] as WorkerResult[] };
  for (const { kind, label, env, baselines: withBaselines, render, side } of runs) {
    const target = await createTarget(kind, serverUrl);
    let r: WorkerResult;
    let baselines: { rows: number; rawBytes: number; perRowSeconds: number; copySeconds: number | null } | null = null;
    try {
      r = await runWorker(workerFile, { kind, db: target.db, emulatorUrl: emulator.url, accessTokens, concurrency: CONCURRENCY, render }, env);
      // The baselines here, on the rows the worker synced (loading 100,000 rows is no part of syncing).
      if (withBaselines) {
        const handle = openDb(target.db);
        try {
          const rows = await readBackRows(handle.db);
          const perRowSeconds = await perRowUpserts(handle.db, rows);
          const copySeconds = 'url' in target.db ? await copyRows(target.db.url, rows) : null;
          // Plaid's objects as stored (jsonb text): the sync writes each twice, COPY once (said below).
          const rawBytes = rows.reduce((n, row) => n + Buffer.byteLength(row.raw ?? ''), 0);
          baselines = { rows: rows.length, rawBytes, perRowSeconds, copySeconds };
        } finally {
          await handle.close();
        }
      }
    } finally {
      await target.drop();
    }
    if (side) sides[side].push(r);
    const rate = r.synced / r.syncSeconds;
    console.log([
      `${label}: sync ${r.synced} transactions in ${r.syncSeconds.toFixed(1)} s = ${Math.round(rate)} tx/s (worker resident memory: ${mb(r.rssBeforeSync)} before, peak ${mb(r.peakRss)} while syncing — JS heap ${mb(r.atPeak.heapUsed)}, buffers ${mb(r.atPeak.external)}; target < 300 MB)`,
      ...(render ? [`         then, off the sync path, the publisher's reading and rendering of ${r.rendered} logged changes into ${2 * r.rendered} stream records in memory: ${r.renderSeconds.toFixed(1)} s = ${Math.round(r.rendered / r.renderSeconds)} changes/s`] : []),
    ].join('\n'));
    if (!baselines) continue;
    const perRowRate = baselines.rows / baselines.perRowSeconds;
    const copyRate = baselines.copySeconds === null ? null : baselines.rows / baselines.copySeconds;
    console.log([
      `         per-row INSERT ... ON CONFLICT: ${Math.round(perRowRate)} rows/s → sync is ${(rate / perRowRate).toFixed(2)}× (target ≥ 4×)`,
      copyRate === null
        ? '         COPY: skipped on PGlite (no COPY FROM STDIN through the driver)'
        : `         COPY: ${Math.round(copyRate)} rows/s → sync is ${(rate / copyRate).toFixed(2)}× (target ≥ 0.6×)\n`
          + `         (not the same writes: COPY puts Plaid's objects, ${mb(baselines.rawBytes)}, once into one unpartitioned table with no foreign key;\n`
          + `          the sync writes them twice, ${mb(2 * baselines.rawBytes)} — plaid_transaction_raw and the change log transaction_changes — into hash partitions, checks the item key per row and stores an md5 digest)`,
    ].join('\n'));
    result('sync', `end-to-end transactions/s (${kind})`, Math.round(rate), `peak RSS while syncing ${mb(r.peakRss)}`);
    result('sync', `sync / per-row upsert (${kind})`, (rate / perRowRate).toFixed(2), 'target ≥ 4×');
    if (copyRate !== null) result('sync', `sync / COPY (${kind})`, (rate / copyRate).toFixed(2), 'target ≥ 0.6×');
    result('sync', `peak resident memory while syncing (${kind})`, mb(r.peakRss), 'target < 300 MB');
    result('sync', `change-log rendering, changes/s (${kind})`, Math.round(r.rendered / r.renderSeconds), 'publisher side, after the sync');
  }
  if (sides.defaults.length && sides.app.length) {
    const rate = (rs: WorkerResult[]) => rs.reduce((n, r) => n + r.synced, 0) / rs.reduce((t, r) => t + r.syncSeconds, 0);
    const peak = (rs: WorkerResult[]) => Math.max(...rs.map((r) => r.peakRss));
    const ratio = rate(sides.app) / rate(sides.defaults);
    console.log(`pglite, app settings against glibc defaults (two runs each): highest peak ${mb(peak(sides.app))} vs ${mb(peak(sides.defaults))}, sync speed ${ratio.toFixed(2)}×`);
    result('sync', 'pglite sync speed, app settings / glibc defaults', ratio.toFixed(2), `highest peak ${mb(peak(sides.app))} vs ${mb(peak(sides.defaults))}`);
  }
} finally {
  await emulator.close();
}
