import type { ItemStatus } from '../../db/schema';
import type { AppErrorCode } from '../errors';

/**
 * The one table of Plaid item states (docs/ITEM-LIFECYCLE.md is its prose). Every door that meets
 * a Plaid error for an item — webhook, sync, live accounts, live balance, live transactions, link,
 * update mode, re-mine, hygiene, the re-sync sweep — looks the error up here: what status the item
 * takes, whether the work is retried, what the person sees and can do, which analytics event it is,
 * and whether syncing goes on. Nothing else decides these.
 */

/**
 * What the person can do about it (the dashboard banner and the emails follow this):
 * update_mode — sign in again / re-consent through Link update mode; fix_at_bank — unlock or
 * finish setup at the bank's own site, then update mode; link_again — the connection is gone for
 * good, link the bank anew (a new item); link_another_bank — this bank or these accounts cannot be
 * used; wait — Plaid or the bank is busy, we retry; none.
 */
export const itemActions = ['update_mode', 'fix_at_bank', 'link_again', 'link_another_bank', 'wait', 'none'] as const;
export type ItemAction = (typeof itemActions)[number];

/** How work that met the error goes on. */
export type RetryRule =
  | 'backoff' // minutes: Plaid faults, rate limits, the network
  | 'backoff_hours' // institution downtime: retried, slowly
  | 'after_user' // not until the person acts (update mode repairs it, and a sync is requested then)
  | 'never'; // final for this item, or a bug

export interface ItemErrorRule {
  /** The status the item moves to; null when the error leaves the item's status as it is. */
  status: Extract<ItemStatus, 'ERROR' | 'REVOKED' | 'PENDING_DISCONNECT'> | null;
  retry: RetryRule;
  action: ItemAction;
  /** What the person reads (no codes, no jargon). */
  message: string;
  /** Analytics event when the item enters this state. */
  event: 'Item Errored' | null;
  /** Whether transactions keep syncing (webhooks and the hourly sweep). */
  syncContinues: boolean;
  /** The app error a live call (a procedure) fails with. */
  appCode: AppErrorCode;
}

const needsUser = (message: string, action: ItemAction = 'update_mode'): ItemErrorRule => ({
  status: 'ERROR',
  retry: 'after_user',
  action,
  message,
  event: 'Item Errored',
  syncContinues: false,
  appCode: action === 'update_mode' || action === 'fix_at_bank' ? 'ITEM_LOGIN_REQUIRED' : 'PRECONDITION_FAILED',
});

const pendingRule = (message: string): ItemErrorRule => ({
  status: 'PENDING_DISCONNECT',
  retry: 'backoff',
  action: 'update_mode',
  message,
  event: null,
  syncContinues: true,
  appCode: 'ITEM_LOGIN_REQUIRED',
});

const transient = (message: string, retry: RetryRule = 'backoff', appCode: AppErrorCode = 'PLAID_RETRY_LATER'): ItemErrorRule => ({
  status: null,
  retry,
  action: 'wait',
  message,
  event: null,
  syncContinues: true,
  appCode,
});

const BANK_BUSY = 'Your bank is not answering right now. We will keep trying; there is nothing you need to do.';

/** Plaid error codes an item can meet after it is linked (and at Link, for the ones that say so). */
export const ITEM_ERROR_RULES = {
  ITEM_LOGIN_REQUIRED: needsUser('Your bank needs you to sign in again to keep your data up to date.'),
  // Sent as webhooks: the item still works until the deadline, so syncing goes on.
  PENDING_EXPIRATION: pendingRule('Your permission to share data from this bank is about to expire. Renew it to keep your data flowing.'),
  PENDING_DISCONNECT: pendingRule('This bank connection will stop working soon. Reconnect it to keep your data flowing.'),
  ITEM_LOCKED: needsUser(
    'Your bank has locked your online account after too many sign-in attempts. Unlock it on your bank’s website, then reconnect here.',
    'fix_at_bank',
  ),
  USER_SETUP_REQUIRED: needsUser(
    'Your bank needs you to finish a step on its website (for example accepting new terms). Do that, then reconnect here.',
    'fix_at_bank',
  ),
  ACCESS_NOT_GRANTED: needsUser('You did not allow access to all the information we need. Reconnect and allow access to continue.'),
  INSUFFICIENT_CREDENTIALS: needsUser('Connecting to your bank was not finished. Reconnect to complete it.'),
  INVALID_UPDATED_USERNAME: needsUser('Your bank sign-in changed. Reconnect with your current username.'),
  MFA_NOT_SUPPORTED: needsUser(
    'Your bank now asks for a kind of verification we cannot support. Link a different account or bank.',
    'link_another_bank',
  ),
  NO_ACCOUNTS: needsUser(
    'We could not find any open accounts we can use at this bank. Reconnect to choose accounts, or link a different bank.',
  ),
  ITEM_NOT_SUPPORTED: needsUser('This kind of account cannot be connected. Link a different account or bank.', 'link_another_bank'),
  INSTITUTION_NO_LONGER_SUPPORTED: {
    ...needsUser('We can no longer connect to this bank. Link a different bank to keep your data up to date.', 'link_another_bank'),
    retry: 'never',
  },
  USER_PERMISSION_REVOKED: {
    ...needsUser('You withdrew permission to share data from this bank. Link it again if you want to keep using it here.', 'link_again'),
    status: 'REVOKED',
    retry: 'never',
  },
  USER_ACCOUNT_REVOKED: {
    ...needsUser('Access to this account was withdrawn at your bank. Link it again if you want to keep using it here.', 'link_again'),
    status: 'REVOKED',
    retry: 'never',
  },
  ITEM_NOT_FOUND: {
    ...needsUser('This bank connection no longer exists. Link the bank again to keep using it here.', 'link_again'),
    status: 'REVOKED',
    retry: 'never',
  },
  // Not item states: the item stays as it is.
  NO_AUTH_ACCOUNTS: {
    ...transient('Your accounts at this bank do not offer account and routing numbers; everything else works.'),
    retry: 'never',
    action: 'none',
    appCode: 'PRECONDITION_FAILED',
  },
  PRODUCT_NOT_READY: transient('Your bank is still sending your first transactions. They will appear shortly.'),
  INSTITUTION_DOWN: transient(BANK_BUSY, 'backoff_hours'),
  INSTITUTION_NOT_RESPONDING: transient(BANK_BUSY, 'backoff_hours'),
  INSTITUTION_NOT_AVAILABLE: transient(BANK_BUSY, 'backoff_hours'),
  ITEM_NO_ERROR: { ...transient('This bank connection is working; there is nothing to fix.'), retry: 'never', action: 'none', appCode: 'BAD_REQUEST' },
} satisfies Record<string, ItemErrorRule>;

