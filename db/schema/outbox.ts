import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const streamKinds = ['raw-transactions', 'raw-accounts', 'refined-transactions', 'refined-accounts'] as const;
export type StreamKind = (typeof streamKinds)[number];

/**
 * Records waiting for (or published to) Kinesis. Written in the same database transaction as the
 * sync page that caused them; `seq` gives the per-item publishing order.
 *
 * A publisher claims rows by setting a lease (`lease_owner`, `lease_until`) in a short transaction,
 * publishes outside any transaction, then stamps `published_at` + the Kinesis sequence number.
 * A crashed publisher's lease simply expires, so its rows are published again (at least once).
 */
export const streamOutbox = pgTable(
  'stream_outbox',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    stream: text('stream', { enum: streamKinds }).notNull(),
    itemId: uuid('item_id').notNull(), // partition key
    recordId: text('record_id').notNull(),
    /** Per item and stream, gap-free from 1 (stream_sequences): also `sequence` in the payload. Null only on rows older than sequences (backfilled by the migration). */
    itemSequence: bigint('item_sequence', { mode: 'number' }),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    sequenceNumber: text('sequence_number'),
    shardId: text('shard_id'),
    /** How many times a publisher has claimed this row. */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('stream_outbox_item_sequence_idx').on(t.itemId, t.stream, t.itemSequence),
    index('stream_outbox_pending_idx').on(t.seq).where(sql`published_at is null`),
    // The claim query asks "does this item have an earlier unpublished row leased elsewhere?"
    index('stream_outbox_pending_item_idx').on(t.itemId, t.seq).where(sql`published_at is null`),
    // The console reads the latest published rows per stream.
    index('stream_outbox_stream_published_idx').on(t.stream, t.seq).where(sql`published_at is not null`),
    // Retention (server/hygiene/retention.ts): rows published before the cut-off.
    index('stream_outbox_published_at_idx').on(t.publishedAt).where(sql`published_at is not null`),
  ],
);

/**
 * The last sequence number given to a record of each item on each stream. appendToOutbox bumps it
 * in the transaction that inserts the records, so the numbers are gap-free and follow commit order.
 */
export const streamSequences = pgTable(
  'stream_sequences',
  {
    itemId: uuid('item_id').notNull(),
    stream: text('stream', { enum: streamKinds }).notNull(),
    lastSequence: bigint('last_sequence', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.stream] })],
);
