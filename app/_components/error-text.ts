import { wordsForError } from '../../server/error-words';

/** Words for a failed tRPC call in the browser: our or Plaid's display message first, never codes or JSON. */
export function errorText(err: unknown): string {
  if (!err || typeof err !== 'object') return 'Something went wrong. Please try again.';
  const data = (err as { data?: { displayMessage?: string | null; appCode?: string | null; code?: string } | null }).data;
  const message = (err as { message?: string }).message;
  if (message && /fetch failed|Failed to fetch|NetworkError/i.test(message)) return 'We could not reach Tributary. Check your connection and try again.';
  return wordsForError({ code: data?.appCode ?? data?.code, displayMessage: data?.displayMessage, message });
}

/** The app code of a failed tRPC call (e.g. ITEM_LOGIN_REQUIRED, CONFLICT), if any. */
export function errorCode(err: unknown): string | null {
  return (err as { data?: { appCode?: string | null } } | null)?.data?.appCode ?? null;
}
