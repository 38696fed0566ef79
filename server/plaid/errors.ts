import type { PlaidError } from 'plaid';
import { AppError } from '../errors';

/** What a caller needs to decide about a failed Plaid call; nobody else looks at axios. */
export type PlaidFailureKind =
  | 'login_required' // ITEM_LOGIN_REQUIRED: the item goes to ERROR, the user repairs it in update mode
  | 'rate_limited' // 429: retry later with backoff
  | 'retry_later' // Plaid or institution fault, or the network: retry later with backoff
  | 'not_ready' // PRODUCT_NOT_READY: the initial pull is not done yet
  | 'item_not_found' // the item was removed at Plaid
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
  if (code === 'ITEM_LOGIN_REQUIRED') kind = 'login_required';
  else if (httpStatus === 429 || type === 'RATE_LIMIT_EXCEEDED') kind = 'rate_limited';
  else if (code === 'PRODUCT_NOT_READY') kind = 'not_ready';
  else if (code === 'ITEM_NOT_FOUND') kind = 'item_not_found';
  else if (type === 'API_ERROR' || type === 'INSTITUTION_ERROR' || (httpStatus !== null && httpStatus >= 500)) kind = 'retry_later';
  else if (!response) kind = 'retry_later'; // timeout, refused, reset: nothing reached us
  else if (type === 'INVALID_REQUEST' || type === 'INVALID_INPUT' || code.startsWith('INVALID_')) kind = 'bad_input';
  return { kind, httpStatus, error };
}

/** The AppError a procedure throws for a Plaid failure (display_message kept for people). */
export function plaidFailureToAppError(failure: PlaidFailure, what: string): AppError {
  const e = failure.error;
  const opts = { displayMessage: e?.display_message ?? null, plaidErrorCode: e?.error_code };
  switch (failure.kind) {
    case 'login_required':
      return new AppError('ITEM_LOGIN_REQUIRED', `${what}: the bank needs you to sign in again`, {
        ...opts,
        displayMessage: opts.displayMessage ?? 'Your bank needs you to sign in again to keep your data up to date.',
      });
    case 'rate_limited':
      return new AppError('TOO_MANY_REQUESTS', `${what}: Plaid rate limit reached`, { ...opts, retryAfterSeconds: 60 });
    case 'retry_later':
    case 'not_ready':
      return new AppError('PLAID_RETRY_LATER', `${what}: ${e?.error_code ?? 'Plaid unavailable'}, try again later`, {
        ...opts,
        retryAfterSeconds: 60,
      });
    case 'item_not_found':
      return new AppError('PRECONDITION_FAILED', `${what}: this connection no longer exists at Plaid`, opts);
    case 'bad_input':
      return new AppError('BAD_REQUEST', `${what}: ${e?.error_code ?? 'invalid request'}`, opts);
    default:
      return new AppError('INTERNAL', `${what}: unexpected Plaid failure ${e?.error_code ?? ''}`.trim(), opts);
  }
}
