import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';

export const itemStatuses = ['ACTIVE', 'ERROR', 'PENDING_DISCONNECT', 'REVOKED', 'REMOVED'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export const plaidItems = pgTable(
  'plaid_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    plaidItemId: text('plaid_item_id').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    institutionId: text('institution_id'),
    institutionName: text('institution_name'),
    /** AES-256-GCM ciphertext (server/crypto); never the clear token. */
    accessTokenEnc: text('access_token_enc').notNull(),
    status: text('status', { enum: itemStatuses }).notNull().default('ACTIVE'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    errorDisplayMessage: text('error_display_message'),
    mainAccountId: text('main_account_id'),
    transactionsCursor: text('transactions_cursor'),
    /**
     * While a /transactions/sync pagination is half committed (has_more), the cursor it began with:
     * TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION restarts from here, even after a crash. Null between loops.
     */
    transactionsLoopCursor: text('transactions_loop_cursor'),
    newAccountsAvailable: boolean('new_accounts_available').notNull().default(false),
    lastSyncedAt: timestamp('last_synced_at', { withTimezone: true }),
    lastWebhookAt: timestamp('last_webhook_at', { withTimezone: true }),
    /** The webhook URL Plaid has for this item (set at link, moved by /item/webhook/update). */
    webhookUrl: text('webhook_url'),
    /** When Plaid's WEBHOOK_UPDATE_ACKNOWLEDGED for the current URL arrived; null until then. */
    webhookConfirmedAt: timestamp('webhook_confirmed_at', { withTimezone: true }),
    consentExpiresAt: timestamp('consent_expires_at', { withTimezone: true }),
    disconnectAt: timestamp('disconnect_at', { withTimezone: true }),
    erroredAt: timestamp('errored_at', { withTimezone: true }),
    /** When the last repair took effect (in-app update mode or LOGIN_REPAIRED): older problem reports are stale. */
    repairedAt: timestamp('repaired_at', { withTimezone: true }),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    /** When the person last asked for a refresh now (/transactions/refresh): the shared rate limit's clock. */
    refreshRequestedAt: timestamp('refresh_requested_at', { withTimezone: true }),
    linkSessionId: text('link_session_id'),
    /** Bumped by each item record published to the streams (recordItemChange). */
    streamVersion: integer('stream_version').notNull().default(0),
    /** SHA-256 of the public token this item was linked with: makes items.link idempotent on retry. */
    publicTokenHash: text('public_token_hash').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => sql`now()`),
  },
  (t) => [
    index('plaid_items_user_status_idx').on(t.userId, t.status),
    index('plaid_items_status_idx').on(t.status),
  ],
);
