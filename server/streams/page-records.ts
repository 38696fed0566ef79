import type { PlaidRemovedTransactionInput, PlaidTransactionInput } from './plaid-input';
import {
  type AccountChange, type OutboxRecord, rawAccountRecord, rawTransactionRecord, type RecordContext, refinedAccountRecord, refinedTransactionRecord,
  type TransactionChange,
} from './records';
import { removalChanges } from './transaction-changes';

export interface TransactionPage {
  added: readonly PlaidTransactionInput[];
  modified: readonly PlaidTransactionInput[];
  removed: readonly PlaidRemovedTransactionInput[];
}

/** The raw record, then the refined record, of one transaction change. */
export function transactionChangeRecords(ctx: RecordContext, change: TransactionChange): OutboxRecord[] {
  const both = { ...ctx, ...change };
  return [rawTransactionRecord(both), refinedTransactionRecord(both)];
}

/**
 * Every outbox record for one /transactions/sync page, in the order the sync applies it (added,
 * modified, removed), a raw record then a refined record per change (versions 1, 2, 3: a page
 * applied to an empty store). A removed pending
 * transaction whose posted successor is in the same page gets `postedTransactionId`.
 */
export function transactionPageRecords(ctx: RecordContext, page: TransactionPage): OutboxRecord[] {
  const changes: TransactionChange[] = [
    ...page.added.map((transaction) => ({ changeType: 'added' as const, transaction, version: 1 })),
    ...page.modified.map((transaction) => ({ changeType: 'modified' as const, transaction, version: 2 })),
    ...removalChanges(page, page.removed.map((r) => ({ ...r, version: 3 }))),
  ];
  return changes.flatMap((change) => transactionChangeRecords(ctx, change));
}

/** Raw + refined records for account changes (new accounts, balance updates, accounts gone). */
export function accountChangeRecords(ctx: RecordContext, changes: readonly AccountChange[]): OutboxRecord[] {
  return changes.flatMap((change) => [rawAccountRecord({ ...ctx, ...change }), refinedAccountRecord({ ...ctx, ...change })]);
}
