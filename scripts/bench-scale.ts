/**
 * `npm run bench:scale [-- --scale 0.1]`: plaid_transactions at scale, partitioned vs not, in one run
 * against a real Postgres (BENCH_DATABASE_URL, else TEST_DATABASE_URL; scratch databases named
 * scale_bench_* are made on that server and dropped at the end, BENCH_KEEP=1 keeps them).
 *
 * Loads 100,000 items and 10,000,000 transactions (× --scale) with COPY into a database migrated
 * as the app migrates (plaid_transactions hash-partitioned, TRANSACTION_PARTITIONS or 16), copies
 * the rows into an unpartitioned table with the same columns and indexes (schema `flat`), then
 * times the app's own query functions on each — a connection whose search_path puts `flat` first
 * reads the unpartitioned copy with the same SQL:
 *  - a user's first transactions page and a deep one (keyset cursor 90% into 4,800 rows), p50/p95;
 *  - the spending query (30 days); support's items-by-status (ERROR, oldest first);
 *  - a day's retention (expired operational rows, at the load model's daily rate per item × scale,
 *    among as many rows still kept), through server/hygiene/retention.ts;
 *  - sync throughput: the write path (upsertTransactions, one DB transaction per page of 500 with
 *    the item's cursor) for new items into the big database vs an empty migrated one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql as dsql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Transaction } from 'plaid';
import postgres from 'postgres';
import { type Db, openDb } from '../db/client';
import { runMigrations } from '../db/migrate';
import * as schema from '../db/schema';
import { pruneTable, type RetentionTable } from '../server/hygiene/retention';
import { supportItems } from '../server/support/support-queries';
import { cachedTransactions, encodeCursor } from '../server/transactions/cached-transactions';
import { spendingByCategory } from '../server/transactions/spending';
import { upsertTransactions } from '../server/transactions/transaction-writes';
import { result } from './bench/report';
import { HEAVY_PER_ITEM, loadScaleData, makeFlatCopy } from './bench/scale-load';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SCALE = Number(arg('scale') ?? process.env.BENCH_SCALE ?? 1);
const ITEMS = Math.round(100_000 * SCALE);
const TRANSACTIONS = Math.round(10_000_000 * SCALE);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  console.error('bench:scale needs BENCH_DATABASE_URL (or TEST_DATABASE_URL): a Postgres server to make scratch databases on.');
  process.exit(2);
}
const log = (s: string) => console.log(s);
const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const suffix = randomBytes(4).toString('hex');
const dbUrl = (name: string) => Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
const bigName = `scale_bench_big_${suffix}`;
const emptyName = `scale_bench_empty_${suffix}`;

async function createMigrated(name: string) {
  await admin.unsafe(`create database ${name}`);
  const h = openDb({ url: dbUrl(name) });
  await runMigrations(h);
  await h.close();
}

/** Times `fn` over `inputs`, in order; returns p50 and p95 in ms. */
async function timed<T>(inputs: T[], fn: (x: T) => Promise<unknown>) {
  const ms: number[] = [];
  for (const x of inputs) {
    const t0 = performance.now();
    await fn(x);
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

const fakeTransaction = (item: string, k: number): Transaction =>
  ({
    transaction_id: `sync-${item}-${k}`, account_id: `${item}-a${k % 3}`, amount: (k % 5000) / 100 + 1, iso_currency_code: 'USD',
    unofficial_currency_code: null, date: new Date(Date.UTC(2026, 10, 30) - (k % 730) * 86_400_000).toISOString().slice(0, 10),
    authorized_date: null, datetime: null, name: 'TRADER JOE S #482', merchant_name: "Trader Joe's", pending: false, pending_transaction_id: null,
    personal_finance_category: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_GROCERIES', confidence_level: 'VERY_HIGH' },
    payment_channel: 'in store', logo_url: 'https://plaid-merchant-logos.plaid.com/traderjoes_com.png',
    location: { address: '1 Union Sq W', city: 'New York', region: 'NY', postal_code: '10003', country: 'US', lat: 40.7359, lon: -73.9911, store_number: '482' },
    counterparties: [{ name: "Trader Joe's", type: 'merchant', website: 'traderjoes.com', logo_url: null, confidence_level: 'VERY_HIGH', entity_id: null }],
  }) as unknown as Transaction;

/** New items' backfills through the write path: one DB transaction per page of 500, with the item's cursor. Rows/s. */
async function syncThroughput(db: Db, items: number, perItem: number): Promise<number> {
  const userId = randomUUID();
  await db.insert(schema.users).values({ id: userId, email: `${userId}@bench.invalid`, name: 'sync' });
  const made = await db.insert(schema.plaidItems)
    .values(Array.from({ length: items }, (_, i) => ({ plaidItemId: `sync-${i}-${randomUUID()}`, userId, accessTokenEnc: 'x' })))
    .returning({ id: schema.plaidItems.id });
  const t0 = performance.now();
  for (const { id } of made) {
    for (let from = 0; from < perItem; from += 500) {
      const page = Array.from({ length: Math.min(500, perItem - from) }, (_, k) => fakeTransaction(id, from + k));
      await db.transaction(async (tx) => {
        await upsertTransactions(tx, { userId, itemId: id, receivedAt: new Date(), sourceVersion: `page-${from}` }, page);
        await tx.update(schema.plaidItems).set({ transactionsCursor: `c-${from}` }).where(dsql`${schema.plaidItems.id} = ${id}`);
      });
    }
  }
  return (items * perItem) / ((performance.now() - t0) / 1000);
}

/** A day of expired operational rows at the load model's rates (per item per day) × items, and as many kept. */
async function loadRetentionDay(sql: postgres.Sql, items: number) {
  const old = "now() - interval '400 days'";
  const n = { webhooks: 8 * items, outbox: 66 * items, apiCalls: 4 * items, jobRuns: 4 * items };
  const g = (count: number) => `generate_series(1, ${count}) g`;
  await sql.unsafe(`insert into plaid_webhooks (source, webhook_type, webhook_code, raw_body, verified, dedupe_key, state, received_at, processed_at)
    select 'plaid', 'TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE', '{}', true, 'd-' || g, case when g % 2 = 0 then 'PROCESSED' else 'RECEIVED' end,
      case when g % 2 = 0 then ${old} else now() end, case when g % 2 = 0 then ${old} else null end from ${g(2 * n.webhooks)}`);
  await sql.unsafe(`insert into stream_outbox (stream, item_id, item_sequence, record_id, payload, published_at)
    select 'raw-transactions', gen_random_uuid(), 1, 'r-' || g, '{}'::jsonb, case when g % 2 = 0 then ${old} else now() end from ${g(2 * n.outbox)}`);
  await sql.unsafe(`insert into plaid_api_calls (endpoint, latency_ms, created_at)
    select '/transactions/sync', 50, case when g % 2 = 0 then ${old} else now() end from ${g(2 * n.apiCalls)}`);
  await sql.unsafe(`insert into job_runs (id, function_id, event_name, event, events, status, finished_at)
    select 'run-' || g, 'sync-transactions', 'item/sync.requested', '{}'::jsonb, '[]'::jsonb, 'COMPLETED', case when g % 2 = 0 then ${old} else now() end from ${g(2 * n.jobRuns)}`);
  await sql.unsafe('analyze plaid_webhooks, stream_outbox, plaid_api_calls, job_runs');
  return n.webhooks + n.outbox + n.apiCalls + n.jobRuns;
}

const rows: Array<[string, string, string]> = [];
try {
  log(`bench:scale — ${ITEMS.toLocaleString('en-US')} items, ${TRANSACTIONS.toLocaleString('en-US')} transactions (scale ${SCALE}), partitions: ${process.env.TRANSACTION_PARTITIONS ?? 16}`);
  let t0 = performance.now();
  await createMigrated(bigName);
  await createMigrated(emptyName);
  const big = postgres(dbUrl(bigName), { max: 4, onnotice: () => {} });
  const loaded = await loadScaleData(big, { items: ITEMS, transactions: TRANSACTIONS, log });
  const loadSeconds = seconds(t0);
  t0 = performance.now();
  await makeFlatCopy(big);
  await big.unsafe('vacuum analyze plaid_transactions');
  await big.unsafe('vacuum analyze flat.plaid_transactions');
  await big.unsafe('analyze users, plaid_items');
  log(`  loaded in ${loadSeconds} s; unpartitioned copy made and both analyzed in ${seconds(t0)} s`);

  const partitioned = drizzle(big, { schema }) as unknown as Db;
  const flatClient = postgres(dbUrl(bigName), { max: 4, onnotice: () => {}, connection: { search_path: 'flat,public' } });
  const flat = drizzle(flatClient, { schema }) as unknown as Db;
  const users = loaded.sampleUsers;
  const samples = Array.from({ length: SAMPLES }, (_, i) => users[i % users.length]!);
  // Deep page: the keyset cursor 90% into the user's history (two items of HEAVY_PER_ITEM rows, newest first).
  const deepCursor = async (db: Db, userId: string) => {
    const [row] = await db.execute(dsql`select t.date::text as date, t.id from plaid_transactions t join plaid_items i on i.id = t.item_id
      where i.user_id = ${userId} order by t.date desc, t.id desc offset ${Math.floor(HEAVY_PER_ITEM * 2 * 0.9)} limit 1`) as unknown as Array<{ date: string; id: string }>;
    return encodeCursor(row!);
  };
  const cursors = new Map<string, string>();
  for (const u of users) cursors.set(u, await deepCursor(partitioned, u));

  for (const [label, db] of [['partitioned', partitioned], ['unpartitioned', flat]] as const) {
    // One warm-up pass each, so both sides are measured with the same cache state.
    for (const u of users.slice(0, 10)) await cachedTransactions(db, { userId: u, limit: 50 });
    const first = await timed(samples, (u) => cachedTransactions(db, { userId: u, limit: 50 }));
    const deep = await timed(samples, (u) => cachedTransactions(db, { userId: u, limit: 50, cursor: cursors.get(u) }));
    const spending = await timed(samples.slice(0, 50), (u) => spendingByCategory(db, { userId: u, days: 30, now: new Date(Date.UTC(2026, 11, 1)) }));
    const support = await timed(Array.from({ length: 50 }, () => 0), () => supportItems(db, { status: 'ERROR', limit: 50 }));
    const f = (x: { p50: number; p95: number }) => `p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms`;
    rows.push([`first transactions page (50)`, label, f(first)]);
    rows.push([`deep transactions page (90% in)`, label, f(deep)]);
    rows.push([`spending, 30 days`, label, f(spending)]);
    rows.push([`support items by status (ERROR)`, label, f(support)]);
    result('scale', `first page p95 (${label})`, first.p95.toFixed(1), 'target < 50 ms');
    result('scale', `deep page p95 (${label})`, deep.p95.toFixed(1), 'target < 50 ms');
    result('scale', `spending p95 (${label})`, spending.p95.toFixed(1), 'ms');
    result('scale', `support items-by-status p95 (${label})`, support.p95.toFixed(1), 'ms');
  }

  // Sync throughput into the big database vs an empty one (the same write path, the same rows).
  const emptyHandle = openDb({ url: dbUrl(emptyName) });
  const syncItems = Math.max(4, Math.round(20 * Math.min(1, SCALE * 10)));
  const empty1 = await syncThroughput(emptyHandle.db, syncItems, 2000);
  const big1 = await syncThroughput(partitioned, syncItems, 2000);
  const empty2 = await syncThroughput(emptyHandle.db, syncItems, 2000);
  const big2 = await syncThroughput(partitioned, syncItems, 2000);
  await emptyHandle.close();
  const emptyRate = (empty1 + empty2) / 2;
  const bigRate = (big1 + big2) / 2;
  rows.push([`sync write path (${syncItems} items × 2,000, pages of 500)`, 'empty database', `${Math.round(emptyRate)} rows/s`]);
  rows.push([`sync write path (${syncItems} items × 2,000, pages of 500)`, 'big database (partitioned)', `${Math.round(bigRate)} rows/s = ${(bigRate / emptyRate).toFixed(2)}× empty (target ≥ 0.8×)`]);
  result('scale', 'sync into big / empty database', (bigRate / emptyRate).toFixed(2), 'target ≥ 0.8×');

  // A day's retention, last: it adds rows to the big database.
  t0 = performance.now();
  const expired = await loadRetentionDay(big, ITEMS);
  log(`  ${expired.toLocaleString('en-US')} expired operational rows (a day's) and as many kept loaded in ${seconds(t0)} s`);
  const policy = { streamOutboxDays: 7, jobRunsDays: 14, apiCallsDays: 30, webhookDays: 90 };
  const tables: RetentionTable[] = ['streamOutbox', 'jobRuns', 'apiCalls', 'webhooks'];
  t0 = performance.now();
  let deleted = 0;
  for (const table of tables) {
    for (let more = true; more; ) {
      const r = await pruneTable(partitioned, table, policy, { maxBatches: 50 });
      deleted += r.deleted;
      more = r.more;
    }
  }
  const retentionSeconds = (performance.now() - t0) / 1000;
  rows.push([`a day's retention (${deleted.toLocaleString('en-US')} rows deleted)`, 'batches of 5,000', `${retentionSeconds.toFixed(1)} s = ${Math.round(deleted / retentionSeconds)} rows/s`]);
  result('scale', "a day's retention, seconds", retentionSeconds.toFixed(1), `${deleted} rows`);

  await flatClient.end();
  await big.end();
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  console.log(`\n${'measure'.padEnd(w[0]!)} | ${'table'.padEnd(w[1]!)} | figure`);
  for (const r of rows) console.log(`${r[0].padEnd(w[0]!)} | ${r[1].padEnd(w[1]!)} | ${r[2]}`);
  console.log(`(${loaded.transactions.toLocaleString('en-US')} transactions over ${ITEMS.toLocaleString('en-US')} items; ${SAMPLES} samples per page figure over ${users.length} users with 2 × ${HEAVY_PER_ITEM} transactions)`);
} finally {
  if (!process.env.BENCH_KEEP) {
    await admin.unsafe(`drop database if exists ${bigName} with (force)`);
    await admin.unsafe(`drop database if exists ${emptyName} with (force)`);
  }
  await admin.end();
}
