import type { PlaidError, Products, Transaction, TransactionsUpdateStatus } from 'plaid';
import type { AccountRecord } from './data/accounts';

/**
 * The emulator's whole state as plain JSON-able data, so `persist.ts` can write it and read it
 * back. Derived indexes (current transactions, sorted views) live in `ItemIndex`, rebuilt on load.
 */
export interface LinkTokenRecord {
  token: string;
  createdAt: number;
  expiresAt: number;
  /** Update mode when set. */
  itemId: string | null;
  products: Products[];
  accountFilters: Record<string, { account_subtypes: string[] }> | null;
  redirectUri: string | null;
  clientUserId: string;
  clientName: string;
  webhook: string | null;
  accountSelectionEnabled: boolean;
  daysRequested: number;
  /** Added to the item when its institution supports them; silently skipped when not. */
  requiredIfSupported?: Products[];
  /** Like `requiredIfSupported`, but not billed until used. */
  optionalProducts?: Products[];
}

export interface PublicTokenRecord {
  token: string;
  itemId: string;
  expiresAt: number;
  used: boolean;
}

/** One change in an item's transaction history; a sync cursor is a position in this log. */
export type ChangeEntry =
  | { op: 'added' | 'modified'; tx: Transaction }
  | { op: 'removed'; tx: { transaction_id: string; account_id: string } };

export interface ItemRecord {
  itemId: string;
  accessToken: string;
  institutionId: string;
  products: Products[];
  webhook: string | null;
  username: string;
  /** Seed for everything generated for this item after creation (refreshes, clock advances). */
  seed: string;
  createdAt: number;
  /** Days this item's clock has been advanced by the test controls. */
  clockOffsetDays: number;
  removed: boolean;
  error: PlaidError | null;
  accounts: AccountRecord[];
  /** Transactions generated at link time but not yet released by the initial/historical pull. */
  unreleased: { initial: Transaction[]; historical: Transaction[] };
  initialUpdateAt: number;
  historicalUpdateAt: number;
  updateStatus: TransactionsUpdateStatus;
  log: ChangeEntry[];
  syncedOnce: boolean;
  dynamic: boolean;
  refreshCount: number;
  lastSuccessfulUpdate: string | null;
  lastWebhook: { sentAt: string; code: string } | null;
  consentExpiration: string | null;
  /** Products consented to but not billed yet (`optional_products`). Absent in older state files. */
  optionalProducts?: Products[];
  /** PENDING_DISCONNECT: when the item stops working unless the user goes through update mode. */
  disconnectAt?: string | null;
  /**
   * Accounts at the bank that the item does not share: new ones (NEW_ACCOUNTS_AVAILABLE, shared
   * through update mode with account selection) and revoked ones (USER_ACCOUNT_REVOKED, shared
   * again by any update mode).
   */
  unshared?: { account: AccountRecord; reason: 'new' | 'revoked' }[];
  /** How many LATER_ACCOUNTS have appeared at the bank for this item. */
  newAccountsSeen?: number;
}

export interface SigningKeyRecord {
  kid: string;
  privateJwk: Record<string, unknown>;
  publicJwk: { kty: string; crv: string; x: string; y: string };
  createdAt: number;
  expiredAt: number | null;
}

export interface WebhookAttempt { at: string; status: number | null; error: string | null; durationMs: number }

export interface WebhookDelivery {
  id: string;
  itemId: string;
  url: string;
  webhookType: string;
  webhookCode: string;
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
  nextAttemptAt: string | null;
}

export interface StateData {
  version: 1;
  itemsCreated: number;
  items: Record<string, ItemRecord>;
  accessTokens: Record<string, string>;
  publicTokens: Record<string, PublicTokenRecord>;
  linkTokens: Record<string, LinkTokenRecord>;
  signingKeys: SigningKeyRecord[];
  deliveries: WebhookDelivery[];
}

export const emptyState = (): StateData => ({
  version: 1,
  itemsCreated: 0,
  items: {},
  accessTokens: {},
  publicTokens: {},
  linkTokens: {},
  signingKeys: [],
  deliveries: [],
});

/** Derived, in-memory view of an item's transactions: the result of replaying its log. */
export interface ItemIndex {
  current: Map<string, Transaction>;
  /** Newest-first view for /transactions/get; dropped whenever the log grows. */
  newestFirst: Transaction[] | null;
}

export function buildIndex(item: ItemRecord): ItemIndex {
  const current = new Map<string, Transaction>();
  for (const e of item.log) applyEntry(current, e);
  return { current, newestFirst: null };
}

export function applyEntry(current: Map<string, Transaction>, e: ChangeEntry): void {
  if (e.op === 'removed') current.delete(e.tx.transaction_id);
  else current.set(e.tx.transaction_id, e.tx);
}
