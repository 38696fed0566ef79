import type { Transaction } from 'plaid';
import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';
import type { Logger } from '../logger';
import { assertNotRemoved, getUserItem } from '../items/item-access';
import { callForItem } from '../items/item-plaid';

const PAGE = 500;
const MAX_PAGES = 40; // 20,000 transactions: beyond that, use the cached, synced copy

/** /transactions/get straight from Plaid, paged by 500 (newest first). Nothing is stored. */
export async function liveTransactions(
  db: Db,
  deps: AppDeps,
  input: { userId: string; itemId: string; from: string; to: string; accountIds?: string[] },
  log?: Logger,
) {
  const item = await getUserItem(db, input.userId, input.itemId);
  assertNotRemoved(item);
  const all: Transaction[] = [];
  let total = Number.POSITIVE_INFINITY;
  for (let page = 0; all.length < total && page < MAX_PAGES; page++) {
    const data = await callForItem(
      db,
      deps,
      item,
      '/transactions/get',
      (access_token) =>
        deps.plaid.transactionsGet({
          access_token,
          start_date: input.from,
          end_date: input.to,
          options: { count: PAGE, offset: all.length, ...(input.accountIds?.length ? { account_ids: input.accountIds } : {}) },
        }),
      log,
    );
    total = data.total_transactions;
    all.push(...data.transactions);
    if (data.transactions.length === 0) break;
  }
  return {
    total: Number.isFinite(total) ? total : all.length,
    truncated: all.length < total,
    transactions: all.map((t) => ({
      id: t.transaction_id,
      accountId: t.account_id,
      amount: String(t.amount),
      isoCurrencyCode: t.iso_currency_code ?? t.unofficial_currency_code,
      date: t.date,
      name: t.name,
      merchantName: t.merchant_name ?? null,
      pending: t.pending,
      pendingTransactionId: t.pending_transaction_id ?? null,
      category: t.personal_finance_category?.primary ?? null,
    })),
  };
}
