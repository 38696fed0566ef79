import { bigserial, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const transactionChangeTypes = ['added', 'modified', 'removed'] as const;

/**
 * The transaction change log: one row per transaction change a sync page (or a
 * TRANSACTIONS_REMOVED webhook, or a re-mine) committed, written in the SAME database
 * transaction as the change itself — by the upsert statement, for added and modified rows, so
 * the page's JSON crosses the wire once. The publisher renders each row into its raw and refined
 * stream records (stream_outbox) in seq order and deletes it in one transaction, so nothing is
 * lost between the two tables and nothing is rendered twice.
 *
 * Holds Plaid's transaction as received (like plaid_transactions.raw): sanitising happens when
 * the records are rendered.
 */
export const transactionChanges = pgTable('transaction_changes', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  itemId: uuid('item_id').notNull(),
  userId: text('user_id').notNull(),
  changeType: text('change_type', { enum: transactionChangeTypes }).notNull(),
  /** Added/modified: Plaid's transaction object. Removed: `{ transaction_id, account_id }`. */
  transaction: jsonb('transaction').notNull(),
  /** Removed pending transaction whose posted successor came in the same page. */
  postedTransactionId: text('posted_transaction_id'),
  institutionId: text('institution_id'),
  institutionName: text('institution_name'),
  /** What the change was fetched with (sync cursor, `webhook:<id>`, `remine`): part of the record ids. */
  sourceVersion: text('source_version'),
  /** The transaction row's version after this change (plaid_transactions.version). */
  version: integer('version').notNull().default(0),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
