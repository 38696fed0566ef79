import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const streamKinds = ['raw-transactions', 'raw-accounts', 'refined-transactions', 'refined-accounts'] as const;
export type StreamKind = (typeof streamKinds)[number];

/**
 * Records waiting for (or published to) Kinesis. Written in the same database transaction as the
 * sync page that caused them; `seq` gives the per-item publishing order.
 */
export const streamOutbox = pgTable(
  'stream_outbox',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    stream: text('stream', { enum: streamKinds }).notNull(),
    itemId: uuid('item_id').notNull(), // partition key
    recordId: text('record_id').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    sequenceNumber: text('sequence_number'),
    shardId: text('shard_id'),
    attempts: jsonb('attempts'),
    lastError: text('last_error'),
  },
  (t) => [index('stream_outbox_pending_idx').on(t.seq).where(sql`published_at is null`)],
);
