import { z } from 'zod';

/**
 * The parts of Plaid's objects the refined records read, parsed loosely: Plaid adds fields often,
 * and the raw streams carry whatever came. Accepts the SDK's objects (numbers) and rows read back
 * from numeric columns (strings).
 */
const amount = z.union([z.number(), z.string()]);
const optText = z.string().nullish().transform((v) => v ?? null);

export const plaidTransactionInput = z.looseObject({
  transaction_id: z.string().min(1),
  account_id: z.string().min(1),
  amount,
  iso_currency_code: optText,
  unofficial_currency_code: optText,
  date: z.string(),
  authorized_date: optText,
  datetime: optText,
  authorized_datetime: optText,
  name: z.string().nullish().transform((v) => v ?? ''),
  merchant_name: optText,
  merchant_entity_id: optText,
  logo_url: optText,
  website: optText,
  pending: z.boolean(),
  pending_transaction_id: optText,
  personal_finance_category: z
    .object({ primary: optText, detailed: optText, confidence_level: optText })
    .nullish()
    .transform((v) => v ?? null),
  payment_channel: optText,
});
export type PlaidTransactionInput = z.input<typeof plaidTransactionInput>;

/** /transactions/sync's `removed` entries. */
export const plaidRemovedTransactionInput = z.looseObject({
  transaction_id: z.string().min(1),
  account_id: optText,
});
export type PlaidRemovedTransactionInput = z.input<typeof plaidRemovedTransactionInput>;

const balance = z.union([z.number(), z.string()]).nullish().transform((v) => v ?? null);

export const plaidAccountInput = z.looseObject({
  account_id: z.string().min(1),
  name: z.string().nullish().transform((v) => v ?? ''),
  official_name: optText,
  mask: optText,
  type: z.string().min(1),
  subtype: optText,
  verification_status: optText,
  balances: z.looseObject({
    available: balance,
    current: balance,
    limit: balance,
    iso_currency_code: optText,
    unofficial_currency_code: optText,
    last_updated_datetime: optText,
  }),
});
export type PlaidAccountInput = z.input<typeof plaidAccountInput>;

export const plaidRemovedAccountInput = z.looseObject({ account_id: z.string().min(1) });
export type PlaidRemovedAccountInput = z.input<typeof plaidRemovedAccountInput>;
