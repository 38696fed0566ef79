import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import type { StreamKind } from '../../db/schema/outbox';
import type { StreamNames } from './kinesis-client';
import { accountStreamRecord, itemRecord, rawRecord, refinedTransaction } from './refined-schema';

/**
 * The reference consumer (`npm run streams:replay -- --to <DATABASE_URL>`): reads the four
 * streams from TRIM_HORIZON and rebuilds items, accounts and transactions into a separate
 * database by the rules of docs/streams.md — records of an item on a stream in `sequence` order
 * (duplicates dropped, gaps reported), and each entity's record applied only when its `version`
 * is newer than the one held, so replaying twice (or out of order across streams) changes nothing.
 * Accounts and transactions come from the raw streams (Plaid's object, sanitised); items from the
 * item records, which both account streams carry.
 */

/** The consumer's own tables (not Tributary's schema): what a downstream team would keep. */
const REPLICA_DDL = [
  `create table if not exists replica_items (
    item_id uuid primary key, user_id text not null, institution_id text, institution_name text,
    status text not null, reason text, error_code text, version integer not null)`,
  `create table if not exists replica_accounts (
    account_id text primary key, item_id uuid not null, name text, official_name text, mask text, type text, subtype text,
    available_balance numeric, current_balance numeric, credit_limit numeric, iso_currency_code text,
    unofficial_currency_code text, verification_status text, removed boolean not null, raw jsonb, version integer not null)`,
  `create table if not exists replica_transactions (
    transaction_id text primary key, item_id uuid not null, account_id text, amount numeric, iso_currency_code text,
    unofficial_currency_code text, date date, authorized_date date, datetime timestamptz, name text, merchant_name text,
    pending boolean, pending_transaction_id text, category_primary text, category_detailed text, payment_channel text,
    logo_url text, removed boolean not null, raw jsonb, version integer not null)`,
];

export async function createReplicaTables(db: Db): Promise<void> {
  for (const ddl of REPLICA_DDL) await db.execute(sql.raw(ddl));
}

const envelope = z.looseObject({ itemId: z.string(), sequence: z.number().int().positive(), entity: z.string() });
/** What each stream carries, parsed where the records enter the consumer. */
const schemas = {
  'raw-transactions': rawRecord,
  'raw-accounts': z.union([rawRecord, itemRecord]),
  'refined-transactions': refinedTransaction,
  'refined-accounts': accountStreamRecord,
} as const;
type StreamRecord = z.infer<(typeof schemas)['raw-accounts']>;

/** Every record of one stream, all shards, from TRIM_HORIZON to the tip. */
export async function readWholeStream(kinesis: KinesisClient, streamName: string): Promise<unknown[]> {
  const out: unknown[] = [];
  let next: string | undefined;
  const shards: string[] = [];
  do {
    const res = await kinesis.send(new ListShardsCommand(next ? { NextToken: next } : { StreamName: streamName }));
    shards.push(...(res.Shards ?? []).map((s) => s.ShardId!));
    next = res.NextToken;
  } while (next);
  for (const shardId of shards) {
    let { ShardIterator: iterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator) {
      const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of res.Records ?? []) out.push(JSON.parse(Buffer.from(r.Data!).toString('utf8')));
      if (!res.Records?.length) break; // caught up with the tip
      iterator = res.NextShardIterator;
    }
  }
  return out;
}

export interface ReplayResult {
  read: number;
  applied: number;
  /** Same item, stream and sequence seen again (Kinesis delivers at least once). */
  duplicates: number;
  /** Missing sequence numbers, as "item stream from–to": a consumer must not skip past these. */
  gaps: string[];
  /** The last sequence applied per "itemId|stream": where a consumer resumes (`after`). */
  positions: Map<string, number>;
}

/**
 * Orders one stream's records per item by `sequence`, drops repeats and reports gaps. Records of
 * different items are independent; within an item this is the order they were committed in.
 */
