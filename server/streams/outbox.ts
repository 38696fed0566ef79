import { and, asc, count, desc, isNotNull, isNull, min, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { type StreamKind, streamKinds, streamOutbox } from '../../db/schema/outbox';
import { rowsOf } from '../../db/rows';
import { type OutboxRecord, sequencedJson } from './records';
import { pendingTransactionChanges } from './transaction-changes';

/** Records per INSERT: bounds one statement's parameters (a few MB). */
const INSERT_CHUNK = 2_000;

/** How many numbers an item needs on a stream. */
export interface SequenceNeed { item_id: string; stream: StreamKind; n: number }

/**
 * Bumps the stream_sequences counters by each need, in the caller's transaction, and returns the
 * first number reserved for each `item_id|stream`. The counter rows stay locked until commit.
 */
export async function reserveSequences(tx: Tx | Db, needs: readonly SequenceNeed[]): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  if (needs.length === 0) return first;
  const n = new Map(needs.map((w) => [`${w.item_id}|${w.stream}`, w.n]));
  // Sorted, so two writers lock the counters in one order (no deadlock).
  const wanted = [...needs].sort((a, b) => (a.item_id + a.stream < b.item_id + b.stream ? -1 : 1));
  const bumped = rowsOf<{ item_id: string; stream: StreamKind; last_sequence: number | string }>(await tx.execute(sql`
    insert into stream_sequences (item_id, stream, last_sequence)
    select x.item_id, x.stream, x.n from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as x(item_id uuid, stream text, n bigint)
    order by x.item_id, x.stream
    on conflict (item_id, stream) do update set last_sequence = stream_sequences.last_sequence + excluded.last_sequence
    returning item_id, stream, last_sequence`));
  for (const b of bumped) first.set(`${b.item_id}|${b.stream}`, Number(b.last_sequence) - n.get(`${b.item_id}|${b.stream}`)! + 1);
  return first;
}

/**
 * Appends records to stream_outbox. Call it with the transaction that made the change so the
 * records commit (or roll back) with it. Each record gets the next number of its item on its
 * stream (`sequence` in the payload, `item_sequence` on the row): the counters in
 * stream_sequences are bumped in the same transaction, so the numbers are gap-free (a rollback
 * gives them back) and, since the counter row stays locked until commit, follow commit order.
 * Each chunk travels as parallel array parameters that Postgres expands in order (`unnest ...
 * with ordinality`), so `seq` follows the order of `records`.
 */
export async function appendToOutbox(tx: Tx | Db, records: readonly OutboxRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const counts = new Map<string, SequenceNeed>();
  for (const r of records) {
    const key = `${r.itemId}|${r.stream}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { item_id: r.itemId, stream: r.stream, n: 1 });
  }
  const next = await reserveSequences(tx, [...counts.values()]);
  await insertSequencedRows(tx, records.map((r) => {
    const key = `${r.itemId}|${r.stream}`;
    const sequence = next.get(key)!;
    next.set(key, sequence + 1);
    return { stream: r.stream, itemId: r.itemId, recordId: r.recordId, sequence, data: sequencedJson(r, sequence) };
  }), null);
  return records.length;
}

/** A record rendered with its sequence number already given (the change-log publisher's). */
export interface SequencedRow { stream: StreamKind; itemId: string; recordId: string; sequence: number; data: string }

/**
 * Queues records that already carry their sequence numbers (reserved when their batch was taken),
 * unpublished, with the error that kept them back: the outbox publisher sends them from here.
 */
export async function insertSequencedRows(tx: Tx | Db, rows: readonly SequencedRow[], lastError: string | null): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    await tx.execute(sql`
      insert into stream_outbox (stream, item_id, record_id, item_sequence, payload, last_error)
      select x.stream, x.item_id, x.record_id, x.item_sequence, x.payload, ${lastError}
      from unnest(
        ${arrayLiteral(chunk, (r) => r.stream)}::text[], ${arrayLiteral(chunk, (r) => r.itemId)}::uuid[],
        ${arrayLiteral(chunk, (r) => r.recordId)}::text[], ${`{${chunk.map((r) => r.sequence).join(',')}}`}::bigint[],
        ${arrayLiteral(chunk, (r) => r.data)}::jsonb[]
      ) with ordinality as x(stream, item_id, record_id, item_sequence, payload, n)
      order by x.n`);
  }
}

/** A Postgres array literal of quoted text elements (any text, JSON included). */
function arrayLiteral<T>(rows: readonly T[], text: (row: T) => string): string {
  let out = '{';
  for (let i = 0; i < rows.length; i++) {
    const value = text(rows[i]!);
    out += `${i ? ',' : ''}"${/["\\]/.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`;
  }
  return `${out}}`;
}

export interface StreamBacklog {
  stream: StreamKind;
  unpublished: number;
  oldestUnpublishedAt: Date | null;
  /** Seconds since the oldest unpublished record was written; 0 when none. */
  oldestAgeSeconds: number;
  lastError: string | null;
}

/**
 * Unpublished count, oldest age and latest error per stream (all four, zeros included). Logged
 * transaction changes not yet rendered count as one record on each transaction stream.
 */
export async function outboxBacklog(db: Db | Tx, now = new Date()): Promise<StreamBacklog[]> {
  const rows = await db
    .select({ stream: streamOutbox.stream, unpublished: count(), oldest: min(streamOutbox.createdAt) })
    .from(streamOutbox)
    .where(isNull(streamOutbox.publishedAt))
    .groupBy(streamOutbox.stream);
  const errors = await db
    .selectDistinctOn([streamOutbox.stream], { stream: streamOutbox.stream, lastError: streamOutbox.lastError })
    .from(streamOutbox)
    .where(and(isNull(streamOutbox.publishedAt), isNotNull(streamOutbox.lastError)))
    .orderBy(asc(streamOutbox.stream), desc(streamOutbox.seq));
  const changes = await pendingTransactionChanges(db);
  return streamKinds.map((stream) => {
    const row = rows.find((r) => r.stream === stream);
    const pending = stream.endsWith('-transactions') ? changes : { changes: 0, oldest: null };
    const outboxOldest = row?.oldest ? new Date(row.oldest) : null;
    const oldest = [outboxOldest, pending.oldest].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
    return {
      stream,
      unpublished: Number(row?.unpublished ?? 0) + pending.changes,
      oldestUnpublishedAt: oldest,
      oldestAgeSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0,
      lastError: errors.find((e) => e.stream === stream)?.lastError ?? null,
    };
  });
}

/** Total unpublished records (all streams), counting each logged change as its two records. */
export async function unpublishedCount(db: Db | Tx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(streamOutbox).where(isNull(streamOutbox.publishedAt));
  return Number(row?.n ?? 0) + 2 * (await pendingTransactionChanges(db)).changes;
}
