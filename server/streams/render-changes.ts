import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { transactionChanges } from '../../db/schema/transaction-changes';
import { rowsOf } from '../../db/rows';
import { type AppendedRow, type AppendLease, appendOutboxRows } from './outbox';
import { CLAIM_LOCK_KEY } from './outbox-claims';
import type { PlaidRemovedTransactionInput, PlaidTransactionInput } from './plaid-input';
import { transactionChangeRecords } from './page-records';
import type { OutboxRecord, RecordContext, TransactionChange } from './records';

type ChangeRow = typeof transactionChanges.$inferSelect;

/** The raw and the refined record of one logged change (the same ids on every render). */
export function renderChange(row: ChangeRow): OutboxRecord[] {
  const ctx: RecordContext = {
    userId: row.userId,
    itemId: row.itemId,
    receivedAt: new Date(row.receivedAt),
    institution: { id: row.institutionId, name: row.institutionName },
    ...(row.sourceVersion === null ? {} : { sourceVersion: row.sourceVersion }),
  };
  const change: TransactionChange = row.changeType === 'removed'
    ? { changeType: 'removed', transaction: row.transaction as PlaidRemovedTransactionInput, postedTransactionId: row.postedTransactionId, version: row.version }
    : { changeType: row.changeType, transaction: row.transaction as PlaidTransactionInput, version: row.version };
  return transactionChangeRecords(ctx, change);
}

export interface RenderLease {
  owner: string;
  leaseMs: number;
  /** Outbox rows this publisher claimed for the same pass: they do not hold their items back. */
  claimed: readonly number[];
}

/**
 * Renders up to `limit` of the oldest logged changes into stream_outbox (raw, then refined, in
 * seq order) and deletes exactly those rows, in one transaction. It holds the outbox claim lock,
 * so a publisher never claims an item's records while earlier changes of the item are still being
 * rendered, and two renderers never interleave one item's records.
 *
 * With `lease`, the rendered rows of every item that has no other unpublished row (apart from the
 * rows in `lease.claimed`) are written leased to `lease.owner` and returned with their payload
 * text, so the publisher sends them without claiming and re-reading them; the other items' rows
 * wait for a claim behind their earlier rows, as any row does.
 */
export async function renderTransactionChanges(db: Db, { limit = 2_000, lease }: { limit?: number; lease?: RenderLease } = {}): Promise<{ changes: number; leased: AppendedRow[] }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`);
    const rows = await tx.select().from(transactionChanges).orderBy(asc(transactionChanges.seq)).limit(limit);
    if (rows.length === 0) return { changes: 0, leased: [] };
    const records = rows.flatMap(renderChange);
    let appendLease: AppendLease | undefined;
    if (lease) {
      const items = new Set(rows.map((r) => r.itemId));
      const blocked = rowsOf<{ item_id: string }>(await tx.execute(sql`
        select distinct item_id from stream_outbox
         where published_at is null and item_id = any(${`{${[...items].join(',')}}`}::uuid[])
           and seq <> all(${`{${lease.claimed.join(',')}}`}::bigint[])`));
      for (const b of blocked) items.delete(b.item_id);
      appendLease = { owner: lease.owner, leaseMs: lease.leaseMs, items };
    }
    const appended = await appendOutboxRows(tx, records, appendLease);
    // By seq, not by range: a change committed meanwhile below the last seq is not ours yet.
    await tx.execute(sql`delete from transaction_changes where seq = any(${`{${rows.map((r) => r.seq).join(',')}}`}::bigint[])`);
    return { changes: rows.length, leased: appended.filter((r) => r.leased) };
  });
}

/** Renders up to `limit` logged changes into stream_outbox, unleased (tests, and callers that read the outbox directly). */
export async function expandTransactionChanges(db: Db, { limit = 2_000 }: { limit?: number } = {}): Promise<number> {
  return (await renderTransactionChanges(db, { limit })).changes;
}

/** Renders every logged change (tests, and callers that read stream_outbox directly). */
export async function expandAllTransactionChanges(db: Db): Promise<number> {
  let total = 0;
  for (let n = await expandTransactionChanges(db); n > 0; n = await expandTransactionChanges(db)) total += n;
  return total;
}
