import type { PlaidAccountInput, PlaidRemovedAccountInput, PlaidRemovedTransactionInput, PlaidTransactionInput } from './plaid-input';
import {
  type OutboxRecord, rawAccountRecord, rawTransactionRecord, type RecordContext, refinedAccountRecord, refinedTransactionRecord,
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
  return [rawTransactionRecord({ ...ctx, ...change }), refinedTransactionRecord({ ...ctx, ...change })];
}

/**
 * Every outbox record for one /transactions/sync page, in the order the sync applies it (added,
 * modified, removed), a raw record then a refined record per change. A removed pending
 * transaction whose posted successor is in the same page gets `postedTransactionId`.
 */
export function transactionPageRecords(ctx: RecordContext, page: TransactionPage): OutboxRecord[] {
  const changes: TransactionChange[] = [
    ...page.added.map((transaction) => ({ changeType: 'added' as const, transaction })),
    ...page.modified.map((transaction) => ({ changeType: 'modified' as const, transaction })),
    ...removalChanges(page, page.removed),
  ];
  return changes.flatMap((change) => transactionChangeRecords(ctx, change));
}

export type AccountChanges = {
  added?: readonly PlaidAccountInput[];
  modified?: readonly PlaidAccountInput[];
  removed?: readonly PlaidRemovedAccountInput[];
};

/** Raw + refined records for account changes (new accounts, balance updates, accounts gone). */
export function accountChangeRecords(ctx: RecordContext, changes: AccountChanges): OutboxRecord[] {
  const out: OutboxRecord[] = [];
  for (const [changeType, list] of [['added', changes.added ?? []], ['modified', changes.modified ?? []]] as const) {
    for (const account of list) {
      out.push(rawAccountRecord({ ...ctx, changeType, account }));
      out.push(refinedAccountRecord({ ...ctx, changeType, account }));
    }
  }
  for (const account of changes.removed ?? []) {
    out.push(rawAccountRecord({ ...ctx, changeType: 'removed', account }));
    out.push(refinedAccountRecord({ ...ctx, changeType: 'removed', account }));
  }
  return out;
}
