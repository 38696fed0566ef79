import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidAccounts, plaidTransactionRaw, plaidTransactions } from '../../db/schema';
import { writeAudit } from '../audit';
import { getItem } from '../items/item-access';
import { recordItemChange, itemRecordContext } from './item-changes';
import { appendToOutbox } from './outbox';
import { accountChangeRecords } from './page-records';
import type { PlaidAccountInput, PlaidTransactionInput } from './plaid-input';
import type { AccountChange, TransactionChange } from './records';
import { appendTransactionChanges } from './transaction-changes';

export interface SnapshotInput { actorId: string; itemId: string; reason: string }
export interface SnapshotResult { accounts: number; transactions: number }

/**
 * Support re-publishes an item's current state for a consumer that lost data: a `snapshot` item
 * record, then every account and transaction (removed ones as `removed`) at its CURRENT version,
 * so a consumer that holds them skips them by the version rule and one that lost them gets them
 * back; a removed one's record carries the whole object as last held. Records get new ids (the snapshot time is their source version). All in one transaction
 * with the audit row: consistent with itself, and audited exactly when it happened.
 */
export async function republishItemSnapshot(db: Db, input: SnapshotInput): Promise<SnapshotResult> {
  const item = await getItem(db, input.itemId);
  const at = new Date();
  const ctx = { ...itemRecordContext(item, at), sourceVersion: `snapshot:${at.toISOString()}` };
  return db.transaction(async (tx) => {
    await recordItemChange(tx, item.id, 'snapshot', null, at);
    const accounts = await tx.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, item.id)).orderBy(plaidAccounts.id);
    const accountChanges: AccountChange[] = accounts.map((a) =>
      a.removedAt || !a.raw
        ? { changeType: 'removed', account: { ...(a.raw as object | null), account_id: a.id }, version: a.version }
        : { changeType: 'modified', account: a.raw as PlaidAccountInput, version: a.version });
    await appendToOutbox(tx, accountChangeRecords(ctx, accountChanges));
    const transactions = await tx
      .select({ id: plaidTransactions.id, accountId: plaidTransactions.accountId, raw: plaidTransactionRaw.raw, removedAt: plaidTransactions.removedAt, version: plaidTransactions.version })
      .from(plaidTransactions)
      // Plaid's object lives beside the row (same item, same partition number); both sides pruned to the item.
      .leftJoin(plaidTransactionRaw, and(eq(plaidTransactionRaw.itemId, item.id), eq(plaidTransactionRaw.transactionId, plaidTransactions.id)))
      .where(eq(plaidTransactions.itemId, item.id))
      .orderBy(plaidTransactions.id);
    const changes: TransactionChange[] = transactions.map((t) =>
      t.removedAt
        ? { changeType: 'removed', transaction: { ...(t.raw as object | null), transaction_id: t.id, account_id: t.accountId }, postedTransactionId: null, version: t.version }
        : { changeType: 'modified', transaction: (t.raw ?? { transaction_id: t.id, account_id: t.accountId }) as PlaidTransactionInput, version: t.version });
    await appendTransactionChanges(tx, ctx, changes);
    const result = { accounts: accounts.length, transactions: transactions.length };
    await writeAudit(tx, { actorId: input.actorId, actorKind: 'support', action: 'item.republish_snapshot', subjectUserId: item.userId, itemId: item.id, reason: input.reason, details: { ...result } });
    return result;
  });
}
