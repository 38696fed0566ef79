import { PlaidErrorType, type PlaidError } from 'plaid';

/**
 * Plaid errors as the emulator raises them. Every client mistake becomes one of these, so the
 * handler never answers 500 unless a test asked for it (fault injection) or the emulator has a bug.
 */
export class PlaidApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: PlaidErrorType,
    readonly code: string,
    message: string,
    readonly displayMessage: string | null = null,
  ) {
    super(message);
    this.name = 'PlaidApiError';
  }

  /** The wire body; `status` is only added inside webhooks. */
  toBody(requestId: string): PlaidError {
    return {
      error_type: this.type,
      error_code: this.code,
      error_message: this.message,
      display_message: this.displayMessage,
      request_id: requestId,
      causes: [],
      documentation_url: `https://plaid.com/docs/errors/${docPath(this.type)}/#${this.code.toLowerCase().replace(/_/g, '-')}`,
      suggested_action: null,
    };
  }
}

function docPath(type: PlaidErrorType): string {
  return type.toLowerCase().replace(/_error$/, '').replace(/_/g, '-');
}

type Known = [type: PlaidErrorType, status: number, message: string, display: string | null];
const T = PlaidErrorType;

/** Codes the emulator knows how to raise by name (fault injection, `error_<CODE>` passwords). */
const KNOWN: Record<string, Known> = {
  INVALID_API_KEYS: [T.InvalidInput, 400, 'invalid client_id or secret provided', null],
  INVALID_ACCESS_TOKEN: [T.InvalidInput, 400, 'provided access token is in an invalid format. expected format: access-<environment>-<identifier>', null],
  INVALID_PUBLIC_TOKEN: [T.InvalidInput, 400, 'provided public token is in an invalid format. expected format: public-<environment>-<identifier>', null],
  INVALID_LINK_TOKEN: [T.InvalidInput, 400, 'provided link token is invalid or expired', null],
  INVALID_PRODUCT: [T.InvalidInput, 400, 'client is not authorized to access the following products', null],
  INVALID_INSTITUTION: [T.InvalidInput, 400, 'invalid institution_id provided', null],
  INVALID_WEBHOOK_VERIFICATION_KEY_ID: [T.InvalidInput, 400, 'invalid key_id provided', null],
  MISSING_FIELDS: [T.InvalidRequest, 400, 'the following required fields are missing', null],
  UNKNOWN_FIELDS: [T.InvalidRequest, 400, 'the following fields are not recognized by this endpoint', null],
  INVALID_FIELD: [T.InvalidRequest, 400, 'a field has an invalid value', null],
  INVALID_BODY: [T.InvalidRequest, 400, 'body could not be parsed as JSON', null],
  NOT_FOUND: [T.InvalidRequest, 404, 'not found', null],
  ITEM_LOGIN_REQUIRED: [T.ItemError, 400, "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state", "Your credentials have changed or your account requires action. Please log in again."],
  ITEM_NOT_FOUND: [T.ItemError, 400, 'the Item you requested cannot be found. This Item does not exist, has been previously removed via /item/remove, or has had access removed by the user', null],
  PRODUCT_NOT_READY: [T.ItemError, 400, 'the requested product is not yet ready. please provide a webhook or try the request again later', null],
  NO_AUTH_ACCOUNTS: [T.ItemError, 400, 'There are no valid checking or savings account(s) associated with this Item.', 'No valid checking or savings accounts were found at this institution.'],
  INVALID_CREDENTIALS: [T.ItemError, 400, 'the provided credentials were not correct', 'The provided credentials were not correct. Please try again.'],
  INVALID_MFA: [T.ItemError, 400, 'the provided MFA response(s) were not correct', 'The provided MFA responses were not correct. Please try again.'],
  ITEM_LOCKED: [T.ItemError, 400, 'the account is locked. prompt the user to visit the institution\'s site and unlock their account', 'The given credentials belong to a locked account.'],
  ITEM_NOT_SUPPORTED: [T.ItemError, 400, 'this account is currently not supported', 'The given account is not currently supported for this institution.'],
  USER_SETUP_REQUIRED: [T.ItemError, 400, 'the account has not been fully set up. prompt the user to visit the institution\'s site and finish the setup process', 'The given account requires additional setup.'],
  NO_ACCOUNTS: [T.ItemError, 400, 'no valid accounts were found for this item', 'No valid accounts were found at the bank.'],
  MFA_NOT_SUPPORTED: [T.ItemError, 400, 'this account requires a software-based MFA method, which is not supported', 'The multi-factor security features enabled on this account are not currently supported for this financial institution.'],
  ACCESS_NOT_GRANTED: [T.ItemError, 400, 'the user did not grant the necessary permissions for their account', 'This account cannot be accessed because permissions were not granted.'],
  INSUFFICIENT_CREDENTIALS: [T.ItemError, 400, 'insufficient authorization was provided to complete the request', 'The credentials provided were not sufficient to complete the request.'],
  INVALID_UPDATED_USERNAME: [T.ItemError, 400, 'the username entered during update mode did not match the original username', 'The username provided did not match the one used when the account was first linked.'],
  USER_PERMISSION_REVOKED: [T.ItemError, 400, 'the holder of this account has revoked their permission for your application to access it', null],
  PRODUCTS_NOT_SUPPORTED: [T.ItemError, 400, 'the requested product is not supported by this institution', null],
  TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION: [T.TransactionsError, 400, 'Underlying transaction data changed since last page was fetched. Please restart pagination from last update.', null],
  SANDBOX_WEBHOOK_INVALID: [T.SandboxError, 400, 'Webhook for this item is either empty or has not been set.', null],
  SANDBOX_PRODUCT_NOT_ENABLED: [T.SandboxError, 400, 'The requested product is not enabled for this item.', null],
  INSTITUTION_DOWN: [T.InstitutionError, 400, 'this institution is not currently responding to this request. please try again soon', 'This financial institution is not currently responding to requests. We apologize for the inconvenience.'],
  INSTITUTION_NOT_RESPONDING: [T.InstitutionError, 400, 'this institution is not currently responding to this request. please try again soon', 'This financial institution is not currently responding to requests. We apologize for the inconvenience.'],
  INSTITUTION_NOT_AVAILABLE: [T.InstitutionError, 400, 'this institution is not currently available', 'This financial institution is not currently available.'],
  INSTITUTION_NO_LONGER_SUPPORTED: [T.InstitutionError, 400, 'this institution is no longer supported', 'This financial institution is no longer supported.'],
  INSTITUTION_NOT_SUPPORTED: [T.InstitutionError, 400, 'this product is not currently supported for this institution', null],
  INTERNAL_SERVER_ERROR: [T.ApiError, 500, 'an unexpected error occurred', null],
  PLANNED_MAINTENANCE: [T.ApiError, 503, 'the Plaid API is temporarily unavailable due to planned maintenance', null],
  RATE_LIMIT: [T.RateLimitExceeded, 429, 'rate limit exceeded', null],
};

