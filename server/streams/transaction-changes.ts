import { count, min, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { transactionChanges } from '../../db/schema/transaction-changes';
import type { PlaidRemovedTransactionInput } from './plaid-input';
import type { RecordContext, TransactionChange } from './records';

/** Rows per INSERT of the change log: bounds one statement's JSON parameter. */
const INSERT_CHUNK = 2_000;

/**
 * The columns every change of one page shares, as SQL parameters. upsertTransactions writes its
 * added/modified changes with the same values from inside its own statement.
 */
export function changeContextParams(ctx: RecordContext) {
  return {
    itemId: ctx.itemId,
    userId: ctx.userId,
    institutionId: ctx.institution?.id ?? null,
    institutionName: ctx.institution?.name ?? null,
    sourceVersion: ctx.sourceVersion ?? null,
    receivedAt: ctx.receivedAt.toISOString(),
  };
}

/**
 * Appends changes to the transaction change log (in the caller's transaction, with the change
 * itself). Only the transaction write path (server/transactions/transaction-writes.ts) logs real
 * changes; tests and the bench log made-up ones.
 */
export async function appendTransactionChanges(tx: Tx | Db, ctx: RecordContext, changes: readonly TransactionChange[]): Promise<number> {
  const c = changeContextParams(ctx);
  for (let i = 0; i < changes.length; i += INSERT_CHUNK) {
    const chunk = JSON.stringify(changes.slice(i, i + INSERT_CHUNK).map((ch) => ({
      changeType: ch.changeType, transaction: ch.transaction, postedTransactionId: ch.changeType === 'removed' ? (ch.postedTransactionId ?? null) : null,
      version: ch.version,
    })));
    await tx.execute(sql`
      insert into transaction_changes (item_id, user_id, change_type, transaction, posted_transaction_id, institution_id, institution_name, source_version, received_at, version)
      select ${c.itemId}::uuid, ${c.userId}, x->>'changeType', x->'transaction', x->>'postedTransactionId',
        ${c.institutionId}, ${c.institutionName}, ${c.sourceVersion}, ${c.receivedAt}::timestamptz, (x->>'version')::int
      from jsonb_array_elements(${chunk}::jsonb) with ordinality as e(x, n)
      order by n`);
  }
  return changes.length;
}

/**
 * Removal changes for a page: a removed pending transaction whose posted successor is in the
 * same page (added or modified) carries `postedTransactionId`.
 */
export function removalChanges(
  page: { added: readonly { transaction_id: string; pending_transaction_id?: string | null }[]; modified: readonly { transaction_id: string; pending_transaction_id?: string | null }[] },
  removed: readonly (PlaidRemovedTransactionInput & { version: number })[],
): TransactionChange[] {
  const postedByPending = new Map<string, string>();
  for (const t of [...page.added, ...page.modified]) {
    if (t.pending_transaction_id) postedByPending.set(t.pending_transaction_id, t.transaction_id);
  }
  return removed.map(({ version, ...transaction }) => ({ changeType: 'removed' as const, transaction, version, postedTransactionId: postedByPending.get(transaction.transaction_id) ?? null }));
}

/** Logged changes not yet rendered, and when the oldest was logged. */
export async function pendingTransactionChanges(db: Db | Tx): Promise<{ changes: number; oldest: Date | null }> {
  const [row] = await db.select({ n: count(), oldest: min(transactionChanges.createdAt) }).from(transactionChanges);
  return { changes: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
}