export function orderRecords(stream: StreamKind, records: readonly unknown[], result: ReplayResult, after: ReadonlyMap<string, number> = new Map()): unknown[] {
  const byItem = new Map<string, Map<number, unknown>>();
  for (const r of records) {
    const e = envelope.parse(r);
    const seen = byItem.get(e.itemId) ?? new Map<number, unknown>();
    byItem.set(e.itemId, seen);
    if (seen.has(e.sequence)) result.duplicates++;
    else seen.set(e.sequence, r);
  }
  const out: unknown[] = [];
  for (const [itemId, seen] of byItem) {
    const done = after.get(`${itemId}|${stream}`) ?? 0;
    const seqs = [...seen.keys()].filter((s) => s > done).sort((a, b) => a - b);
    let expected = done + 1;
    for (const s of seqs) {
      if (s !== expected) result.gaps.push(`${itemId} ${stream} ${expected}–${s - 1}`);
      expected = s + 1;
      out.push(seen.get(s));
    }
    result.positions.set(`${itemId}|${stream}`, expected - 1);
  }
  return out;
}

/**
 * Applies one record if it is newer than what the replica holds (by the entity's version). A
 * removal keeps the content held; a snapshot's removal carries the whole object (a consumer that
 * lost the row gets it back), a sync's only the ids.
 */
