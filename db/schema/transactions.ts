import { boolean, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { plaidItems } from './items';

/** One row per Plaid transaction id. Amounts keep Plaid's sign: positive = money out. */
export const plaidTransactions = pgTable(
  'plaid_transactions',
  {
    id: text('id').primaryKey(), // Plaid transaction_id
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
    raw: jsonb('raw').notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    /** Bumped by each change logged for the streams (server/transactions/transaction-writes.ts); in every record. */
    version: integer('version').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('plaid_transactions_item_date_idx').on(t.itemId, t.date.desc(), t.id.desc()),
    index('plaid_transactions_account_date_idx').on(t.accountId, t.date.desc(), t.id.desc()),
    index('plaid_transactions_pending_link_idx').on(t.pendingTransactionId),
  ],
);
