/**
 * bench:sync's worker: syncs one target (Postgres or PGlite) in a process of its own, run as a bundled
 * CommonJS file under plain `node` — the way the app's server code runs in production (Next's
 * build, packages loaded with require), not under tsx, whose loader keeps a second copy of big
 * dependencies (the plaid SDK is a 9.7 MB file: ~105 MB resident with require, ~200 MB under tsx).
 * The resident memory it reports is this process's peak while it syncs (the kernel's high-water mark).
 *
 * Input: the JSON of WorkerInput in argv[2]. Output: one `WORKER_RESULT {json}` line on stdout.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { asc, gt } from 'drizzle-orm';
import { readFileSync, writeFileSync } from 'node:fs';
import { openDb } from '../../db/client';
import { plaidItems, transactionChanges, users } from '../../db/schema';
import { createKeyring, encrypt } from '../../server/crypto';
import { createLogger } from '../../server/logger';
import { plaidClient } from '@tributary/plaid-emulator/server';
import { renderChange } from '../../server/streams/render-changes';
import { syncItemTransactions } from '../../server/sync/sync-item';
import type { BenchTarget } from './sync-targets';

export interface WorkerInput {
  kind: BenchTarget['kind'];
  /** The scratch database, already migrated (scripts/bench/sync-targets.ts). */
  db: BenchTarget['db'];
  emulatorUrl: string;
  accessTokens: string[];
  concurrency: number;
  /** Also time the publisher's rendering of the change log after the sync (default true). */
  render?: boolean;
}

export interface WorkerResult {
  kind: WorkerInput['kind'];
  synced: number;
  syncSeconds: number;
  rssBeforeSync: number;
  peakRss: number;
  /** JS heap in use and off-heap memory (buffers) when resident memory peaked. */
  atPeak: { heapUsed: number; external: number };
  rendered: number;
  renderSeconds: number;
}

const log = createLogger({ level: 'silent' });

/**
 * The kernel's own high-water mark of this process's resident memory (VmHWM), reset to the current
 * resident size first (writing 5 to /proc/self/clear_refs), so a peak inside one long synchronous
 * WASM call — when no timer can fire — is counted too. Null where /proc is not Linux's.
 */
function kernelPeak(): { reset(): boolean; read(): number | null } {
  return {
    reset() {
      try {
        writeFileSync('/proc/self/clear_refs', '5');
        return true;
      } catch {
        return false;
      }
    },
    read() {
      try {
        const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
        return kb ? Number(kb) * 1024 : null;
      } catch {
        return null;
      }
    },
  };
}

/**
 * Peak resident set size while `work` runs: the kernel's high-water mark where it can be reset
 * (Linux), else the highest of samples every 10 ms; and the JS heap / off-heap buffers at the
 * highest sample.
 */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number; atPeak: { heapUsed: number; external: number } }> {
  const kernel = kernelPeak();
  const exact = kernel.reset();
  let peak = process.memoryUsage();
  const sample = () => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  };
  const timer = setInterval(sample, 10);
  try {
    const value = await work();
    sample();
    const hwm = exact ? kernel.read() : null;
    return { value, peakRss: Math.max(hwm ?? 0, peak.rss), atPeak: { heapUsed: peak.heapUsed, external: peak.external } };
  } finally {
    clearInterval(timer);
  }
}

async function run(input: WorkerInput): Promise<WorkerResult> {
  const handle = openDb(input.db);
  const { db } = handle;
  try {
    const keyring = createKeyring([{ id: 'bench', key: randomBytes(32) }]);
    // No durable functions here: a status change the bench causes would be a failed sync, counted below.
    const deps = { plaid: plaidClient(input.emulatorUrl), keyring, send: async () => {} };
    const userId = randomUUID();
    await db.insert(users).values({ id: userId, email: `${userId}@bench.invalid`, name: 'bench', role: 'user' });
    const items = await db.insert(plaidItems)
      .values(input.accessTokens.map((t, i) => ({ plaidItemId: `bench-${i}-${randomUUID()}`, userId, accessTokenEnc: encrypt(keyring, t) })))
      .returning({ id: plaidItems.id });

    const queue = items.map((i) => i.id);
    const rssBeforeSync = process.memoryUsage().rss;
    const t0 = performance.now();
    const { value: synced, peakRss, atPeak } = await withPeakRss(async () => {
      let n = 0;
      await Promise.all(Array.from({ length: input.concurrency }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const r = await syncItemTransactions(db, deps, { itemId: id, trigger: 'bench' }, log);
          if (r.status === 'SUCCEEDED') n += r.added;
        }
      }));
      return n;
    });
    const syncSeconds = (performance.now() - t0) / 1000;
    // Not part of the sync: the publisher reads the change log and renders stream records in memory
    // later (batches of 1,000, as change-log-batch.ts does). Timed so the cost is seen.
    const t1 = performance.now();
    let rendered = 0;
    if (input.render !== false) {
      for (let after = 0; ;) {
        const rows = await db.select().from(transactionChanges).where(gt(transactionChanges.seq, after)).orderBy(asc(transactionChanges.seq)).limit(1_000);
        if (rows.length === 0) break;
        for (const row of rows) renderChange(row);
        rendered += rows.length;
        after = rows.at(-1)!.seq;
      }
    }
    const renderSeconds = (performance.now() - t1) / 1000;
    return { kind: input.kind, synced, syncSeconds, rssBeforeSync, peakRss, atPeak, rendered, renderSeconds };
  } finally {
    await handle.close();
  }
}

const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;
run(input).then(
  (r) => {
    console.log(`WORKER_RESULT ${JSON.stringify(r)}`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