export type ItemErrorCode = keyof typeof ITEM_ERROR_RULES;

/** Errors by type rather than code: rate limits and Plaid's own faults. */
export const RATE_LIMITED_RULE: ItemErrorRule = transient('Too many requests right now. Try again in a minute.', 'backoff', 'TOO_MANY_REQUESTS');
export const PLAID_FAULT_RULE: ItemErrorRule = transient('We could not reach your bank just now. We will try again shortly.');

export function isItemErrorCode(code: string | null | undefined): code is ItemErrorCode {
  return !!code && Object.hasOwn(ITEM_ERROR_RULES, code);
}

/**
 * The rule for a Plaid error (code, type, HTTP status), or null when it is not an item matter —
 * INVALID_* input and unknown codes are bugs to look at, not states of the item.
 */
export function ruleForPlaidError(
  error: { error_code?: string | null; error_type?: string | null } | null,
  httpStatus: number | null,
): ItemErrorRule | null {
  const code = error?.error_code ?? null;
  if (isItemErrorCode(code)) return ITEM_ERROR_RULES[code];
  if (httpStatus === 429 || error?.error_type === 'RATE_LIMIT_EXCEEDED') return RATE_LIMITED_RULE;
  if (error?.error_type === 'API_ERROR' || error?.error_type === 'INSTITUTION_ERROR' || (httpStatus !== null && httpStatus >= 500)) {
    return error?.error_type === 'INSTITUTION_ERROR' ? transient(BANK_BUSY, 'backoff_hours') : PLAID_FAULT_RULE;
  }
  return null;
}

/** Statuses whose transactions keep syncing (webhooks and the sweep); ERROR waits for the person. */
export const SYNCING_STATUSES: readonly ItemStatus[] = ['ACTIVE', 'PENDING_DISCONNECT'];
/** Statuses whose access token no longer works: nothing calls Plaid for them. */
export const DEAD_ITEM_STATUSES: readonly ItemStatus[] = ['REMOVED', 'REVOKED'];

/** The health of an item as a person sees it: one place for the banner, the list and the emails. */
export interface ItemHealth {
  action: ItemAction;
  /** Null when all is well. */
  message: string | null;
}

/** What a dead item says once a live connection to the same bank (same person) took its place. */
export const REPLACED_MESSAGE = 'Replaced by your new connection to this bank. This one’s history is kept here to read.';

export function itemHealth(item: { status: ItemStatus; errorCode: string | null; removedAt?: Date | null; replacedBy?: string | null }): ItemHealth {
  // Linked again: the old connection asks nothing more of the person (its history stays readable).
  if (item.replacedBy && DEAD_ITEM_STATUSES.includes(item.status)) return { action: 'none', message: REPLACED_MESSAGE };
  switch (item.status) {
    case 'ACTIVE':
      return { action: 'none', message: null };
    case 'REMOVED':
      // Removed by the person, by support, or by hygiene (unused or unrepaired for long): the same words fit all.
      return { action: 'none', message: 'This bank is no longer connected. Its history is kept; link it again to get new data.' };
    case 'PENDING_DISCONNECT': {
      const rule = isItemErrorCode(item.errorCode) ? ITEM_ERROR_RULES[item.errorCode] : ITEM_ERROR_RULES.PENDING_DISCONNECT;
      return { action: 'update_mode', message: rule.message };
    }
    case 'REVOKED': {
      const rule = isItemErrorCode(item.errorCode) && ITEM_ERROR_RULES[item.errorCode].status === 'REVOKED'
        ? ITEM_ERROR_RULES[item.errorCode]
        : ITEM_ERROR_RULES.USER_PERMISSION_REVOKED;
      return { action: 'link_again', message: rule.message };
    }
    case 'ERROR': {
      const rule = isItemErrorCode(item.errorCode) && ITEM_ERROR_RULES[item.errorCode].status
        ? ITEM_ERROR_RULES[item.errorCode]
        : ITEM_ERROR_RULES.ITEM_LOGIN_REQUIRED;
      return { action: rule.action, message: rule.message };
    }
  }
}
