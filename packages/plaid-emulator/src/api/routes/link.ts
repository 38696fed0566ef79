import { z } from 'zod';
import { Products, type ItemPublicTokenCreateResponse, type ItemPublicTokenExchangeResponse, type LinkTokenCreateResponse, type SandboxPublicTokenCreateResponse } from 'plaid';
import { invalidField, plaidError } from '../../core/errors';
import { newLinkToken, newPublicToken, PUBLIC_TOKEN_RE } from '../../core/ids';
import { createItem, itemForToken } from '../../core/items';
import { route } from './route';

/** Link tokens, public tokens and their exchange (PLAID.md token formats and expiries). */
const NEW_TTL_MS = 4 * 3600_000;
const UPDATE_TTL_MS = 30 * 60_000;
const PUBLIC_TTL_MS = 30 * 60_000;

const products = z.array(z.enum(Products));
const subtypes = z.strictObject({ account_subtypes: z.array(z.string()).min(1) });

const linkTokenCreate = z.strictObject({
  client_name: z.string().min(1).max(30),
  language: z.string().min(2),
  country_codes: z.array(z.string()).min(1),
  user: z.looseObject({ client_user_id: z.string().min(1) }),
  products: products.nullish(),
  required_if_supported_products: products.nullish(),
  optional_products: products.nullish(),
  additional_consented_products: products.nullish(),
  webhook: z.string().optional(),
  access_token: z.string().nullish(),
  redirect_uri: z.string().optional(),
  link_customization_name: z.string().optional(),
  android_package_name: z.string().optional(),
  account_filters: z.strictObject({ depository: subtypes, credit: subtypes, loan: subtypes, investment: subtypes, other: subtypes }).partial().optional(),
  update: z.strictObject({ account_selection_enabled: z.boolean().optional(), reauthorization_enabled: z.boolean().optional(), user: z.boolean().optional(), item_ids: z.array(z.string()).nullish() }).optional(),
  transactions: z.strictObject({ days_requested: z.number().int().min(1).max(730).optional() }).optional(),
  institution_id: z.string().optional(),
  auth: z.looseObject({}).optional(),
});

export const linkRoutes = {
  '/link/token/create': route(linkTokenCreate, (ctx, input, meta): LinkTokenCreateResponse => {
    const update = input.access_token != null;
    const item = update ? itemForToken(ctx, input.access_token ?? '') : null;
    const wanted = input.products ?? [];
    if (update && wanted.length > 0) throw invalidField('products must be omitted when access_token is provided (update mode)');
    if (!update && wanted.length === 0) throw plaidError('MISSING_FIELDS', 'products');
    const extras = [...(input.required_if_supported_products ?? []), ...(input.optional_products ?? [])];
    if ([...wanted, ...extras].includes(Products.Balance)) throw plaidError('INVALID_PRODUCT', 'balance is not a valid product for /link/token/create; balance is available with any other product');
    if (input.redirect_uri && !/^https:\/\/|^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(input.redirect_uri)) {
      throw invalidField('redirect_uri must use https (or http on localhost)');
    }
    const now = ctx.nowMs();
    const token = newLinkToken();
    const expiresAt = now + (update ? UPDATE_TTL_MS : NEW_TTL_MS);
    ctx.state.linkTokens[token] = {
      token,
      createdAt: now,
      expiresAt,
      itemId: item?.itemId ?? null,
      products: item ? item.products : wanted,
      accountFilters: input.account_filters ?? null,
      redirectUri: input.redirect_uri ?? null,
      clientUserId: input.user.client_user_id,
      clientName: input.client_name,
      webhook: input.webhook ?? item?.webhook ?? null,
      accountSelectionEnabled: !update || input.update?.account_selection_enabled === true,
      daysRequested: input.transactions?.days_requested ?? 90,
      requiredIfSupported: update ? [] : (input.required_if_supported_products ?? []).filter((p) => !wanted.includes(p)),
      optionalProducts: update ? [] : (input.optional_products ?? []).filter((p) => !wanted.includes(p)),
    };
    ctx.changed();
    return { link_token: token, expiration: new Date(expiresAt).toISOString(), request_id: meta.requestId };
  }),

  '/item/public_token/exchange': route(z.strictObject({ public_token: z.string() }), (ctx, input, meta): ItemPublicTokenExchangeResponse => {
    if (!PUBLIC_TOKEN_RE.test(input.public_token)) throw plaidError('INVALID_PUBLIC_TOKEN');
    const rec = ctx.state.publicTokens[input.public_token];
    if (!rec || rec.used || rec.expiresAt <= ctx.nowMs()) throw plaidError('INVALID_PUBLIC_TOKEN', 'public token is expired, already exchanged or unknown');
    const item = ctx.state.items[rec.itemId];
    if (!item || item.removed) throw plaidError('ITEM_NOT_FOUND');
    rec.used = true;
    ctx.changed();
    return { access_token: item.accessToken, item_id: item.itemId, request_id: meta.requestId };
  }),

  '/item/public_token/create': route(z.strictObject({ access_token: z.string() }), (ctx, input, meta): ItemPublicTokenCreateResponse => {
    const item = itemForToken(ctx, input.access_token);
    const token = newPublicToken();
    const expiresAt = ctx.nowMs() + PUBLIC_TTL_MS;
    ctx.state.publicTokens[token] = { token, itemId: item.itemId, expiresAt, used: false };
    ctx.changed();
    return { public_token: token, expiration: new Date(expiresAt).toISOString(), request_id: meta.requestId };
  }),

  '/sandbox/public_token/create': route(
    z.strictObject({
      institution_id: z.string(),
      initial_products: products.min(1),
      options: z.strictObject({
        webhook: z.string().optional(),
        override_username: z.string().nullish(),
        override_password: z.string().nullish(),
        transactions: z.strictObject({ start_date: z.string().optional(), end_date: z.string().optional(), days_requested: z.number().int().min(1).max(730).optional() }).nullish(),
      }).optional(),
      user_token: z.string().optional(),
    }),
    (ctx, input, meta): SandboxPublicTokenCreateResponse => {
      if (input.initial_products.includes(Products.Balance)) throw plaidError('INVALID_PRODUCT', 'balance');
      const o = input.options ?? {};
      const t = o.transactions;
      const fromStart = t?.start_date ? Math.ceil((ctx.nowMs() - Date.parse(t.start_date)) / 86_400_000) + 1 : undefined;
      const item = createItem(ctx, {
        institutionId: input.institution_id,
        products: input.initial_products,
        username: o.override_username ?? 'user_good',
        password: o.override_password ?? 'pass_good',
        webhook: o.webhook ?? null,
        daysRequested: t?.days_requested ?? fromStart,
      });
      const token = newPublicToken();
      ctx.state.publicTokens[token] = { token, itemId: item.itemId, expiresAt: ctx.nowMs() + PUBLIC_TTL_MS, used: false };
      ctx.changed();
      return { public_token: token, request_id: meta.requestId };
    },
  ),
};
