import { z } from 'zod';
import { TransactionsUpdateStatus, type Transaction, type TransactionsGetResponse, type TransactionsRefreshResponse, type TransactionsSyncResponse } from 'plaid';
import type { Ctx } from '../../core/context';
import { isDay } from '../../core/data/dates';
import { invalidField, plaidError } from '../../core/errors';
import { useItem } from '../../core/items';
import { refreshItem } from '../../core/pull';
import type { ItemRecord } from '../../core/state';
import { syncPage } from '../../core/sync';
import { accountsOf, route, toItem } from './route';

/** /transactions/sync, /transactions/get and /transactions/refresh. */
const pfcOptions = {
  include_original_description: z.boolean().nullish(),
  include_personal_finance_category: z.boolean().optional(),
  include_personal_finance_category_beta: z.boolean().optional(),
  include_logo_and_counterparty_beta: z.boolean().optional(),
  personal_finance_category_version: z.string().optional(),
  days_requested: z.number().int().min(1).max(730).optional(),
};

function newestFirst(ctx: Ctx, item: ItemRecord): Transaction[] {
  const idx = ctx.index(item);
  if (!idx.newestFirst) {
    idx.newestFirst = [...idx.current.values()].sort((a, b) => (a.date === b.date ? (a.transaction_id < b.transaction_id ? 1 : -1) : a.date < b.date ? 1 : -1));
  }
  return idx.newestFirst;
}

export const transactionRoutes = {
  '/transactions/sync': route(
    z.strictObject({
      access_token: z.string(),
      cursor: z.string().optional(),
      count: z.number().int().min(1).max(500).default(100),
      options: z.strictObject({ ...pfcOptions, account_id: z.string().optional() }).optional(),
    }),
    (ctx, input, meta): TransactionsSyncResponse => {
      const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint, requireHealthy: true });
      const accountId = input.options?.account_id;
      const accounts = accountsOf(item, accountId ? [accountId] : undefined);
      const page = syncPage(ctx, item, { cursor: input.cursor, count: input.count, accountId, includeOriginalDescription: input.options?.include_original_description ?? false });
      return { ...page, accounts, request_id: meta.requestId };
    },
  ),

  '/transactions/get': route(
    z.strictObject({
      access_token: z.string(),
      start_date: z.string(),
      end_date: z.string(),
      options: z.strictObject({ ...pfcOptions, account_ids: z.array(z.string()).optional(), count: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() }).optional(),
    }),
    (ctx, input, meta): TransactionsGetResponse => {
      const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint, requireHealthy: true });
      if (!isDay(input.start_date) || !isDay(input.end_date)) throw invalidField('start_date and end_date must be dates in YYYY-MM-DD format');
      if (input.start_date > input.end_date) throw invalidField('start_date must be on or before end_date');
      if (item.updateStatus === TransactionsUpdateStatus.NotReady) throw plaidError('PRODUCT_NOT_READY');
      const o = input.options ?? {};
      const accounts = accountsOf(item, o.account_ids);
      const ids = o.account_ids ? new Set(o.account_ids) : null;
      const matching = newestFirst(ctx, item).filter((t) => t.date >= input.start_date && t.date <= input.end_date && (!ids || ids.has(t.account_id)));
      const offset = o.offset ?? 0;
      const page = matching.slice(offset, offset + (o.count ?? 100));
      return {
        accounts,
        transactions: o.include_original_description ? page.map((t) => ({ ...t, original_description: t.name })) : page,
        total_transactions: matching.length,
        item: toItem(item),
        request_id: meta.requestId,
      };
    },
  ),

  '/transactions/refresh': route(z.strictObject({ access_token: z.string() }), (ctx, input, meta): TransactionsRefreshResponse => {
    const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint, requireHealthy: true });
    refreshItem(ctx, item);
    return { request_id: meta.requestId };
  }),
};
