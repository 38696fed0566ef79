import { z } from 'zod';

/**
 * The refined records published on the refined streams: version 1. Documented in docs/streams.md.
 * Additive changes (a new nullable field) keep the version; anything else bumps it.
 */
export const REFINED_SCHEMA_VERSION = 1 as const;

export const changeType = z.enum(['added', 'modified', 'removed']);
export type ChangeType = z.infer<typeof changeType>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

const envelope = {
  schemaVersion: z.literal(REFINED_SCHEMA_VERSION),
  /** Stable for the same change of the same content: consumers dedupe on it. */
  recordId: sha256Hex,
  userId: z.string().min(1),
  /** Tributary's item id (uuid), also the Kinesis partition key. */
  itemId: z.uuid(),
  institution: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  /** When the sync received the change from Plaid. */
  receivedAt: isoDateTime,
  /** The entity's version after this change: apply a record only when it is newer than what you hold. */
  version: z.number().int().nonnegative(),
  /** Per item and stream, 1, 2, 3 … without gaps: order (and spot a missing record) by it. */
  sequence: z.number().int().positive(),
};

export const money = z.object({
  /** Non-negative integer in minor units: value = minor / 10^exponent. */
  minor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().min(1),
  exponent: z.number().int().min(0).max(18),
  /** debit = money out of the account (Plaid's positive amount), credit = money in. */
  direction: z.enum(['debit', 'credit']),
});

const signedMinor = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

export const refinedTransactionUpsert = z.object({
  ...envelope,
  entity: z.literal('transaction'),
  changeType: z.enum(['added', 'modified']),
  transactionId: z.string().min(1),
  accountId: z.string().min(1),
  amount: money,
  date: isoDate,
  authorizedDate: isoDate.nullable(),
  datetime: isoDateTime.nullable(),
  authorizedDatetime: isoDateTime.nullable(),
  description: z.string(),
  merchant: z.object({
    name: z.string().nullable(),
    entityId: z.string().nullable(),
    logoUrl: z.string().nullable(),
    website: z.string().nullable(),
  }),
  category: z.object({
    primary: z.string().nullable(),
    detailed: z.string().nullable(),
    confidence: z.string().nullable(),
  }),
  paymentChannel: z.string().nullable(),
  pending: z.boolean(),
  /** On a posted transaction: the pending transaction it replaces (Plaid's pending_transaction_id). */
  pendingTransactionId: z.string().nullable(),
});

export const refinedTransactionRemoval = z.object({
  ...envelope,
  entity: z.literal('transaction'),
  changeType: z.literal('removed'),
  transactionId: z.string().min(1),
  accountId: z.string().nullable(),
  /** On a removed pending transaction: the posted transaction that replaced it, when known. */
  postedTransactionId: z.string().nullable(),
});

export const refinedTransaction = z.discriminatedUnion('changeType', [
  refinedTransactionUpsert.extend({ changeType: z.literal('added') }),
  refinedTransactionUpsert.extend({ changeType: z.literal('modified') }),
  refinedTransactionRemoval,
]);
export type RefinedTransaction = z.infer<typeof refinedTransaction>;

export const refinedAccountUpsert = z.object({
  ...envelope,
  entity: z.literal('account'),
  changeType: z.enum(['added', 'modified']),
  accountId: z.string().min(1),
  name: z.string(),
  officialName: z.string().nullable(),
  type: z.string().min(1),
  subtype: z.string().nullable(),
  /** Last 2–4 characters of the account number as Plaid gives them; never the full number. */
  mask: z.string().max(4).nullable(),
  balances: z.object({
    currency: z.string().nullable(),
    exponent: z.number().int().min(0).max(18),
    /** Signed minor units (an overdrawn account is negative); null when the institution omits it. */
    available: signedMinor.nullable(),
    current: signedMinor.nullable(),
    limit: signedMinor.nullable(),
    updatedAt: isoDateTime.nullable(),
  }),
  verificationStatus: z.string().nullable(),
});

export const refinedAccount = z.discriminatedUnion('changeType', [
  refinedAccountUpsert.extend({ changeType: z.literal('added') }),
  refinedAccountUpsert.extend({ changeType: z.literal('modified') }),
  z.object({ ...envelope, entity: z.literal('account'), changeType: z.literal('removed'), accountId: z.string().min(1) }),
]);
export type RefinedAccount = z.infer<typeof refinedAccount>;

/** The raw streams: Plaid's object as received (secrets stripped) in a small envelope. */
export const rawRecord = z.object({
  schemaVersion: z.literal(REFINED_SCHEMA_VERSION),
  recordId: sha256Hex,
  entity: z.enum(['transaction', 'account']),
  changeType,
  userId: z.string().min(1),
  itemId: z.uuid(),
  receivedAt: isoDateTime,
  version: envelope.version,
  sequence: envelope.sequence,
  plaid: z.record(z.string(), z.unknown()),
});
export type RawRecord = z.infer<typeof rawRecord>;

export const itemChangeType = z.enum(['linked', 'status_changed', 'removed', 'snapshot']);
export type ItemChangeType = z.infer<typeof itemChangeType>;

/**
 * An item's own record, on both account streams (raw and refined): linked, status changed (with
 * the lifecycle's reason), removed, or a snapshot re-published by support. Tells a consumer why an
 * item's data stopped.
 */
export const itemRecord = z.object({
  ...envelope,
  entity: z.literal('item'),
  changeType: itemChangeType,
  status: z.enum(['ACTIVE', 'ERROR', 'PENDING_DISCONNECT', 'REVOKED', 'REMOVED']),
  /** Why: the lifecycle's reason (e.g. ITEM_LOGIN_REQUIRED, user_removed); null when none. */
  reason: z.string().nullable(),
  errorCode: z.string().nullable(),
});
export type ItemRecord = z.infer<typeof itemRecord>;

/** Every record of the account streams. */
export const accountStreamRecord = z.union([refinedAccount, itemRecord]);
