import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';

/**
 * The two baselines of `npm run bench:sync`, on the rows the sync just wrote (read back as text):
 * one INSERT ... ON CONFLICT per transaction, as Plaid's sample app writes, and a plain COPY.
 * Both write into scratch copies of plaid_transactions (same columns, defaults and indexes, not
 * partitioned) with Plaid's object in a `raw` column beside them: the same bytes the sync writes
 * into plaid_transactions and plaid_transaction_raw.
 */
const columns = [
  'id', 'item_id', 'account_id', 'amount', 'iso_currency_code', 'unofficial_currency_code', 'date', 'authorized_date',
  'datetime', 'name', 'merchant_name', 'pending', 'pending_transaction_id', 'category_primary', 'category_detailed',
  'payment_channel', 'logo_url', 'raw',
] as const;
export type BenchRow = Record<(typeof columns)[number], string | null>;

export async function readBackRows(db: Db): Promise<BenchRow[]> {
  const list = columns.map((c) => `${c}::text as ${c}`).join(', ');
  return rowsOf<BenchRow>(await db.execute(sql.raw(
    `select ${list} from (select t.*, r.raw from plaid_transactions t join plaid_transaction_raw r on r.item_id = t.item_id and r.transaction_id = t.id) x`,
  )));
}

async function scratchTable(db: Db, name: string) {
  await db.execute(sql.raw(`drop table if exists ${name}; `));
  await db.execute(sql.raw(`create table ${name} (like plaid_transactions including defaults including indexes)`));
  await db.execute(sql.raw(`alter table ${name} add column raw jsonb not null`));
}

/** Seconds for one upsert statement per row, awaited one after the other. */
export async function perRowUpserts(db: Db, rows: readonly BenchRow[]): Promise<number> {
  await scratchTable(db, 'bench_per_row');
  const updates = sql.raw(columns.filter((c) => c !== 'id' && c !== 'item_id').map((c) => `${c} = excluded.${c}`).join(', '));
  const t0 = performance.now();
  for (const r of rows) {
    await db.execute(sql`
      insert into bench_per_row (${sql.raw(columns.join(', '))})
      values (${r.id}, ${r.item_id}::uuid, ${r.account_id}, ${r.amount}::numeric, ${r.iso_currency_code}, ${r.unofficial_currency_code},
        ${r.date}::date, ${r.authorized_date}::date, ${r.datetime}::timestamptz, ${r.name}, ${r.merchant_name}, ${r.pending}::boolean,
        ${r.pending_transaction_id}, ${r.category_primary}, ${r.category_detailed}, ${r.payment_channel}, ${r.logo_url}, ${r.raw}::jsonb)
      on conflict (item_id, id) do update set ${updates}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  await db.execute(sql.raw('drop table bench_per_row'));
  return seconds;
}

const copyText = (v: string | null) =>
  v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** Seconds for COPY ... FROM STDIN of the rows (postgres.js, its own connection). */
export async function copyRows(url: string, rows: readonly BenchRow[]): Promise<number> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe('drop table if exists bench_copy');
    await client.unsafe('create table bench_copy (like plaid_transactions including defaults including indexes)');
    await client.unsafe('alter table bench_copy add column raw jsonb not null');
    const t0 = performance.now();
    const target: Writable = await client.unsafe(`copy bench_copy (${columns.join(', ')}) from stdin`).writable();
    async function* lines() {
      for (let i = 0; i < rows.length; i += 1000) {
        yield rows.slice(i, i + 1000).map((r) => `${columns.map((c) => copyText(r[c])).join('\t')}\n`).join('');
      }
    }
    await pipeline(lines(), target);
    const seconds = (performance.now() - t0) / 1000;
    await client.unsafe('drop table bench_copy');
    return seconds;
  } finally {
    await client.end();
  }
}
