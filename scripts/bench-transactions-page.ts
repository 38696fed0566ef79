/**
 * npm run bench:transactions-page — how fast `transactions.cached` serves a page for a user with
 * 50,000 stored transactions, through createCaller (the same procedure, authorisation and query
 * the browser's /transactions page uses). Target: first page under 300 ms.
 *
 *   tsx scripts/bench-transactions-page.ts            embedded PGlite in memory, real migrations
 *   tsx scripts/bench-transactions-page.ts --url=postgres://...   a Postgres database (migrated here)
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client';
import { runMigrations } from '../db/migrate';
import { plaidItems, users } from '../db/schema';
import type { AppDeps } from '../server/deps';
import { setEnvForTests } from '../test/support/env';
import { createInnerContext, type SessionUser } from '../server/trpc/context';
import { createCaller } from '../server/trpc/routers/_app';
import { result } from './bench/report';

const TRANSACTIONS = 50_000;
const ITEMS = 2;
const ACCOUNTS_PER_ITEM = 3;
const RUNS = 30;

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const url = process.argv.find((a) => a.startsWith('--url='))?.slice(6);
const handle = openDb(url ? { url } : { memory: true });
await runMigrations(handle);
const { db } = handle;

const user: SessionUser = { id: randomUUID(), email: `bench-${Date.now()}@example.com`, role: 'user', status: 'ACTIVE' };
await db.insert(users).values({ id: user.id, email: user.email, name: 'Bench', role: 'user', status: 'ACTIVE' });
const itemIds: string[] = [];
for (let i = 0; i < ITEMS; i++) {
  const [row] = await db
    .insert(plaidItems)
    .values({ plaidItemId: `bench-item-${randomUUID()}`, userId: user.id, accessTokenEnc: 'not-a-real-token', institutionName: `Bench Bank ${i}` })
    .returning({ id: plaidItems.id });
  itemIds.push(row!.id);
}

const fillStart = performance.now();
const perItem = TRANSACTIONS / ITEMS;
for (const [i, itemId] of itemIds.entries()) {
  await db.execute(sql`
    insert into plaid_transactions (id, item_id, account_id, amount, iso_currency_code, date, name, merchant_name, pending, category_primary)
    select 'tx-' || ${i}::text || '-' || g, ${itemId}::uuid, 'acct-' || ${i}::text || '-' || (g % ${ACCOUNTS_PER_ITEM}),
           round(((g * 7919) % 20000 - 2000) / 100.0, 2), 'USD', date '2026-01-01' - (g / 40)::int,
           'Purchase ' || g, case when g % 3 = 0 then 'Coffee Shop ' || (g % 50) else null end, g % 97 = 0,
           (array['FOOD_AND_DRINK','TRANSPORTATION','GENERAL_MERCHANDISE','RENT_AND_UTILITIES','INCOME'])[1 + g % 5]
    from generate_series(1, ${perItem}) g`);
}
await db.execute(sql`analyze plaid_transactions`);
const fillMs = performance.now() - fillStart;

const deps = { config: { plaidEnv: 'emulator' } } as unknown as AppDeps; // transactions.cached never calls Plaid
const api = createCaller(createInnerContext({ db, session: { user }, log: pino({ level: 'silent' }), deps }));

async function time(name: string, fn: () => Promise<{ transactions: unknown[] }>) {
  await fn(); // warm-up (query plans, caches)
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    rows = (await fn()).transactions.length;
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  return { case: name, rows, median_ms: +at(0.5).toFixed(1), p95_ms: +at(0.95).toFixed(1), max_ms: +ms[ms.length - 1]!.toFixed(1) };
}

// A cursor ~25,000 rows deep, reached by walking pages of 500 as a client would.
let cursor: string | undefined;
for (let walked = 0; walked < TRANSACTIONS / 2; walked += 500) {
  const page = await api.transactions.cached({ limit: 500, cursor });
  cursor = page.nextCursor ?? undefined;
}

const results = [
  await time('first page (50)', () => api.transactions.cached({ limit: 50 })),
  await time('first page (500)', () => api.transactions.cached({ limit: 500 })),
  await time('deep page (50) via cursor, ~25,000 in', () => api.transactions.cached({ limit: 50, cursor })),
  await time('one account, first page (50)', () => api.transactions.cached({ limit: 50, accountId: 'acct-0-1' })),
  await time('date range, first page (50)', () => api.transactions.cached({ limit: 50, from: '2025-06-01', to: '2025-06-30' })),
  await time('search "coffee", first page (50)', () => api.transactions.cached({ limit: 50, search: 'coffee' })),
];

console.log(`transactions.cached over ${TRANSACTIONS.toLocaleString('en-US')} transactions (${handle.driver}; fill ${(fillMs / 1000).toFixed(1)} s; ${RUNS} runs each)`);
console.table(results);
const first = results[0]!;
console.log(first.median_ms < 300 ? `OK: first page median ${first.median_ms} ms < 300 ms` : `SLOW: first page median ${first.median_ms} ms ≥ 300 ms`);
result('transactions-page', `first page median / p95 (ms), ${TRANSACTIONS} rows`, `${first.median_ms} / ${first.p95_ms}`, 'target < 300 ms');
await handle.close();
