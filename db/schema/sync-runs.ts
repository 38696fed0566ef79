import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { plaidItems } from './items';

export const syncRunKinds = ['sync', 'remine'] as const;
export const syncRunStatuses = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'LOGIN_REQUIRED'] as const;

/** One row per transactions sync (or re-mine) of an item; the UI reads progress from it. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => plaidItems.id),
    kind: text('kind', { enum: syncRunKinds }).notNull().default('sync'),
    status: text('status', { enum: syncRunStatuses }).notNull().default('QUEUED'),
    trigger: text('trigger'),
    pages: integer('pages').notNull().default(0),
    added: integer('added').notNull().default(0),
    modified: integer('modified').notNull().default(0),
    removed: integer('removed').notNull().default(0),
    restarts: integer('restarts').notNull().default(0),
    updateStatus: text('update_status'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('sync_runs_item_idx').on(t.itemId, t.createdAt.desc()),
    // At most one re-mine waiting or running per item.
    uniqueIndex('sync_runs_one_remine_idx')
      .on(t.itemId)
      .where(sql`kind = 'remine' and status in ('QUEUED', 'RUNNING')`),
  ],
);
