import type { plaidItems } from '../../../db/schema';
import type { ItemStatus } from '../../../db/schema';
import { ruleForPlaidError } from '../../items/lifecycle';
import {
  includes,
  itemErrorBody,
  pendingDisconnectBody,
  pendingExpirationBody,
  webhookAcknowledgedBody,
  type PlaidWebhookError,
  REVOKED_CODES,
} from './payloads';

export type ItemChange = Partial<Pick<
  typeof plaidItems.$inferInsert,
  'status' | 'errorCode' | 'errorMessage' | 'errorDisplayMessage' | 'erroredAt' | 'repairedAt' | 'disconnectAt' | 'consentExpiresAt' | 'newAccountsAvailable' | 'webhookConfirmedAt'
>>;

/** `apply` (possibly empty: acknowledged, nothing to change) or `ignore` with the reason kept on the row. */
export type Decision = { apply: ItemChange } | { ignore: string };

export interface ItemFacts {
  status: ItemStatus;
  erroredAt: Date | null;
  repairedAt: Date | null;
  webhookUrl: string | null;
}

/**
 * What Plaid told us later than this webhook, from plaid_webhooks (stored rows, handled or not:
 * storage order is the only clock Plaid gives us, webhook bodies carry no timestamp).
 */
export interface LaterFacts {
  repairedAfter: boolean;
  /** An ERROR, revocation or pending-disconnect/expiration received after this webhook. */
  problemAfter: boolean;
}

/** Webhook codes that report a problem with the item (their order against LOGIN_REPAIRED matters). */
export const PROBLEM_CODES = ['ERROR', ...REVOKED_CODES, 'PENDING_DISCONNECT', 'PENDING_EXPIRATION'] as const;

const errorFields = (error: PlaidWebhookError, fallbackCode: string) => ({
  errorCode: error?.error_code ?? fallbackCode,
  errorMessage: error?.error_message ?? null,
  errorDisplayMessage: error?.display_message ?? null,
});

/** Newer than this webhook means this one is stale: a problem after a repair, a repair after a problem. */
const STALE_REPAIRED = 'stale: a repair after this webhook (LOGIN_REPAIRED or update mode) supersedes it';

/**
 * The ITEM webhook rules, as a pure function of the webhook and the item's current state. The
 * caller has already ignored REMOVED items (a late webhook never resurrects one). `receivedAt` is
 * when we stored the webhook; comparing it with the item's error time and with other stored
 * webhooks keeps an out-of-order delivery from regressing the item. Returns null for unknown codes.
 */
export function decideItemWebhook(code: string, body: unknown, item: ItemFacts, receivedAt: Date, later: LaterFacts): Decision | null {
  const newerErrorRecorded = item.erroredAt !== null && item.erroredAt > receivedAt;
  // A repair after this webhook was stored — a LOGIN_REPAIRED stored later, or update mode in the app.
  const repairedAfter = later.repairedAfter || (item.repairedAt !== null && item.repairedAt > receivedAt);
  switch (code) {
    case 'ERROR': {
      if (item.status === 'REVOKED') return { ignore: 'item is REVOKED; only a repair brings it back' };
      if (repairedAfter) return { ignore: STALE_REPAIRED };
      // A sync or API call may record the same login failure first (errored_at = when it saw it):
      // keep that newer error, but this report from Plaid is still the "Item Errored" event.
      if (newerErrorRecorded && item.status === 'ERROR') return { apply: {} };
      if (newerErrorRecorded) return { ignore: 'stale: the item has a newer error recorded' };
      const { error } = itemErrorBody.parse(body);
      // The lifecycle says which state the error is (an unknown code is an ERROR a person looks at).
      const rule = ruleForPlaidError(error ?? null, null);
      if (rule && !rule.status) return { ignore: `a passing problem (${error?.error_code}): the item keeps its state and we retry` };
      const status = rule?.status ?? 'ERROR';
      if (status === 'PENDING_DISCONNECT' && item.status !== 'ACTIVE') return { apply: {} };
      return { apply: { status, ...errorFields(error, 'UNKNOWN_ITEM_ERROR'), erroredAt: receivedAt } };
    }
    case 'LOGIN_REPAIRED': {
      if (item.status === 'ACTIVE') return { ignore: 'nothing to repair: the item is ACTIVE' };
      if (newerErrorRecorded || later.problemAfter) return { ignore: 'stale: the item reported a problem after this repair' };
      return {
        apply: { status: 'ACTIVE', errorCode: null, errorMessage: null, errorDisplayMessage: null, erroredAt: null, disconnectAt: null, repairedAt: receivedAt },
      };
    }
    case 'PENDING_DISCONNECT':
    case 'PENDING_EXPIRATION': {
      if (repairedAfter) return { ignore: STALE_REPAIRED };
      // ERROR and REVOKED are the more urgent states (both also need update mode): keep them, record the deadline.
      const status = item.status === 'ACTIVE' ? ('PENDING_DISCONNECT' as const) : undefined;
      if (code === 'PENDING_DISCONNECT') {
        const { disconnect_time } = pendingDisconnectBody.parse(body);
        return { apply: { ...(status ? { status } : {}), disconnectAt: disconnect_time } };
      }
      const { consent_expiration_time } = pendingExpirationBody.parse(body);
      return { apply: { ...(status ? { status } : {}), consentExpiresAt: consent_expiration_time, disconnectAt: consent_expiration_time } };
    }
    case 'NEW_ACCOUNTS_AVAILABLE':
      return { apply: { newAccountsAvailable: true } };
    case 'WEBHOOK_UPDATE_ACKNOWLEDGED': {
      // Confirms the URL we moved the item to; an acknowledgement of another URL changes nothing.
      const { new_webhook_url, error } = webhookAcknowledgedBody.parse(body);
      const confirmed = !error && new_webhook_url !== null && new_webhook_url === item.webhookUrl;
      return { apply: confirmed ? { webhookConfirmedAt: receivedAt } : {} };
    }
    default:
      if (includes(REVOKED_CODES, code)) {
        if (repairedAfter) return { ignore: STALE_REPAIRED };
        if (item.status === 'REVOKED' && newerErrorRecorded) return { ignore: 'stale: a newer revocation is recorded' };
        const { error } = itemErrorBody.parse(body);
        return { apply: { status: 'REVOKED', ...errorFields(error, code), erroredAt: receivedAt } };
      }
      return null;
  }
}
