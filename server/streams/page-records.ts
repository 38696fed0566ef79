import type { PlaidAccountInput, PlaidRemovedAccountInput, PlaidRemovedTransactionInput, PlaidTransactionInput } from './plaid-input';
import {
  type OutboxRecord, rawAccountRecord, rawTransactionRecord, type RecordContext, refinedAccountRecord, refinedTransactionRecord,
} from './records';

export interface TransactionPage {
  added: readonly PlaidTransactionInput[];
  modified: readonly PlaidTransactionInput[];
  removed: readonly PlaidRemovedTransactionInput[];
}

/**
 * Every outbox record for one /transactions/sync page, in the order the sync applies it (added,
 * modified, removed), a raw record then a refined record per change. A removed pending
 * transaction whose posted successor is in the same page gets `postedTransactionId`.
 */
export function transactionPageRecords(ctx: RecordContext, page: TransactionPage): OutboxRecord[] {
  const postedByPending = new Map<string, string>();
  for (const t of [...page.added, ...page.modified]) {
    if (t.pending_transaction_id) postedByPending.set(t.pending_transaction_id, t.transaction_id);
  }
  const out: OutboxRecord[] = [];
  for (const [changeType, list] of [['added', page.added], ['modified', page.modified]] as const) {
    for (const transaction of list) {
      out.push(rawTransactionRecord({ ...ctx, changeType, transaction }));
      out.push(refinedTransactionRecord({ ...ctx, changeType, transaction }));
    }
  }
  for (const transaction of page.removed) {
    const postedTransactionId = postedByPending.get(transaction.transaction_id) ?? null;
    out.push(rawTransactionRecord({ ...ctx, changeType: 'removed', transaction }));
    out.push(refinedTransactionRecord({ ...ctx, changeType: 'removed', transaction, postedTransactionId }));
  }
  return out;
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
