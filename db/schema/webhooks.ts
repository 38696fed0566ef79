import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { type ItemStatus, plaidItems } from './items';

export const webhookSources = ['plaid', 'synthetic'] as const;
export const webhookStates = ['REJECTED', 'RECEIVED', 'QUEUED', 'PROCESSED', 'IGNORED', 'FAILED'] as const;
export type WebhookState = (typeof webhookStates)[number];

/** What a handled webhook asked of the world outside the database (server/webhooks/handle/decide.ts). */
export interface WebhookFollowUps {
  /** Request a transactions sync for this item (our id). */
  syncItemId: string | null;
  /** NEW_ACCOUNTS_AVAILABLE: tell the item's owner (item/new-accounts.available). Absent on older rows. */
  newAccounts?: { itemId: string; userId: string } | null;
  /** AUTH DEFAULT_UPDATE: read /auth/get again; the old numbers of `updatedAccountIds` are dropped. Absent on older rows. */
  authNumbers?: { itemId: string; updatedAccountIds: string[] } | null;
  /** Analytics events, each with its dedupe key. */
  analytics: Array<{
    event: 'Item Errored' | 'Item Repaired';
    userId: string;
    properties: Record<string, string | number | boolean | null>;
    dedupeKey?: string;
  }>;
  /** The item's status change this webhook made (server/items/item-status.ts), sent as item/status.changed. */
  statusChange?: {
    itemId: string;
    userId: string;
    from: ItemStatus;
    to: ItemStatus;
    reason: string | null;
    at: string;
  } | null;
}

/** Every webhook as received, verified or not: stored before anything acts on it. */
export const plaidWebhooks = pgTable(
  'plaid_webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source', { enum: webhookSources }).notNull(),
    itemId: uuid('item_id').references(() => plaidItems.id),
    plaidItemId: text('plaid_item_id'),
    webhookType: text('webhook_type'),
    webhookCode: text('webhook_code'),
    rawBody: text('raw_body').notNull(),
    headers: jsonb('headers'),
    verified: boolean('verified').notNull(),
    verificationError: text('verification_error'),
    /** Set only on accepted webhooks; a replay of the same delivery collides here. */
    dedupeKey: text('dedupe_key'),
    /** SHA-256 of the body: Plaid's retry of a delivery is re-signed but carries the same body. */
    contentHash: text('content_hash'),
    /** Deliveries of this webhook: Plaid's retries add to it instead of adding rows. */
    deliveryCount: integer('delivery_count').notNull().default(1),
    lastDeliveredAt: timestamp('last_delivered_at', { withTimezone: true }),
    unknownItem: boolean('unknown_item').notNull().default(false),
    state: text('state', { enum: webhookStates }).notNull(),
    error: text('error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /** Decided with the final state; a retry after a crash repeats exactly these. */
    followUps: jsonb('follow_ups').$type<WebhookFollowUps>(),
  },
  (t) => [
    uniqueIndex('plaid_webhooks_dedupe_idx').on(t.dedupeKey),
    index('plaid_webhooks_item_idx').on(t.itemId, t.receivedAt.desc()),
    // Intake's retry lookup: the same body for the same Plaid item, newest first.
    index('plaid_webhooks_content_idx').on(t.plaidItemId, t.contentHash, t.receivedAt.desc()),
    // The sweep's query: only the few rows not yet handed on, however large the table grows.
    index('plaid_webhooks_received_idx').on(t.receivedAt).where(sql`state = 'RECEIVED'`),
    // Retention (server/hygiene/retention.ts): handled webhooks by when they were handled.
    index('plaid_webhooks_handled_idx').on(sql`coalesce(${t.processedAt}, ${t.receivedAt})`).where(sql`state in ('PROCESSED', 'IGNORED')`),
  ],
);
