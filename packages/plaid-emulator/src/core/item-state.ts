import { PlaidErrorType, Products } from 'plaid';
import type { Ctx } from './context';
import { LATER_ACCOUNTS, generateAccount } from './data/accounts';
import { PlaidApiError, plaidError } from './errors';
import { findInstitution } from './institutions';
import { createRng } from './rng';
import type { ItemRecord } from './state';
import { sendWebhook } from './webhooks';

/**
 * An item's state after linking: item errors (set by the sandbox, the controls or a passing
 * deadline), the pending-expiration / pending-disconnect deadlines, and accounts the item does
 * not share (new at the bank, or revoked by the user). What each state does to later calls:
 *
 * - ITEM_NOT_FOUND: every call with the access token fails, /item/get included.
 * - NO_AUTH_ACCOUNTS: only /auth/get fails. PRODUCT_NOT_READY: /transactions/get, /auth/get, /identity/get.
 * - any other error: every data call fails with it; /item/get shows it in `item.error`.
 * - PENDING_EXPIRATION / PENDING_DISCONNECT: calls work until the deadline, then the item needs a
 *   login (ITEM_LOGIN_REQUIRED). Update mode clears the deadline.
 */

/** Codes the error control accepts, and how a repair treats them. */
export const ITEM_ERROR_CODES = [
  'ITEM_LOGIN_REQUIRED', 'ITEM_LOCKED', 'USER_SETUP_REQUIRED', 'MFA_NOT_SUPPORTED', 'NO_ACCOUNTS', 'NO_AUTH_ACCOUNTS',
  'ACCESS_NOT_GRANTED', 'INSUFFICIENT_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_MFA', 'INVALID_UPDATED_USERNAME',
  'ITEM_NOT_SUPPORTED', 'PRODUCT_NOT_READY', 'PRODUCTS_NOT_SUPPORTED', 'USER_PERMISSION_REVOKED', 'ITEM_NOT_FOUND',
  'INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'INSTITUTION_NOT_AVAILABLE', 'INSTITUTION_NO_LONGER_SUPPORTED',
] as const;
/** Deadlines rather than errors: the item keeps working until then. */
export const DEADLINE_CODES = ['PENDING_EXPIRATION', 'PENDING_DISCONNECT'] as const;
export type ItemStateCode = (typeof ITEM_ERROR_CODES)[number] | (typeof DEADLINE_CODES)[number];
export const ITEM_STATE_CODES: readonly ItemStateCode[] = [...ITEM_ERROR_CODES, ...DEADLINE_CODES];

