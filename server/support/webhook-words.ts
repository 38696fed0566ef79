/**
 * Why a webhook was ignored, failed or rejected, in words staff read: the receiver stores short
 * developer notes (server/webhooks, server/plaid/webhook-verify.ts); the console shows these instead.
 */
const NOTES: Array<[RegExp, string]> = [
  [/^no item (with this item_id|for this webhook)/, 'No bank connection here has this Plaid item id.'],
  [/^item is REMOVED/, 'The connection was already removed; a late webhook does not bring it back.'],
  [/^item is REVOKED/, 'The connection was revoked; only the person reconnecting brings it back.'],
  [/^unhandled webhook/, 'Tributary does not act on this kind of webhook.'],
  [/^(unreadable body|malformed JSON body)/, 'Its body could not be read.'],
  [/^stale: a repair after this webhook/, 'Out of date: the connection was repaired after it was sent.'],
  [/^stale: the item has a newer error/, 'Out of date: a newer problem is already recorded.'],
  [/^stale: the item reported a problem after this repair/, 'Out of date: the bank reported a problem after this repair.'],
  [/^stale: a newer revocation/, 'Out of date: a newer revocation is already recorded.'],
  [/^a passing problem/, 'A passing problem at the bank: the connection keeps its state and the sync tries again.'],
  [/^nothing to repair/, 'Nothing to repair: the connection was already working.'],
];

const VERIFICATION: Array<[RegExp, string]> = [
  [/^missing Plaid-Verification/, 'It came without Plaid’s signature.'],
  [/^(malformed JWT|JWT has no|algorithm )/, 'Its signature was not in Plaid’s form.'],
  [/^(unknown key id|key )/, 'It was signed with a key Plaid does not list (unknown or expired).'],
  [/^bad signature/, 'The signature does not match Plaid’s key.'],
  [/^stale: iat/, 'It was signed more than 5 minutes before it arrived.'],
  [/^iat is in the future/, 'It was signed with a time in the future.'],
  [/^body hash does not match/, 'Its body was changed after Plaid signed it.'],
];

export function webhookNoteWords(note: string): string {
  return NOTES.find(([re]) => re.test(note))?.[1] ?? 'Processing failed; the server log has the details.';
}

export function verificationWords(reason: string): string {
  return VERIFICATION.find(([re]) => re.test(reason))?.[1] ?? 'It could not be verified as coming from Plaid.';
}
