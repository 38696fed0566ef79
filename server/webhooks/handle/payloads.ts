import { z } from 'zod';

/** Plaid's error object as webhooks carry it (`status` appears only here). */
const plaidError = z
  .looseObject({
    error_type: z.string().nullish(),
    error_code: z.string().nullish(),
    error_message: z.string().nullish(),
    display_message: z.string().nullish(),
  })
  .nullish();

const isoTime = z
  .string()
  .nullish()
  .transform((v) => {
    if (!v) return null;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  });

/** Only the fields the handler reads; everything else stays in raw_body. */
export const itemErrorBody = z.looseObject({ error: plaidError });
export const pendingDisconnectBody = z.looseObject({ disconnect_time: isoTime });
export const pendingExpirationBody = z.looseObject({ consent_expiration_time: isoTime });
export const webhookAcknowledgedBody = z.looseObject({ new_webhook_url: z.string().nullish().transform((v) => v ?? null), error: plaidError });
export const transactionsRemovedBody = z.looseObject({
  removed_transactions: z.array(z.string().min(1).max(200)).max(10_000).default([]),
});

export type PlaidWebhookError = z.infer<typeof plaidError>;

/** AUTH DEFAULT_UPDATE: accounts whose numbers the bank changed (keys), or that gained numbers. */
export const authUpdateBody = z.looseObject({
  account_ids_with_new_auth: z.array(z.string()).nullish(),
  account_ids_with_updated_auth: z.record(z.string(), z.array(z.string())).nullish(),
});
export const SYNC_CODES = ['INITIAL_UPDATE', 'HISTORICAL_UPDATE', 'DEFAULT_UPDATE', 'SYNC_UPDATES_AVAILABLE'] as const;
export const REVOKED_CODES = ['USER_PERMISSION_REVOKED', 'USER_ACCOUNT_REVOKED'] as const;

export const includes = <T extends string>(list: readonly T[], v: string | null): v is T => v !== null && (list as readonly string[]).includes(v);
