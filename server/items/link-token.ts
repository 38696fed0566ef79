import { CountryCode, Products, type LinkTokenCreateRequest } from 'plaid';
import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { plaidCall, PlaidCallError } from '../plaid/call';
import { plaidFailureToAppError } from '../plaid/errors';
import { type RateLimit, takeRateLimit } from '../rate-limit';
import { accessTokenOf, assertNotRemoved, getUserItem, type ItemRow, userItems } from './item-access';

/** Link sessions a person may open per minute, across every app instance. */
export const LINK_TOKENS_PER_USER: RateLimit = { limit: 10, windowMs: 60_000 };

export interface CreateLinkTokenInput {
  userId: string;
  itemId?: string;
  mode?: 'new' | 'update';
}

/**
 * Which item an update-mode token is for: the one named (owned by the user, and live — a REVOKED
 * item's token no longer works, so only linking the bank again helps), else a live item that needs
 * the user (in error, about to disconnect, new accounts waiting), else none: a new-bank token.
 */
async function itemForUpdate(db: Db, input: CreateLinkTokenInput): Promise<ItemRow | null> {
  if (input.itemId) {
    const item = await getUserItem(db, input.userId, input.itemId);
    assertNotRemoved(item);
    if (item.status === 'REVOKED') {
      throw new AppError('PRECONDITION_FAILED', 'Update mode for a revoked item', {
        displayMessage: `Access to ${item.institutionName ?? 'this bank'} was withdrawn. Link it again to reconnect.`,
      });
    }
    return item;
  }
  if (input.mode === 'new') return null;
  const items = await userItems(db, input.userId);
  return (
    items.find((i) => i.status === 'ERROR') ??
    items.find((i) => i.status === 'PENDING_DISCONNECT') ??
    items.find((i) => i.status === 'ACTIVE' && i.newAccountsAvailable) ??
    null
  );
}

/**
 * A Link token: new-item mode (transactions, and auth where supported) for a user's first bank or when `mode` is
 * 'new'; otherwise update mode with the item's access token, with account selection when the
 * item has new accounts waiting.
 */
export async function createLinkToken(db: Db, deps: AppDeps, input: CreateLinkTokenInput, log?: Logger) {
  if (input.mode === 'new' && input.itemId) throw new AppError('BAD_REQUEST', 'A new-bank token cannot name an existing item');
  await takeRateLimit(db, `link-token:${input.userId}`, LINK_TOKENS_PER_USER, 'Link sessions');
  const item = await itemForUpdate(db, input);
  const request: LinkTokenCreateRequest = {
    client_name: deps.config.clientName,
    language: 'en',
    country_codes: [CountryCode.Us],
    user: { client_user_id: input.userId },
    webhook: deps.config.webhookUrl,
    ...(deps.config.redirectUri ? { redirect_uri: deps.config.redirectUri } : {}),
  };
  if (item) {
    request.access_token = accessTokenOf(deps.keyring, item);
    if (item.newAccountsAvailable) request.update = { account_selection_enabled: true };
  } else {
    // Transactions is required; Auth only where the bank offers it (required as a product, it would
    // hide every bank without it from Link — Plaid's handbook: ~2,300 banks instead of ~9,600).
    request.products = [Products.Transactions];
    request.required_if_supported_products = [Products.Auth];
    request.transactions = { days_requested: 730 };
  }
  try {
    const data = await plaidCall(db, { endpoint: '/link/token/create', itemId: item?.id, log }, () =>
      deps.plaid.linkTokenCreate(request),
    );
    return { linkToken: data.link_token, expiration: data.expiration, mode: item ? ('update' as const) : ('new' as const), itemId: item?.id ?? null };
  } catch (err) {
    if (err instanceof PlaidCallError) throw plaidFailureToAppError(err.failure, '/link/token/create');
    throw err;
  }
}
