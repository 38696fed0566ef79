import { z } from 'zod';
import { isoDate, money, plaidId, timestamp, uuid } from './shared';

/** A stored transaction (Plaid's sign: positive = money out). */
export const transactionOutput = z.object({
  id: plaidId,
  itemId: uuid,
  accountId: plaidId,
  amount: money,
  isoCurrencyCode: z.string().nullable(),
  date: isoDate,
  authorizedDate: isoDate.nullable(),
  name: z.string(),
  merchantName: z.string().nullable(),
  pending: z.boolean(),
  pendingTransactionId: z.string().nullable(),
  category: z.string().nullable(),
  categoryDetailed: z.string().nullable(),
  paymentChannel: z.string().nullable(),
  logoUrl: z.string().nullable(),
  removedAt: timestamp.nullable(),
});

export const cachedTransactionsOutput = z.object({
  transactions: z.array(transactionOutput),
  nextCursor: z.string().nullable(),
});

/** A transaction straight from /transactions/get (nothing stored). */
export const liveTransactionOutput = z.object({
  id: plaidId,
  accountId: plaidId,
  amount: money,
  isoCurrencyCode: z.string().nullable(),
  date: isoDate,
  name: z.string(),
  merchantName: z.string().nullable(),
  pending: z.boolean(),
  pendingTransactionId: z.string().nullable(),
  category: z.string().nullable(),
});

export const liveTransactionsOutput = z.object({
  total: z.number().int(),
  truncated: z.boolean(),
  transactions: z.array(liveTransactionOutput),
});

/** How many stored transactions match a filter. */
export const transactionCountOutput = z.object({ total: z.number().int() });

/** Money in and out since the first of the month, per currency. */
export const monthSummaryOutput = z.object({
  since: isoDate,
  totals: z.array(z.object({ currency: z.string(), moneyIn: z.number(), moneyOut: z.number() })),
});

export const spendingOutput = z.object({
  since: isoDate,
  categories: z.array(z.object({ category: z.string(), currency: z.string(), total: z.number(), count: z.number().int() })),
});
