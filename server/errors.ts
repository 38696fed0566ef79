/**
 * The one error domain code throws. `code` says what kind of failure it is; the tRPC error map
 * (server/trpc/error-map.ts) turns it into a transport code, and the formatter exposes `code` and
 * Plaid's `display_message` (when there is one) to the client.
 */
export const appErrorCodes = [
  'UNAUTHORIZED', // not signed in / bad service key
  'FORBIDDEN', // wrong role, or an action this environment does not allow
  'NOT_FOUND', // absent, or not yours
  'BAD_REQUEST',
  'CONFLICT', // e.g. a bank already linked
  'PRECONDITION_FAILED', // e.g. an active float
  'TOO_MANY_REQUESTS',
  'ITEM_LOGIN_REQUIRED', // the bank needs the user to sign in again (Link update mode)
  'PLAID_RETRY_LATER', // Plaid or the institution is failing: try again later
  'INTERNAL',
] as const;
export type AppErrorCode = (typeof appErrorCodes)[number];

export interface AppErrorOptions {
  cause?: unknown;
  /** Safe to show a person: Plaid's display_message, or our own words. */
  displayMessage?: string | null;
  plaidErrorCode?: string;
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly displayMessage: string | null;
  readonly plaidErrorCode: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.displayMessage = options.displayMessage ?? null;
    this.plaidErrorCode = options.plaidErrorCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
