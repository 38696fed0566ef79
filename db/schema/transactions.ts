import { boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { plaidItems } from './items';

/**
 * One row per Plaid transaction id of an item. Amounts keep Plaid's sign: positive = money out.
 *
 * Hash-partitioned by item_id in Postgres (migration 0016, which drizzle cannot express: the
 * partition count is fixed when it runs, `tributary.transaction_partitions`, default 16). So every
 * key and unique constraint includes item_id, and every hot query names the item(s) it reads, which
 * prunes it to their partitions (server/transactions/partition-pruning.db.test.ts). Plaid's object
 * as received lives in plaid_transaction_raw; `rawDigest` (md5 of it) lets an upsert tell an
 * unchanged row without reading it.
 */
export const plaidTransactions = pgTable(
  'plaid_transactions',
  {
    id: text('id').notNull(), // Plaid transaction_id
    itemId: uuid('item_id')
      .notNull()
      .references(() => plaidItems.id),
    accountId: text('account_id').notNull(),
    amount: numeric('amount', { precision: 19, scale: 4 }).notNull(),
    isoCurrencyCode: text('iso_currency_code'),
    unofficialCurrencyCode: text('unofficial_currency_code'),
    date: date('date').notNull(),
    authorizedDate: date('authorized_date'),
    datetime: timestamp('datetime', { withTimezone: true }),
    name: text('name').notNull(),
    merchantName: text('merchant_name'),
    pending: boolean('pending').notNull(),
    pendingTransactionId: text('pending_transaction_id'),
    categoryPrimary: text('category_primary'),
    categoryDetailed: text('category_detailed'),
    paymentChannel: text('payment_channel'),
    logoUrl: text('logo_url'),
    /** md5 of Plaid's object as jsonb text (`md5(raw::text)::uuid`), whose body is in plaid_transaction_raw. */
    rawDigest: uuid('raw_digest'),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    /** Bumped by each change logged for the streams (server/transactions/transaction-writes.ts); in every record. */
    version: integer('version').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.id] }),
    index('plaid_transactions_item_date_idx').on(t.itemId, t.date.desc(), t.id.desc()),
    index('plaid_transactions_account_date_idx').on(t.accountId, t.date.desc(), t.id.desc()),
    index('plaid_transactions_pending_link_idx').on(t.pendingTransactionId),
  ],
);

/**
 * Plaid's transaction object as last received, out of the hot table (docs/SCALING.md): written by
 * the same statement as its plaid_transactions row, read only to rebuild stream snapshots.
 * Hash-partitioned by item_id like plaid_transactions.
 */
export const plaidTransactionRaw = pgTable(
  'plaid_transaction_raw',
  {
    itemId: uuid('item_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    raw: jsonb('raw').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.transactionId] })],
);
