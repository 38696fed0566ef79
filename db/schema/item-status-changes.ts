import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { plaidItems } from './items';

/**
 * Every change of an item's status, as the one lifecycle writer (server/items/item-status.ts)
 * committed it, in the same transaction: the item timeline's "errors and status changes".
 */
export const itemStatusChanges = pgTable(
  'item_status_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => plaidItems.id),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    /** The Plaid error or webhook code behind it; null for a repair or a removal by a person. */
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('item_status_changes_item_idx').on(t.itemId, t.createdAt)],
);