/** Rate-limit codes per endpoint, from the sandbox table of PLAID.md. */
export const RATE_LIMIT_CODES: Record<string, string> = {
  '/transactions/sync': 'TRANSACTIONS_SYNC_LIMIT',
  '/transactions/get': 'TRANSACTIONS_LIMIT',
  '/transactions/refresh': 'TRANSACTIONS_REFRESH_LIMIT',
  '/accounts/balance/get': 'BALANCE_LIMIT',
  '/accounts/get': 'ACCOUNTS_LIMIT',
  '/item/get': 'ITEM_GET_LIMIT',
  '/auth/get': 'AUTH_LIMIT',
  '/identity/get': 'IDENTITY_LIMIT',
};

export function isKnownErrorCode(code: string): boolean {
  return code in KNOWN || code.endsWith('_LIMIT');
}

/** Build an error by code; `detail` is appended to the standard message. */
export function plaidError(code: string, detail?: string): PlaidApiError {
  if (code.endsWith('_LIMIT') && !(code in KNOWN)) {
    return new PlaidApiError(429, T.RateLimitExceeded, code, `rate limit exceeded for attempts to access this item. please try again later${detail ? `: ${detail}` : ''}`);
  }
  const known = KNOWN[code];
  if (!known) {
    return new PlaidApiError(400, T.InvalidRequest, code, detail ?? code.toLowerCase().replace(/_/g, ' '));
  }
  const [type, status, message, display] = known;
  return new PlaidApiError(status, type, code, detail ? `${message}: ${detail}` : message, display);
}

export const missingFields = (fields: string[]) => plaidError('MISSING_FIELDS', fields.join(', '));
export const unknownFields = (fields: string[]) => plaidError('UNKNOWN_FIELDS', fields.join(', '));
export const invalidField = (detail: string) => plaidError('INVALID_FIELD', detail);
