import { z } from 'zod';
import { accountMask, isoDate, money, plaidId, timestamp, uuid } from './shared';

/** A stored account: the mask and balances; whether numbers are on file, never the numbers. */
export const accountOutput = z.object({
  id: plaidId,
  itemId: uuid,
  name: z.string(),
  officialName: z.string().nullable(),
  mask: accountMask,
  type: z.string(),
  subtype: z.string().nullable(),
  availableBalance: money.nullable(),
  currentBalance: money.nullable(),
  creditLimit: money.nullable(),
  isoCurrencyCode: z.string().nullable(),
  balancesUpdatedAt: timestamp.nullable(),
  hasAccountNumbers: z.boolean(),
  isMain: z.boolean(),
});

/** An account as Plaid reports it now (/accounts/get, /accounts/balance/get). */
export const liveAccountOutput = z.object({
  id: plaidId,
  name: z.string(),
  mask: accountMask,
  type: z.string(),
  subtype: z.string().nullable(),
  availableBalance: z.number().nullable(),
  currentBalance: z.number().nullable(),
  creditLimit: z.number().nullable(),
  isoCurrencyCode: z.string().nullable(),
  lastUpdated: z.string().nullable(),
});

export const cachedAccountsOutput = z.array(accountOutput);
export const liveAccountsOutput = z.array(liveAccountOutput);
export const balancesOutput = z.object({ accounts: liveAccountsOutput, fetchedAt: timestamp });

/** Net worth at the end of each day, oldest first; `estimated` days were worked back from transactions. */
export const balanceHistoryOutput = z.object({
  currency: z.string(),
  points: z.array(z.object({ day: isoDate, netWorth: z.number(), estimated: z.boolean() })),
  recordedSince: isoDate.nullable(),
});
