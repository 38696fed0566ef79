import { z } from 'zod';
import type { AccountsGetResponse, AuthGetResponse, IdentityGetResponse } from 'plaid';
import { invalidField, plaidError } from '../../core/errors';
import { useItem } from '../../core/items';
import { accountsOf, route, toItem } from './route';

/** Accounts, balances, auth numbers and identity of an item. */
const withIds = z.strictObject({ access_token: z.string(), options: z.strictObject({ account_ids: z.array(z.string()).optional() }).optional() });

export const accountRoutes = {
  '/accounts/get': route(withIds, (ctx, input, meta): AccountsGetResponse => {
    const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint, requireHealthy: true });
    return { accounts: accountsOf(item, input.options?.account_ids), item: toItem(item), request_id: meta.requestId };
  }),

  '/accounts/balance/get': route(
    z.strictObject({
      access_token: z.string(),
      options: z.strictObject({ account_ids: z.array(z.string()).optional(), min_last_updated_datetime: z.string().optional() }).optional(),
    }),
    (ctx, input, meta): AccountsGetResponse => {
      const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint, requireHealthy: true });
      const min = input.options?.min_last_updated_datetime;
      if (min !== undefined && Number.isNaN(Date.parse(min))) throw invalidField('options.min_last_updated_datetime must be an ISO 8601 date-time');
      // Real-time: balances are fetched "now".
      const now = new Date(ctx.nowMs()).toISOString();
      const accounts = accountsOf(item, input.options?.account_ids).map((a) => ({ ...a, balances: { ...a.balances, last_updated_datetime: now } }));
      return { accounts, item: toItem(item), request_id: meta.requestId };
    },
  ),

  '/auth/get': route(withIds, (ctx, input, meta): AuthGetResponse => {
    const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint, requireHealthy: true });
    const accounts = accountsOf(item, input.options?.account_ids);
    const ids = new Set(accounts.map((a) => a.account_id));
    const withNumbers = item.accounts.filter((a) => a.numbers && ids.has(a.account.account_id));
    if (withNumbers.length === 0) throw plaidError('NO_AUTH_ACCOUNTS');
    return {
      accounts,
      numbers: {
        ach: withNumbers.map((a) => ({ account_id: a.account.account_id, account: a.numbers?.account ?? '', routing: a.numbers?.routing ?? '', wire_routing: a.numbers?.wireRouting ?? null })),
        eft: [],
        international: [],
        bacs: [],
      },
      item: toItem(item),
      request_id: meta.requestId,
    };
  }),

  '/identity/get': route(withIds, (ctx, input, meta): IdentityGetResponse => {
    const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint, requireHealthy: true });
    const ids = new Set(accountsOf(item, input.options?.account_ids).map((a) => a.account_id));
    const accounts = item.accounts.filter((a) => ids.has(a.account.account_id)).map((a) => {
      const { verification_status: _unused, ...account } = a.account;
      return { ...account, owners: a.owners };
    });
    return { accounts, item: toItem(item), request_id: meta.requestId };
  }),
};