/** Update mode cannot fix these: Link fails with the item's error (a new item is needed). */
const FINAL = new Set(['USER_PERMISSION_REVOKED', 'ITEM_NOT_FOUND', 'INSTITUTION_NO_LONGER_SUPPORTED']);
/** Nobody in Link can fix these; they pass (the clear control) on their own. */
const TRANSIENT = new Set(['INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'INSTITUTION_NOT_AVAILABLE', 'PRODUCT_NOT_READY']);

const ONLY: Record<string, readonly string[]> = {
  NO_AUTH_ACCOUNTS: ['/auth/get'],
  PRODUCT_NOT_READY: ['/transactions/get', '/auth/get', '/identity/get'],
};

const DAY_MS = 86_400_000;

/** The error a call to `endpoint` fails with in the item's current state, if any. */
export function itemStateError(ctx: Ctx, item: ItemRecord, endpoint: string, dataCall: boolean): PlaidApiError | null {
  expireDeadlines(ctx, item);
  const e = item.error;
  if (!e) return null;
  const only = ONLY[e.error_code];
  const fails = e.error_code === 'ITEM_NOT_FOUND' || (only ? only.includes(endpoint) : dataCall);
  if (!fails) return null;
  return new PlaidApiError(plaidError(e.error_code).status, e.error_type, e.error_code, e.error_message, e.display_message);
}

/** A passed deadline turns into ITEM_LOGIN_REQUIRED (with the ITEM ERROR webhook). */
function expireDeadlines(ctx: Ctx, item: ItemRecord): void {
  if (item.error) return;
  const now = ctx.nowMs();
  const passed = [item.consentExpiration, item.disconnectAt].some((t) => t && Date.parse(t) <= now);
  if (passed) setItemError(ctx, item, 'ITEM_LOGIN_REQUIRED');
}

export interface SetStateOptions {
  /** Fire the webhook Plaid sends for this state (default true). */
  webhook?: boolean;
  /** Deadline codes: days until expiry / disconnection (default 7, as Plaid warns a week ahead). */
  days?: number;
}

/**
 * Puts the item into a state. Errors are stored as Plaid shows them in `item.error`; the webhook
 * is ITEM USER_PERMISSION_REVOKED for that code and ITEM ERROR for the others. Deadlines set
 * `consent_expiration_time` (PENDING_EXPIRATION) or the disconnect time (PENDING_DISCONNECT).
 */
export function setItemError(ctx: Ctx, item: ItemRecord, code: string, o: SetStateOptions = {}): void {
  const webhook = o.webhook ?? true;
  if (code === 'PENDING_EXPIRATION' || code === 'PENDING_DISCONNECT') {
    const at = new Date(ctx.nowMs() + (o.days ?? 7) * DAY_MS).toISOString();
    if (code === 'PENDING_EXPIRATION') {
      item.consentExpiration = at;
      if (webhook) sendWebhook(ctx, item, { webhook_type: 'ITEM', webhook_code: 'PENDING_EXPIRATION', consent_expiration_time: at });
    } else {
      item.disconnectAt = at;
      if (webhook) sendWebhook(ctx, item, { webhook_type: 'ITEM', webhook_code: 'PENDING_DISCONNECT', reason: 'INSTITUTION_MIGRATION', disconnect_time: at });
    }
    ctx.changed();
    return;
  }
  const e = plaidError(code);
  if (e.type !== PlaidErrorType.ItemError && e.type !== PlaidErrorType.InstitutionError) {
    throw plaidError('INVALID_FIELD', `${code} is not an item or institution error`);
  }
  item.error = e.toBody('');
  // Inside `item.error` (and webhooks) Plaid leaves out the request id of some long-gone call.
  item.error.request_id = undefined;
  ctx.changed();
  if (!webhook) return;
  const error = { ...item.error, status: e.status };
  if (code === 'USER_PERMISSION_REVOKED') sendWebhook(ctx, item, { webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', error });
  else sendWebhook(ctx, item, { webhook_type: 'ITEM', webhook_code: 'ERROR', error });
}

/**
 * The item recovers outside the app (the clear control, sandbox LOGIN_REPAIRED): error and
 * deadlines go. LOGIN_REPAIRED fires only when the item leaves ITEM_LOGIN_REQUIRED, as Plaid's.
 */
export function clearItemError(ctx: Ctx, item: ItemRecord, o: { webhook?: boolean } = {}): { was: string | null } {
  const was = item.error?.error_code ?? null;
  item.error = null;
  item.consentExpiration = null;
  item.disconnectAt = null;
  ctx.changed();
  if ((o.webhook ?? true) && was === 'ITEM_LOGIN_REQUIRED') sendWebhook(ctx, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' });
  return { was };
}

/** Link update mode on this item: throws what Link shows when the item cannot be repaired there. */
export function checkRepairable(item: ItemRecord): void {
  const code = item.error?.error_code;
  if (code && (FINAL.has(code) || TRANSIENT.has(code))) throw plaidError(code);
}

/**
 * A successful update mode (the app's own): error, deadlines and revoked accounts are repaired
 * without LOGIN_REPAIRED (Plaid fires that only for repairs outside the app). With account
 * selection, `selected` (account ids) decides which accounts the item shares, new ones included.
 */
export function repairThroughUpdateMode(ctx: Ctx, item: ItemRecord, selected: string[] | null): void {
  checkRepairable(item);
  item.error = null;
  item.consentExpiration = null;
  item.disconnectAt = null;
  const unshared = item.unshared ?? [];
  const revoked = unshared.filter((u) => u.reason === 'revoked').map((u) => u.account);
  let shared = [...item.accounts, ...revoked];
  let rest = unshared.filter((u) => u.reason !== 'revoked');
  if (selected) {
    const pool = [...shared, ...rest.map((u) => u.account)];
    const chosen = pool.filter((a) => selected.includes(a.account.account_id));
    if (chosen.length === 0) throw plaidError('NO_ACCOUNTS');
    rest = pool.filter((a) => !chosen.includes(a)).map((account) => ({ account, reason: 'new' as const }));
    shared = chosen;
  }
  item.accounts = shared;
  item.unshared = rest;
  ctx.changed();
}

/** The accounts update mode with account selection offers: the item's and the unshared ones. */
export function updateModeChoices(item: ItemRecord) {
  return [...item.accounts, ...(item.unshared ?? []).map((u) => u.account)];
}

/** NEW_ACCOUNTS_AVAILABLE: a new account appears at the bank (shared only through update mode). */
export function addNewAccount(ctx: Ctx, item: ItemRecord): void {
  const n = item.newAccountsSeen ?? 0;
  const template = LATER_ACCOUNTS[n % LATER_ACCOUNTS.length];
  if (!template) return;
  const inst = findInstitution(item.institutionId);
  const rng = createRng(`${item.seed}:new-account:${n}`);
  const account = generateAccount(rng, template, inst?.routingNumbers[0] ?? '011401533', new Date(ctx.nowMs()).toISOString(), inst?.products.includes(Products.Auth) ?? true);
  item.newAccountsSeen = n + 1;
  item.unshared = [...(item.unshared ?? []), { account, reason: 'new' }];
  ctx.changed();
}

/** USER_ACCOUNT_REVOKED: the user revokes one account at the bank; it leaves the item until update mode. */
export function revokeAccount(ctx: Ctx, item: ItemRecord): string | null {
  if (item.accounts.length <= 1) return item.accounts[0]?.account.account_id ?? null;
  const account = item.accounts[0];
  if (!account) return null;
  item.accounts = item.accounts.slice(1);
  item.unshared = [...(item.unshared ?? []), { account, reason: 'revoked' }];
  ctx.changed();
  return account.account.account_id;
}
