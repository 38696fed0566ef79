import type { PlaidApi } from 'plaid';
import { createKeyCache, type PlaidWebhookKey } from '../plaid/webhook-verify';

const holder = globalThis as unknown as { __tributaryWebhookKeys?: (kid: string) => Promise<PlaidWebhookKey> };

/** The process's per-kid key cache, fetching through the SDK's /webhook_verification_key/get. */
export function webhookKeyCache(plaid: PlaidApi) {
  holder.__tributaryWebhookKeys ??= createKeyCache(async (kid) => {
    const res = await plaid.webhookVerificationKeyGet({ key_id: kid });
    return res.data.key as unknown as PlaidWebhookKey;
  });
  return holder.__tributaryWebhookKeys;
}
