/**
 * Words a person can read for a failed call, shared by server components and the browser.
 * Our own or Plaid's display message comes first; a developer message is shown only when it reads
 * as a sentence (no codes, JSON, regexes, backticks or ids); otherwise a sentence for its kind.
 */
const byCode: Record<string, string> = {
  BAD_REQUEST: 'Some of what was asked for is not valid. Please check it and try again.',
  NOT_FOUND: 'We could not find that. It may have been removed.',
  FORBIDDEN: 'You are not allowed to do that.',
  UNAUTHORIZED: 'Please sign in again.',
  CONFLICT: 'That was already done.',
  PRECONDITION_FAILED: 'That cannot be done right now.',
  TOO_MANY_REQUESTS: 'Too many attempts. Please wait a minute and try again.',
  ITEM_LOGIN_REQUIRED: 'Your bank needs you to sign in again.',
  PLAID_RETRY_LATER: 'Your bank is not answering right now. Please try again in a few minutes.',
};
export const GENERIC_ERROR = 'Something went wrong on our side. Please try again in a moment.';

/** True when a message carries something only a developer should read. */
export function looksInternal(message: string): boolean {
  return /[`{}[\]<>\\]|\b[A-Z]{2,}_[A-Z0-9_]+\b|\/\^|[0-9a-f]{8}-[0-9a-f]{4}-|\bat \S+:\d+|Error:|\bnull\b|\bundefined\b|\bzod\b|\binvalid_/i.test(message)
    || /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/.test(message);
}

export function wordsForError(e: { code?: string | null; displayMessage?: string | null; message?: string | null }): string {
  if (e.displayMessage) return e.displayMessage;
  if (e.code === 'INTERNAL' || e.code === 'INTERNAL_SERVER_ERROR') return GENERIC_ERROR;
  if (e.message && !looksInternal(e.message) ) return e.message;
  return (e.code && byCode[e.code]) || GENERIC_ERROR;
}
