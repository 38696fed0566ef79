import { and, asc, count, desc, isNotNull, isNull, min, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { type StreamKind, streamKinds, streamOutbox } from '../../db/schema/outbox';
import type { OutboxRecord } from './records';
import { pendingTransactionChanges } from './transaction-changes';

/** Records per INSERT: bounds one statement's JSON parameter (a few MB). */
const INSERT_CHUNK = 2_000;

/**
 * Appends records to stream_outbox. Call it with the sync's per-page transaction so the records
 * commit (or roll back) with the page and its cursor. Each chunk travels as ONE jsonb parameter
 * that Postgres expands in array order (`with ordinality`), so `seq` follows the order of
 * `records` — the publishing order for each item — at a fraction of a per-column bind's cost.
 */
export async function appendToOutbox(tx: Tx | Db, records: readonly OutboxRecord[]): Promise<number> {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    const chunk = JSON.stringify(records.slice(i, i + INSERT_CHUNK));
    await tx.execute(sql`
      insert into stream_outbox (stream, item_id, record_id, payload)
      select r->>'stream', (r->>'itemId')::uuid, r->>'recordId', r->'payload'
      from jsonb_array_elements(${chunk}::jsonb) with ordinality as e(r, n)
      order by n`);
  }
  return records.length;
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
