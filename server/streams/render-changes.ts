import { asc, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { transactionChanges } from '../../db/schema/transaction-changes';
import { appendToOutbox } from './outbox';
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

/**
 * Renders up to `limit` of the oldest logged changes into stream_outbox (raw, then refined, in
 * seq order) and deletes exactly those rows, in one transaction. It holds the outbox claim lock,
 * so a publisher never claims an item's records while earlier changes of the item are still being
 * rendered, and two renderers never interleave one item's records. Returns the changes rendered.
 */
export async function expandTransactionChanges(db: Db, { limit = 2_000 }: { limit?: number } = {}): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`);
    const rows = await tx.select().from(transactionChanges).orderBy(asc(transactionChanges.seq)).limit(limit);
    if (rows.length === 0) return 0;
    await appendToOutbox(tx, rows.flatMap(renderChange));
    // By seq, not by range: a change committed meanwhile below the last seq is not ours yet.
    await tx.delete(transactionChanges).where(inArray(transactionChanges.seq, rows.map((r) => Number(r.seq))));
    return rows.length;
  });
}

/** Renders every logged change (tests, and callers that read stream_outbox directly). */
export async function expandAllTransactionChanges(db: Db): Promise<number> {
  let total = 0;
  for (let n = await expandTransactionChanges(db); n > 0; n = await expandTransactionChanges(db)) total += n;
  return total;
}
