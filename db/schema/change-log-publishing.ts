import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { streamKinds } from './outbox';

/**
 * What the change-log publisher (server/streams/change-log-publisher.ts) has taken from
 * transaction_changes and is sending: one row (id 1). `batch` lists the changes by seq, the items,
 * and the first sequence number reserved for each `item|stream`, so a publisher that takes over
 * an expired lease sends exactly the same records again (same ids, same sequences). Null when no
 * batch is out.
 */
export const changeLogLease = pgTable('change_log_lease', {
  id: integer('id').primaryKey(),
  owner: text('owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  batch: jsonb('batch'),
});

/**
 * Records Kinesis accepted per stream and minute that never sat in stream_outbox (the change-log
 * publisher sends transaction records straight from the change log): the console's throughput
 * and /metrics add these to the outbox's published rows.
 */
export const streamPublishedMinutes = pgTable(
  'stream_published_minutes',
  {
    stream: text('stream', { enum: streamKinds }).notNull(),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    records: integer('records').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stream, t.minute] })],
);
