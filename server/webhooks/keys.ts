import type { PlaidApi } from 'plaid';
import { processContainer } from '../process/container';
import { createKeyCache, type PlaidWebhookKey } from '../plaid/webhook-verify';


/** The process's per-kid key cache, fetching through the SDK's /webhook_verification_key/get. */
export function webhookKeyCache(plaid: PlaidApi) {
  const c = processContainer();
  c.webhookKeys ??= createKeyCache(async (kid) => {
    const res = await plaid.webhookVerificationKeyGet({ key_id: kid });
    return res.data.key as unknown as PlaidWebhookKey;
  });
  return c.webhookKeys;
}
