import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';

/**
 * bench:scale's data: users, items and transactions generated here and streamed into Postgres with
 * COPY (postgres.js's COPY FROM STDIN), then an unpartitioned copy of plaid_transactions in schema
 * `flat` (same columns and indexes) for the same queries to run against side by side.
 *
 * Shape: `items` items, two per user; SAMPLE_USERS users own "heavy" items with 24 months of history
 * (2,400 transactions each, the load model's backfill) — the users whose pages are measured — and
 * the rest of `transactions` is spread evenly over the other items. 2% of items are in ERROR, 1% REMOVED.
 */
export const SAMPLE_USERS = 100;
export const HEAVY_PER_ITEM = 2400;
const DAYS = 730;

export interface Loaded {
  userIds: string[];
  itemIds: string[];
  /** Users whose two items are heavy, with the dates that bound their history. */
  sampleUsers: string[];
  transactions: number;
}

const NAMES = ['STARBUCKS STORE #1183', 'TARGET', 'SHELL OIL', 'AMAZON.COM*', 'NETFLIX.COM', 'TRADER JOE S #482', 'UBER *TRIP', 'PAYROLL ACME', 'PG&E WEB ONLINE', 'COMCAST CABLE COMM'];
const CATEGORIES: Array<[string, string]> = [
  ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_COFFEE'], ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_SUPERSTORES'],
  ['TRANSPORTATION', 'TRANSPORTATION_GAS'], ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES'],
  ['ENTERTAINMENT', 'ENTERTAINMENT_TV_AND_MOVIES'], ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_GROCERIES'],
  ['TRANSPORTATION', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], ['INCOME', 'INCOME_WAGES'],
  ['RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_GAS_AND_ELECTRICITY'], ['LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'],
];

const day = (offset: number) => new Date(Date.UTC(2026, 11, 1) - offset * 86_400_000).toISOString().slice(0, 10);

async function copyLines(sql: postgres.Sql, statement: string, lines: () => Generator<string>): Promise<void> {
  const target: Writable = await sql.unsafe(statement).writable();
  await pipeline(lines(), target);
}

/** Chunks of COPY text, ~1,000 rows each. */
function* chunked(rows: Generator<string>): Generator<string> {
  let buf: string[] = [];
  for (const r of rows) {
    buf.push(r);
    if (buf.length === 1000) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length) yield buf.join('');
}

export async function loadScaleData(sql: postgres.Sql, o: { items: number; transactions: number; log: (s: string) => void }): Promise<Loaded> {
  const users = Math.ceil(o.items / 2);
  const userIds = Array.from({ length: users }, () => randomUUID());
  const itemIds = Array.from({ length: o.items }, () => randomUUID());
  const sampleUsers = userIds.slice(0, Math.min(SAMPLE_USERS, users));
  const heavyItems = sampleUsers.length * 2;
  const rest = Math.max(0, o.transactions - heavyItems * HEAVY_PER_ITEM);
  const perLightItem = rest / Math.max(1, o.items - heavyItems);

  await copyLines(sql, 'copy users (id, name, email, role, status) from stdin', () =>
    chunked((function* () {
      for (const id of userIds) yield `${id}\tbench\t${id}@bench.invalid\tuser\tACTIVE\n`;
    })()));
  const statusOf = (i: number) => (i < heavyItems ? 'ACTIVE' : i % 50 === 7 ? 'ERROR' : i % 100 === 13 ? 'REMOVED' : 'ACTIVE');
  await copyLines(sql, 'copy plaid_items (id, user_id, plaid_item_id, access_token_enc, institution_id, institution_name, status, created_at, updated_at) from stdin', () =>
    chunked((function* () {
      for (let i = 0; i < o.items; i++) {
        const at = new Date(Date.UTC(2026, 0, 1) + (i % 330) * 86_400_000).toISOString();
        yield `${itemIds[i]}\t${userIds[Math.floor(i / 2)]}\tbench-${i}\tx\tins_${100 + (i % 40)}\tBank ${i % 40}\t${statusOf(i)}\t${at}\t${at}\n`;
      }
    })()));
  o.log(`  ${users} users and ${o.items} items loaded`);

  let written = 0;
  const t0 = performance.now();
  await copyLines(sql, `copy plaid_transactions (id, item_id, account_id, amount, iso_currency_code, date, name, merchant_name, pending,
      category_primary, category_detailed, payment_channel, version) from stdin`, () =>
    chunked((function* () {
      let carry = 0;
      for (let i = 0; i < o.items; i++) {
        let n: number;
        if (i < heavyItems) n = HEAVY_PER_ITEM;
        else {
          carry += perLightItem;
          n = Math.floor(carry);
          carry -= n;
        }
        const item = itemIds[i];
        for (let k = 0; k < n; k++) {
          const c = (i * 7 + k * 13) % NAMES.length;
          const [primary, detailed] = CATEGORIES[c]!;
          const amount = primary === 'INCOME' ? -(1000 + (k % 997)) : ((k * 37 + i) % 20000) / 100 + 1;
          yield `${item}-${k}\t${item}\t${item}-a${k % 3}\t${amount}\tUSD\t${day(Math.floor((k * DAYS) / Math.max(n, 1)))}\t${NAMES[c]}\t\\N\t${k % 97 === 0 ? 't' : 'f'}\t${primary}\t${detailed}\tonline\t1\n`;
          written++;
          if (written % 1_000_000 === 0) o.log(`  ${written / 1_000_000} M transactions (${Math.round(written / ((performance.now() - t0) / 1000))} rows/s)`);
        }
      }
    })()));
  o.log(`  ${written} transactions loaded with COPY in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { userIds, itemIds, sampleUsers, transactions: written };
}

/** The unpartitioned copy: schema `flat`, same columns, keys and indexes; filled from the partitioned table. */
export async function makeFlatCopy(sql: postgres.Sql): Promise<void> {
  await sql.unsafe('create schema flat');
  await sql.unsafe('create table flat.plaid_transactions (like public.plaid_transactions including defaults)');
  await sql.unsafe('insert into flat.plaid_transactions select * from public.plaid_transactions');
  await sql.unsafe('alter table flat.plaid_transactions add primary key (item_id, id)');
  await sql.unsafe('create index on flat.plaid_transactions (item_id, date desc, id desc)');
  await sql.unsafe('create index on flat.plaid_transactions (account_id, date desc, id desc)');
  await sql.unsafe('create index on flat.plaid_transactions (pending_transaction_id)');
}
