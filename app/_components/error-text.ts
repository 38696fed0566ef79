/** Words for a failed tRPC call in the browser: our or Plaid's display message first, then zod issues. */
export function errorText(err: unknown): string {
  if (!err || typeof err !== 'object') return 'Something went wrong. Please try again.';
  const data = (err as { data?: { displayMessage?: string | null; zodIssues?: Array<{ message: string }> | null; code?: string } | null }).data;
  if (data?.displayMessage) return data.displayMessage;
  if (data?.zodIssues?.length) return data.zodIssues.map((i) => i.message).join('; ');
  const message = (err as { message?: string }).message;
  if (data?.code === 'INTERNAL_SERVER_ERROR' || !message) return 'Something went wrong on our side. Please try again in a moment.';
  if (/fetch failed|Failed to fetch|NetworkError/i.test(message)) return 'We could not reach Tributary. Check your connection and try again.';
  return message;
}

/** The app code of a failed tRPC call (e.g. ITEM_LOGIN_REQUIRED, CONFLICT), if any. */
export function errorCode(err: unknown): string | null {
  return (err as { data?: { appCode?: string | null } } | null)?.data?.appCode ?? null;
}
