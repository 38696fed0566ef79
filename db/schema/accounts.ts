import { sql } from 'drizzle-orm';
import { index, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { plaidItems } from './items';

export const plaidAccounts = pgTable(
  'plaid_accounts',
  {
    id: text('id').primaryKey(), // Plaid account_id
    itemId: uuid('item_id')
      .notNull()
      .references(() => plaidItems.id),
    name: text('name').notNull(),
    officialName: text('official_name'),
    mask: text('mask'),
    type: text('type').notNull(),
    subtype: text('subtype'),
    availableBalance: numeric('available_balance', { precision: 19, scale: 4 }),
    currentBalance: numeric('current_balance', { precision: 19, scale: 4 }),
    creditLimit: numeric('credit_limit', { precision: 19, scale: 4 }),
    isoCurrencyCode: text('iso_currency_code'),
    unofficialCurrencyCode: text('unofficial_currency_code'),
    verificationStatus: text('verification_status'),
    /** AES-256-GCM ciphertexts (server/crypto); never the clear numbers. */
    accountNumberEnc: text('account_number_enc'),
    routingNumberEnc: text('routing_number_enc'),
    wireRoutingNumberEnc: text('wire_routing_number_enc'),
    balancesUpdatedAt: timestamp('balances_updated_at', { withTimezone: true }),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    raw: jsonb('raw'),
    /** Bumped by each change published to the streams (server/accounts/account-writes.ts); in every record. */
    version: integer('version').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => sql`now()`),
  },
  (t) => [index('plaid_accounts_item_idx').on(t.itemId)],
);
