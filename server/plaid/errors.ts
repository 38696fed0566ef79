import type { PlaidError } from 'plaid';
import { AppError } from '../errors';
import { PLAID_FAULT_RULE, ruleForPlaidError } from '../items/lifecycle';

/** What a caller needs to decide about a failed Plaid call; nobody else looks at axios. */
export type PlaidFailureKind =
  | 'item_state' // an item error the lifecycle moves the item for (server/items/lifecycle.ts)
  | 'rate_limited' // 429: retry later with backoff
  | 'retry_later' // Plaid or institution fault, or the network: retry later with backoff
  | 'not_ready' // PRODUCT_NOT_READY: the initial pull is not done yet
  | 'bad_input' // INVALID_*: a bug or bad input, never retried
  | 'unknown';

export interface PlaidFailure {
  kind: PlaidFailureKind;
  httpStatus: number | null;
  error: PlaidError | null;
}

interface AxiosLike {
  response?: { status?: number; data?: unknown };
  code?: string;
}

function isPlaidError(data: unknown): data is PlaidError {
  return typeof data === 'object' && data !== null && 'error_code' in data && 'error_type' in data;
}

export function classifyPlaidError(err: unknown): PlaidFailure {
  const response = (err as AxiosLike | null)?.response;
  const httpStatus = response?.status ?? null;
  const error = isPlaidError(response?.data) ? response.data : null;
  const code = error?.error_code ?? '';
  const type = error?.error_type ?? '';
  let kind: PlaidFailureKind = 'unknown';
  if (ruleForPlaidError(error, httpStatus)?.status) kind = 'item_state';
  else if (httpStatus === 429 || type === 'RATE_LIMIT_EXCEEDED') kind = 'rate_limited';
  else if (code === 'PRODUCT_NOT_READY') kind = 'not_ready';
  else if (type === 'API_ERROR' || type === 'INSTITUTION_ERROR' || (httpStatus !== null && httpStatus >= 500)) kind = 'retry_later';
  else if (!response) kind = 'retry_later'; // timeout, refused, reset: nothing reached us
  else if (type === 'INVALID_REQUEST' || type === 'INVALID_INPUT' || code.startsWith('INVALID_')) kind = 'bad_input';
  return { kind, httpStatus, error };
}

/**
 * The AppError a procedure throws for a Plaid failure. Item errors take the lifecycle's words and
 * app code (server/items/lifecycle.ts); Plaid's display_message is kept only where the lifecycle
 * has nothing to say (it may be null, and is written for Plaid's own Link screens).
 */
export function plaidFailureToAppError(failure: PlaidFailure, what: string): AppError {
  const e = failure.error;
  const rule = ruleForPlaidError(e, failure.httpStatus);
  const opts = { displayMessage: e?.display_message ?? null, plaidErrorCode: e?.error_code };
  if (rule) {
    return new AppError(rule.appCode, `${what}: ${e?.error_code ?? failure.httpStatus ?? 'network error'}`, {
      ...opts,
      displayMessage: rule.message,
      ...(rule.retry === 'backoff' || rule.retry === 'backoff_hours' ? { retryAfterSeconds: 60 } : {}),
    });
  }
  switch (failure.kind) {
    case 'retry_later':
      return new AppError('PLAID_RETRY_LATER', `${what}: ${e?.error_code ?? 'Plaid unavailable'}, try again later`, {
        ...opts,
        displayMessage: PLAID_FAULT_RULE.message,
        retryAfterSeconds: 60,
      });
    case 'bad_input':
      return new AppError('BAD_REQUEST', `${what}: ${e?.error_code ?? 'invalid request'}`, opts);
    default:
      return new AppError('INTERNAL', `${what}: unexpected Plaid failure ${e?.error_code ?? ''}`.trim(), opts);
  }
}
