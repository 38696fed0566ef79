import { sql } from 'drizzle-orm';
import type { RemovedTransaction, Transaction } from 'plaid';
import type { Db, Tx } from '../../db/client';
import { rowsOf } from '../../db/rows';
import type { RecordContext } from '../streams/records';
import { appendTransactionChanges, changeContextParams, removalChanges } from '../streams/transaction-changes';

/**
 * THE write path of plaid_transactions: every change to a transaction (sync pages,
 * TRANSACTIONS_REMOVED, re-mine reconciliation) goes through this module, which writes the row,
 * bumps its version and logs the change for the streams (transaction_changes) in the caller's
 * database transaction. test/layout/write-paths.test.ts fails if any other module writes the table.
 */

export interface TransactionWrites {
  /** Rows that did not exist before. */
  added: number;
  /** Rows that existed and changed (content, or brought back from removed). */
  modified: number;
}

/**
 * Upserts a page's added and modified transactions and logs each real change to
 * transaction_changes, in ONE statement: the page travels as a single jsonb parameter that
 * Postgres expands (jsonb_array_elements), so there is no per-row SQL, no 65,535-parameter ceiling
 * and the page's JSON crosses the wire once. Amounts go from JSON text straight to numeric — no
 * float math on money. Changes are logged in page order; the publisher renders them into stream
 * records later (server/streams/transaction-changes.ts).
 *
 * Plaid's object goes to plaid_transaction_raw (the hot, partitioned table keeps its md5 digest).
 * A row that already holds exactly Plaid's version (the raw JSON's digest and the columns derived
 * from it; a re-mine repairs a drifted column) is left alone, so replaying a page (a retry,
 * or a restart after TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION) writes nothing and logs
 * nothing: that is what keeps replays idempotent for the streams too.
 */
export async function upsertTransactions(db: Db | Tx, ctx: RecordContext, list: readonly Transaction[]): Promise<TransactionWrites> {
  if (list.length === 0) return { added: 0, modified: 0 };
  // One INSERT may not touch a row twice: the last version in the page wins.
  const byId = new Map<string, Transaction>();
  for (const t of list) byId.set(t.transaction_id, t);
  const page = JSON.stringify([...byId.values()]);
  const c = changeContextParams(ctx);
  const result = await db.execute(sql`
    with page as materialized (
      select t, n, t->>'transaction_id' as id, md5(t::text)::uuid as digest from jsonb_array_elements(${page}::jsonb) with ordinality as e(t, n)
    ), existing as materialized (
      -- Which rows were there before (a partitioned table cannot return xmax): the statement's snapshot.
      select x.id from plaid_transactions x
      where x.item_id = ${c.itemId}::uuid and x.id in (select id from page)
    ), written as (
      insert into plaid_transactions as p (
        id, item_id, account_id, amount, iso_currency_code, unofficial_currency_code, date, authorized_date,
        datetime, name, merchant_name, pending, pending_transaction_id, category_primary, category_detailed,
        payment_channel, logo_url, raw_digest, removed_at, updated_at, version
      )
      select id, ${c.itemId}::uuid, t->>'account_id', (t->>'amount')::numeric,
        t->>'iso_currency_code', t->>'unofficial_currency_code', (t->>'date')::date, (t->>'authorized_date')::date,
        (t->>'datetime')::timestamptz, coalesce(t->>'name', ''), t->>'merchant_name', (t->>'pending')::boolean,
        t->>'pending_transaction_id', t#>>'{personal_finance_category,primary}', t#>>'{personal_finance_category,detailed}',
        t->>'payment_channel', t->>'logo_url', digest, null, now(), 1
      from page
      on conflict (item_id, id) do update set
        account_id = excluded.account_id, amount = excluded.amount,
        iso_currency_code = excluded.iso_currency_code, unofficial_currency_code = excluded.unofficial_currency_code,
        date = excluded.date, authorized_date = excluded.authorized_date, datetime = excluded.datetime,
        name = excluded.name, merchant_name = excluded.merchant_name, pending = excluded.pending,
        pending_transaction_id = excluded.pending_transaction_id, category_primary = excluded.category_primary,
        category_detailed = excluded.category_detailed, payment_channel = excluded.payment_channel,
        logo_url = excluded.logo_url, raw_digest = excluded.raw_digest, removed_at = null, updated_at = excluded.updated_at,
        version = p.version + 1
      where p.removed_at is not null
        or (p.raw_digest, p.account_id, p.amount, p.date, p.pending, p.pending_transaction_id, p.name, p.merchant_name)
          is distinct from (excluded.raw_digest, excluded.account_id, excluded.amount, excluded.date,
            excluded.pending, excluded.pending_transaction_id, excluded.name, excluded.merchant_name)
      returning p.id, p.version
    ), outcome as (
      select w.id, w.version, not exists (select 1 from existing e where e.id = w.id) as inserted from written w
    ), raw_written as (
      insert into plaid_transaction_raw as r (item_id, transaction_id, raw)
      select ${c.itemId}::uuid, w.id, page.t from written w join page on page.id = w.id
      on conflict (item_id, transaction_id) do update set raw = excluded.raw
    ), logged as (
      insert into transaction_changes (item_id, user_id, change_type, transaction, institution_id, institution_name, source_version, received_at, version)
      select ${c.itemId}::uuid, ${c.userId}, case when w.inserted then 'added' else 'modified' end, page.t,
        ${c.institutionId}, ${c.institutionName}, ${c.sourceVersion}, ${c.receivedAt}::timestamptz, w.version
      from outcome w join page on page.id = w.id
      order by page.n
      returning 1
    )
    select count(*) filter (where inserted)::int as added, count(*) filter (where not inserted)::int as modified from outcome
  `);
  const [row] = rowsOf<{ added: number | string; modified: number | string }>(result);
  return { added: Number(row?.added ?? 0), modified: Number(row?.modified ?? 0) };
}

