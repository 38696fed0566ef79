import { Products, TransactionsUpdateStatus } from 'plaid';
import type { Ctx } from './context';
import { generateAccounts } from './data/accounts';
import { addDays, toDay } from './data/dates';
import { generateTransactions } from './data/transactions';
import { plaidError } from './errors';
import { ACCESS_TOKEN_RE, newAccessToken } from './ids';
import { findInstitution } from './institutions';
import { itemStateError } from './item-state';
import { releaseDueData, scheduleRelease } from './pull';
import { checkRateLimit } from './rate-limits';
import { createRng } from './rng';
import type { ItemRecord } from './state';

/** Item lifecycle: creation from sandbox credentials, and resolving an access token to an item. */
export interface CreateItemInput {
  institutionId: string;
  products: Products[];
  /** Consented, not billed until used (`optional_products` the institution supports). */
  optionalProducts?: Products[];
  username: string;
  password: string;
  webhook: string | null;
  daysRequested?: number;
  /** Limit the item to these account ids' positions (Link account selection / filters). */
  keepAccount?: (a: { type: string; subtype: string | null; index: number }) => boolean;
}

/** Checks sandbox credentials; throws the PlaidError Link would show. MFA is Link's business. */
export function checkCredentials(institutionId: string, username: string, password: string): void {
  const inst = findInstitution(institutionId);
  if (!inst) throw plaidError('INVALID_INSTITUTION');
  if (inst.linkError) throw plaidError(inst.linkError);
  const forced = /^error_([A-Z_]+)$/.exec(password);
  if (forced?.[1]) throw plaidError(forced[1]);
  if (username === 'user_transactions_dynamic') return;
  if (password.startsWith('mfa_')) return;
  if (!username.startsWith('user_') || password !== 'pass_good') throw plaidError('INVALID_CREDENTIALS');
}

export function createItem(ctx: Ctx, input: CreateItemInput): ItemRecord {
  checkCredentials(input.institutionId, input.username, input.password);
  const inst = findInstitution(input.institutionId);
  if (!inst) throw plaidError('INVALID_INSTITUTION');
  const unsupported = input.products.filter((p) => !inst.products.includes(p));
  if (unsupported.length > 0) throw plaidError('PRODUCTS_NOT_SUPPORTED', `${inst.name} does not support ${unsupported.join(', ')}`);
  const ordinal = ++ctx.state.itemsCreated;
  const seed = `${ctx.opts.seed}:item:${ordinal}`;
  const rng = createRng(seed);
  const now = ctx.nowMs();
  const today = toDay(new Date(now));
  const itemId = rng.alnum(37);
  const all = generateAccounts(rng, inst.routingNumbers[0] ?? '011401533', new Date(now).toISOString(), inst.products.includes(Products.Auth));
  const accounts = all.filter((a, index) => !input.keepAccount || input.keepAccount({ type: a.account.type, subtype: a.account.subtype, index }));
  if (accounts.length === 0) throw plaidError('NO_ACCOUNTS');
  const dynamic = input.username === 'user_transactions_dynamic';
  const days = dynamic ? 30 : Math.min(Math.max(input.daysRequested ?? 90, 1), 730);
  const [checking, savings, credit] = all.map((a) => a.account.account_id);
  const kept = new Set(accounts.map((a) => a.account.account_id));
  const withTransactions = [...input.products, ...(input.optionalProducts ?? [])].includes(Products.Transactions);
  const txs = withTransactions
    ? generateTransactions(rng, {
        accounts: { checking: checking ?? '', savings: savings ?? '', credit: credit ?? '' },
        start: addDays(today, -(days - 1)),
        end: today,
        purchasesPerDay: dynamic ? 1.1 : ctx.opts.purchasesPerDay,
        pendingDays: dynamic ? 4 : 2,
      }).filter((t) => kept.has(t.account_id))
    : [];
  const recentFrom = addDays(today, -29);
  const item: ItemRecord = {
    itemId,
    accessToken: newAccessToken(),
    institutionId: inst.id,
    products: input.products,
    optionalProducts: input.optionalProducts ?? [],
    webhook: input.webhook,
    username: input.username,
    seed,
    createdAt: now,
    clockOffsetDays: 0,
    removed: false,
    error: null,
    accounts,
    unreleased: { initial: txs.filter((t) => t.date >= recentFrom), historical: txs.filter((t) => t.date < recentFrom) },
    initialUpdateAt: now + ctx.opts.initialUpdateDelayMs,
    historicalUpdateAt: now + ctx.opts.historicalUpdateDelayMs,
    updateStatus: TransactionsUpdateStatus.NotReady,
    log: [],
    syncedOnce: false,
    dynamic,
    refreshCount: 0,
    lastSuccessfulUpdate: null,
    lastWebhook: null,
    consentExpiration: null,
    disconnectAt: null,
    unshared: [],
    newAccountsSeen: 0,
  };
  ctx.state.items[itemId] = item;
  ctx.state.accessTokens[item.accessToken] = itemId;
  ctx.log('item created', { item_id: itemId, institution_id: inst.id });
  ctx.changed();
  if (withTransactions) {
    releaseDueData(ctx, item);
    scheduleRelease(ctx, item);
  }
  return item;
}

/** Resolves an access token, or throws INVALID_ACCESS_TOKEN / ITEM_NOT_FOUND. */
export function itemForToken(ctx: Ctx, accessToken: string): ItemRecord {
  if (!ACCESS_TOKEN_RE.test(accessToken)) throw plaidError('INVALID_ACCESS_TOKEN');
  const itemId = ctx.state.accessTokens[accessToken];
  const item = itemId ? ctx.state.items[itemId] : undefined;
  if (!item) throw plaidError('INVALID_ACCESS_TOKEN', 'could not find matching access token');
  if (item.removed) throw plaidError('ITEM_NOT_FOUND');
  return item;
}

export interface UseItemOptions {
  /** Endpoint for rate limiting. */
  endpoint: string;
  /** A data call: it fails while the item is in an error state (see `item-state.ts`). */
  requireHealthy?: boolean;
}

/** Token → item for an endpoint: format, removal, rate limit, pending data release, login state. */
export function useItem(ctx: Ctx, accessToken: string, o: UseItemOptions): ItemRecord {
  const item = itemForToken(ctx, accessToken);
  checkRateLimit(ctx, item.itemId, o.endpoint);
  releaseDueData(ctx, item);
  const e = itemStateError(ctx, item, o.endpoint, o.requireHealthy ?? false);
  if (e) throw e;
  return item;
}
