import { index, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';

/** A user's cash advance. While one is ACTIVE the user may not remove a bank connection. */
export const floats = pgTable(
  'floats',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    amount: numeric('amount', { precision: 19, scale: 4 }).notNull(),
    currency: text('currency').notNull().default('USD'),
    status: text('status', { enum: ['ACTIVE', 'SETTLED'] }).notNull().default('ACTIVE'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [index('floats_user_status_idx').on(t.userId, t.status)],
);
