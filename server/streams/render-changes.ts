import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { transactionChanges } from '../../db/schema/transaction-changes';
import { appendToOutbox } from './outbox';
import { CLAIM_LOCK_KEY } from './outbox-claims';
import { renderChange } from './numbered-records';

export { renderChange } from './numbered-records';

/**
 * Renders up to `limit` of the oldest logged changes into stream_outbox (raw, then refined, in
 * seq order) and deletes exactly those rows, in one transaction, under the outbox claim lock.
 * Changes in a change-log publisher's batch (change_log_lease) are left to it. The publisher
 * itself sends changes straight from the log (change-log-publisher.ts); this is for tests and
 * callers that read stream_outbox directly.
 */
export async function renderTransactionChanges(db: Db, { limit = 2_000 }: { limit?: number } = {}): Promise<{ changes: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`);
    const rows = await tx.select().from(transactionChanges)
      .where(sql`not exists (select 1 from change_log_lease l, jsonb_array_elements(l.batch) b, jsonb_array_elements(b->'changes') c where (c.value)::bigint = ${transactionChanges.seq})`)
      .orderBy(asc(transactionChanges.seq)).limit(limit);
    if (rows.length === 0) return { changes: 0 };
    await appendToOutbox(tx, rows.flatMap(renderChange));
    // By seq, not by range: a change committed meanwhile below the last seq is not ours yet.
    await tx.execute(sql`delete from transaction_changes where seq = any(${`{${rows.map((r) => r.seq).join(',')}}`}::bigint[])`);
    return { changes: rows.length };
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
