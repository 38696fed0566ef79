import { and, asc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { type StreamKind, streamOutbox } from '../../db/schema/outbox';
import type { PublishedRow } from './send-stream';

export type { PublishedRow } from './send-stream';

/**
 * Items in the change-log batch another publisher holds a live lease on (change-log-publisher.ts):
 * the records of that batch have sequence numbers below any row of these items appended since.
 */
export async function itemsInOthersBatch(tx: Tx, owner: string): Promise<string[]> {
  return rowsOf<{ item: string }>(await tx.execute(sql`
    select distinct i.value as item from change_log_lease l, jsonb_array_elements(l.batch) b, jsonb_array_elements_text(b->'items') i
     where l.id = 1 and l.owner is distinct from ${owner} and l.lease_until > now()`)).map((r) => r.item);
}

export interface ClaimedRow {
  seq: number;
  stream: StreamKind;
  itemId: string;
  recordId: string;
  /** The payload as JSON text: what is sent. */
  data: string;
}

/** Serialises claims (they are short) so two publishers never split one item's rows between them. */
export const CLAIM_LOCK_KEY = 0x7472_6962; // "trib"

/**
 * Leases up to `limit` of the oldest unpublished rows to `owner` for `leaseMs`. A row is skipped
 * while it is leased, or while an earlier unpublished row of the same item is leased to someone
 * else: one item's rows are only ever in one publisher's hands, which keeps them in order.
 */
export async function claimOutboxRows(db: Db, { owner, limit, leaseMs }: { owner: string; limit: number; leaseMs: number }): Promise<ClaimedRow[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`);
    // Items whose logged changes another publisher is sending: their later rows wait for it.
    const away = await itemsInOthersBatch(tx, owner);
    // Per item, the first row leased to anyone: rows at or after it are not ours to take.
    const leased = tx.$with('leased').as(
      tx
        .select({ itemId: streamOutbox.itemId, firstLeased: sql<number>`min(${streamOutbox.seq})`.as('first_leased') })
        .from(streamOutbox)
        .where(and(isNull(streamOutbox.publishedAt), gte(streamOutbox.leaseUntil, sql`now()`)))
        .groupBy(streamOutbox.itemId),
    );
    const rows = await tx
      .with(leased)
      .select({
        seq: streamOutbox.seq, stream: streamOutbox.stream, itemId: streamOutbox.itemId,
        recordId: streamOutbox.recordId, data: sql<string>`${streamOutbox.payload}::text`,
      })
      .from(streamOutbox)
      .leftJoin(leased, eq(leased.itemId, streamOutbox.itemId))
      .where(
        and(
          isNull(streamOutbox.publishedAt),
          or(isNull(streamOutbox.leaseUntil), lt(streamOutbox.leaseUntil, sql`now()`)),
          or(isNull(leased.firstLeased), lt(streamOutbox.seq, leased.firstLeased)),
          away.length > 0 ? sql`${streamOutbox.itemId} <> all(${`{${away.join(',')}}`}::uuid[])` : undefined,
        ),
      )
      .orderBy(asc(streamOutbox.seq))
      .limit(limit)
      .for('update', { of: streamOutbox, skipLocked: true });
    if (rows.length === 0) return [];
    await tx
      .update(streamOutbox)
      .set({
        leaseOwner: owner,
        leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
        attempts: sql`${streamOutbox.attempts} + 1`,
      })
      .where(inArray(streamOutbox.seq, rows.map((r) => r.seq)));
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  });
}

/** Stamps rows published with their Kinesis sequence number and shard, in one UPDATE. */
export async function markPublished(db: Db, rows: readonly PublishedRow[]): Promise<void> {
  if (rows.length === 0) return;
  // Three array parameters, not 3 × rows placeholders: cheaper to send, parse and plan.
  let seqs = '{';
  let sns = '{';
  let shards = '{';
  rows.forEach((r, i) => {
    const sep = i ? ',' : '';
    seqs += sep + r.seq;
    sns += `${sep}"${r.sequenceNumber}"`;
    shards += `${sep}"${r.shardId}"`;
  });
  await db.execute(sql`
    update stream_outbox as o
       set published_at = now(), sequence_number = v.sn, shard_id = v.shard,
           lease_owner = null, lease_until = null, last_error = null
      from unnest(${`${seqs}}`}::bigint[], ${`${sns}}`}::text[], ${`${shards}}`}::text[]) as v(seq, sn, shard)
     where o.seq = v.seq`);
}

/** Gives rows back (still unpublished) so the next publisher takes them at once. */
export async function releaseClaim(db: Db, owner: string, seqs: readonly number[], error: string | null): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .update(streamOutbox)
    .set({ leaseOwner: null, leaseUntil: null, ...(error ? { lastError: error.slice(0, 1000) } : {}) })
    .where(and(inArray(streamOutbox.seq, [...seqs]), sql`${streamOutbox.leaseOwner} = ${owner}`, isNull(streamOutbox.publishedAt)));
}

/** Records an error on rows without releasing their lease (they are skipped until it expires). */
export async function noteError(db: Db, seqs: readonly number[], error: string): Promise<void> {
  if (seqs.length === 0) return;
  await db.update(streamOutbox).set({ lastError: error }).where(inArray(streamOutbox.seq, [...seqs]));
}