/**
 * Marks transactions of the item removed and logs each removal (idempotent: rows already removed
 * are skipped and not logged). `page` gives a removed pending transaction its posted successor
 * when it came in the same sync page. Returns the removed ids.
 */
export async function removeTransactions(
  tx: Tx,
  ctx: RecordContext,
  removed: readonly Pick<RemovedTransaction, 'transaction_id'>[],
  o: { page?: { added: readonly Transaction[]; modified: readonly Transaction[] }; removedAt?: Date } = {},
): Promise<Array<{ transaction_id: string; account_id: string }>> {
  if (removed.length === 0) return [];
  const at = o.removedAt ?? new Date();
  const ids = JSON.stringify([...new Set(removed.map((r) => r.transaction_id))]);
  // One statement naming the item, so it touches the item's partition only (the ids travel as one jsonb parameter).
  const result = await tx.execute(sql`
    update plaid_transactions p set removed_at = ${at.toISOString()}::timestamptz, updated_at = now(), version = p.version + 1
    where p.item_id = ${ctx.itemId}::uuid and p.removed_at is null
      and p.id in (select jsonb_array_elements_text(${ids}::jsonb))
    returning p.id as transaction_id, p.account_id, p.version
  `);
  const rows = rowsOf<{ transaction_id: string; account_id: string; version: number }>(result);
  await appendTransactionChanges(tx, ctx, removalChanges(o.page ?? { added: [], modified: [] }, rows));
  return rows.map(({ transaction_id, account_id }) => ({ transaction_id, account_id }));
}

/**
 * Re-mine reconciliation: every live transaction of the item that Plaid did not return is marked
 * removed, and logged. The kept ids travel as one jsonb parameter (an item may hold 100,000 of them).
 */
export async function removeTransactionsNotIn(tx: Tx, ctx: RecordContext, keep: ReadonlySet<string>): Promise<number> {
  const result = await tx.execute(sql`
    update plaid_transactions p set removed_at = now(), updated_at = now(), version = p.version + 1
    where p.item_id = ${ctx.itemId}::uuid and p.removed_at is null
      and not exists (select 1 from jsonb_array_elements_text(${JSON.stringify([...keep])}::jsonb) k(id) where k.id = p.id)
    returning p.id as transaction_id, p.account_id, p.version
  `);
  const gone = rowsOf<{ transaction_id: string; account_id: string; version: number }>(result);
  await appendTransactionChanges(tx, ctx, removalChanges({ added: [], modified: [] }, gone));
  return gone.length;
}