async function applyRecord(db: Db, r: StreamRecord): Promise<void> {
  if (r.entity === 'item') {
    await db.execute(sql`
      insert into replica_items (item_id, user_id, institution_id, institution_name, status, reason, error_code, version)
      values (${r.itemId}, ${r.userId}, ${r.institution.id}, ${r.institution.name}, ${r.status}, ${r.reason}, ${r.errorCode}, ${r.version})
      on conflict (item_id) do update set user_id = excluded.user_id, institution_id = excluded.institution_id,
        institution_name = excluded.institution_name, status = excluded.status, reason = excluded.reason,
        error_code = excluded.error_code, version = excluded.version
      where replica_items.version < excluded.version`);
    return;
  }
  const plaid = JSON.stringify(r.plaid);
  const removed = r.changeType === 'removed';
  if (r.entity === 'account') {
    await db.execute(sql`
      with a as (select ${plaid}::jsonb as p)
      insert into replica_accounts as t (account_id, item_id, name, official_name, mask, type, subtype, available_balance,
        current_balance, credit_limit, iso_currency_code, unofficial_currency_code, verification_status, removed, raw, version)
      select p->>'account_id', ${r.itemId}::uuid, p->>'name', p->>'official_name', p->>'mask', p->>'type', p->>'subtype',
        (p#>>'{balances,available}')::numeric, (p#>>'{balances,current}')::numeric, (p#>>'{balances,limit}')::numeric,
        p#>>'{balances,iso_currency_code}', p#>>'{balances,unofficial_currency_code}', p->>'verification_status',
        ${removed}, case when ${removed} and not (p ? 'balances') then null else p end, ${r.version}
      from a
      on conflict (account_id) do update set
        item_id = excluded.item_id, removed = excluded.removed, version = excluded.version,
        name = case when excluded.removed then t.name else excluded.name end,
        official_name = case when excluded.removed then t.official_name else excluded.official_name end,
        mask = case when excluded.removed then t.mask else excluded.mask end,
        type = case when excluded.removed then t.type else excluded.type end,
        subtype = case when excluded.removed then t.subtype else excluded.subtype end,
        available_balance = case when excluded.removed then t.available_balance else excluded.available_balance end,
        current_balance = case when excluded.removed then t.current_balance else excluded.current_balance end,
        credit_limit = case when excluded.removed then t.credit_limit else excluded.credit_limit end,
        iso_currency_code = case when excluded.removed then t.iso_currency_code else excluded.iso_currency_code end,
        unofficial_currency_code = case when excluded.removed then t.unofficial_currency_code else excluded.unofficial_currency_code end,
        verification_status = case when excluded.removed then t.verification_status else excluded.verification_status end,
        raw = coalesce(excluded.raw, t.raw)
      where t.version < excluded.version`);
    return;
  }
  await db.execute(sql`
    with a as (select ${plaid}::jsonb as p)
    insert into replica_transactions as t (transaction_id, item_id, account_id, amount, iso_currency_code, unofficial_currency_code,
      date, authorized_date, datetime, name, merchant_name, pending, pending_transaction_id, category_primary, category_detailed,
      payment_channel, logo_url, removed, raw, version)
    select p->>'transaction_id', ${r.itemId}::uuid, p->>'account_id', (p->>'amount')::numeric, p->>'iso_currency_code',
      p->>'unofficial_currency_code', (p->>'date')::date, (p->>'authorized_date')::date, (p->>'datetime')::timestamptz,
      coalesce(p->>'name', ''), p->>'merchant_name', (p->>'pending')::boolean, p->>'pending_transaction_id',
      p#>>'{personal_finance_category,primary}', p#>>'{personal_finance_category,detailed}', p->>'payment_channel', p->>'logo_url',
      ${removed}, case when ${removed} and not (p ? 'date') then null else p end, ${r.version}
    from a
    on conflict (transaction_id) do update set
      removed = excluded.removed, version = excluded.version, item_id = excluded.item_id,
      account_id = coalesce(excluded.account_id, t.account_id),
      amount = case when excluded.removed then t.amount else excluded.amount end,
      iso_currency_code = case when excluded.removed then t.iso_currency_code else excluded.iso_currency_code end,
      unofficial_currency_code = case when excluded.removed then t.unofficial_currency_code else excluded.unofficial_currency_code end,
      date = case when excluded.removed then t.date else excluded.date end,
      authorized_date = case when excluded.removed then t.authorized_date else excluded.authorized_date end,
      datetime = case when excluded.removed then t.datetime else excluded.datetime end,
      name = case when excluded.removed then t.name else excluded.name end,
      merchant_name = case when excluded.removed then t.merchant_name else excluded.merchant_name end,
      pending = case when excluded.removed then t.pending else excluded.pending end,
      pending_transaction_id = case when excluded.removed then t.pending_transaction_id else excluded.pending_transaction_id end,
      category_primary = case when excluded.removed then t.category_primary else excluded.category_primary end,
      category_detailed = case when excluded.removed then t.category_detailed else excluded.category_detailed end,
      payment_channel = case when excluded.removed then t.payment_channel else excluded.payment_channel end,
      logo_url = case when excluded.removed then t.logo_url else excluded.logo_url end,
      raw = coalesce(excluded.raw, t.raw)
    where t.version < excluded.version`);
}

/**
 * Reads all four streams and applies the raw ones to `target` (tables created if missing); with
 * `after` (the `positions` of an earlier run), only what came since, as a consumer resumes. The
 * refined streams carry the same changes in refined form: they are read, ordered and validated
 * (a gap there is reported too) but not applied twice.
 */
export async function replayStreams(target: Db, kinesis: KinesisClient, names: StreamNames, o: { after?: ReadonlyMap<string, number> } = {}): Promise<ReplayResult> {
  await createReplicaTables(target);
  const result: ReplayResult = { read: 0, applied: 0, duplicates: 0, gaps: [], positions: new Map(o.after ?? []) };
  const toApply: StreamRecord[] = [];
  for (const stream of ['raw-accounts', 'raw-transactions', 'refined-accounts', 'refined-transactions'] as const) {
    const records = await readWholeStream(kinesis, names[stream]);
    result.read += records.length;
    const ordered = orderRecords(stream, records, result, o.after).map((r) => schemas[stream].parse(r));
    if (stream === 'raw-accounts' || stream === 'raw-transactions') toApply.push(...(ordered as StreamRecord[]));
  }
  for (const r of toApply) {
    await applyRecord(target, r);
    result.applied++;
  }
  return result;
}
