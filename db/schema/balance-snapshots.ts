import { date, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { plaidAccounts } from './accounts';

/**
 * One stored balance per account per day (UTC), the dashboard's balance-over-time chart reads it.
 * Written only by the account write path (server/accounts/account-writes.ts) each time it stores
 * balances; a later read on the same day replaces the row, so the day keeps its latest balance.
 */
export const accountBalanceSnapshots = pgTable(
  'account_balance_snapshots',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => plaidAccounts.id),
    day: date('day').notNull(),
    currentBalance: numeric('current_balance', { precision: 19, scale: 4 }),
    availableBalance: numeric('available_balance', { precision: 19, scale: 4 }),
    isoCurrencyCode: text('iso_currency_code'),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] })],
);
