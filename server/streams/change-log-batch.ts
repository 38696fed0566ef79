import { randomUUID } from 'node:crypto';
import { asc, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { rowsOf } from '../../db/rows';
import type { StreamKind } from '../../db/schema/outbox';
import { transactionChanges } from '../../db/schema/transaction-changes';
import { CLAIM_LOCK_KEY } from './outbox-claims';
import { appendToOutbox, insertSequencedRows, reserveSequences, type SequencedRow } from './outbox';
import { type LoggedChange, type NumberedPart, parsedChange } from './numbered-records';
import { renderChange } from './render-changes';

/** One batch in change_log_lease.batch (a list: a publisher prepares the next while one is sent). */
interface StoredBatch {
  id: string;
  /** The changes (transaction_changes.seq), oldest first. */
  changes: number[];
  items: string[];
  /** The first sequence number reserved for each `item|stream`. */
  first: Record<string, number>;
}

/** Batches in a publisher's hands: their changes, with the numbers to render them with (numbered-records.ts). */
export interface TakenBatch {
  ids: string[];
  changes: number[];
  parts: NumberedPart[];
}

export interface TakeResult {
  /** Another publisher's lease is live: the change log is in its hands. */
  busy: boolean;
  /** Changes of items with records still queued in stream_outbox, rendered into it behind them. */
  queued: number;
  /** Changes left in the log for now: their item has queued records and a batch of this publisher's out. */
  waiting: number;
  batch: TakenBatch | null;
  /** Items of a taken-over batch with records queued in stream_outbox: their records are not sent but queued behind those. */
  held?: string[];
}

/**
 * Logged changes, oldest first, with Plaid's object as JSON text: Postgres prints jsonb as text
 * anyway, and the text goes to the render worker to be parsed there, off the publishing thread.
 */
function selectChanges(tx: Tx, where: SQL | undefined, limit?: number): Promise<LoggedChange[]> {
  const q = tx.select({ ...getTableColumns(transactionChanges), transaction: sql<string>`${transactionChanges.transaction}::text` })
    .from(transactionChanges).where(where).orderBy(asc(transactionChanges.seq));
  return limit === undefined ? q : q.limit(limit);
}

/**
 * Takes the oldest `limit` logged changes for `owner` to send, in one transaction under the
 * outbox claim lock. Their sequence numbers are reserved now and written down with the lease, so
 * a publisher that takes an expired lease over (the holder died) renders the very same records.
 * Rendering is the caller's (numbered-records.ts), outside the transaction.
 *
 * Changes of items that still have unpublished rows in stream_outbox (a failed or oversized
 * record, a snapshot) are rendered into the outbox instead, behind those rows, as before: an
 * item's records never overtake its queued ones.
 */
export async function takeChangeLogBatch(db: Db, { owner, limit, leaseMs }: { owner: string; limit: number; leaseMs: number }): Promise<TakeResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`);
    await tx.execute(sql`insert into change_log_lease (id) values (1) on conflict (id) do nothing`);
    const [lease] = rowsOf<{ owner: string | null; live: boolean | null; batch: StoredBatch[] | null }>(await tx.execute(sql`
      select owner, lease_until > now() as live, batch from change_log_lease where id = 1 for update`));
    const out = lease?.batch ?? [];
    const hold = (batches: StoredBatch[]) => tx.execute(sql`
      update change_log_lease set owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond', batch = ${JSON.stringify(batches)}::jsonb
       where id = 1`);
    if (out.length > 0 && lease!.owner !== owner) {
      if (lease!.live) return { busy: true, queued: 0, waiting: 0, batch: null };
      // Batches whose holder died: the same changes, the same numbers, all of them, in order.
      const rows = await selectChanges(tx, sql`${transactionChanges.seq} = any(${`{${out.flatMap((b) => b.changes).join(',')}}`}::bigint[])`);
      // Their items' records queued in the outbox meanwhile (the dead one settled a batch whose
      // records Kinesis did not take, say) go first: those items' records here queue behind them.
      const items = [...new Set(out.flatMap((b) => b.items))];
      const held = items.length === 0 ? [] : rowsOf<{ item_id: string }>(await tx.execute(sql`
        select distinct item_id from stream_outbox where published_at is null and item_id = any(${`{${items.join(',')}}`}::uuid[])`)).map((r) => r.item_id);
      await hold(out);
      return {
        busy: false, queued: 0, waiting: 0, held,
        batch: { ids: out.map((b) => b.id), changes: out.flatMap((b) => b.changes), parts: out.map((b) => ({ rows: rows.filter((r) => b.changes.includes(r.seq)), first: b.first })) },
      };
    }

    // The oldest changes not already in one of this publisher's batches (it prepares the next while
    // one is sent). The oldest, not merely those after its batches: an item's earlier page that
    // committed late, or a change left waiting, must not be overtaken by the item's later ones.
    const sending = out.flatMap((b) => b.changes);
    const rows = await selectChanges(tx, sending.length > 0 ? sql`${transactionChanges.seq} <> all(${`{${sending.join(',')}}`}::bigint[])` : undefined, limit);
    if (rows.length === 0) return { busy: false, queued: 0, waiting: 0, batch: null };
    const items = [...new Set(rows.map((r) => r.itemId))];
    const queuedItems = new Set(rowsOf<{ item_id: string }>(await tx.execute(sql`
      select distinct item_id from stream_outbox where published_at is null and item_id = any(${`{${items.join(',')}}`}::uuid[])`)).map((r) => r.item_id));
    // An item with a batch of ours out may get records queued when that batch settles, numbered
    // below anything given now: if it already has queued records, its changes wait for that.
    const inFlight = new Set(out.flatMap((b) => b.items));
    const waiting = rows.filter((r) => queuedItems.has(r.itemId) && inFlight.has(r.itemId)).length;
    const behind = rows.filter((r) => queuedItems.has(r.itemId) && !inFlight.has(r.itemId));
    const mine = rows.filter((r) => !queuedItems.has(r.itemId));
    if (behind.length > 0) {
      await appendToOutbox(tx, behind.flatMap((r) => renderChange(parsedChange(r))));
      await tx.execute(sql`delete from transaction_changes where seq = any(${`{${behind.map((r) => r.seq).join(',')}}`}::bigint[])`);
    }
    if (mine.length === 0) return { busy: false, queued: behind.length, waiting, batch: null };

    const perItem = new Map<string, number>();
    for (const r of mine) perItem.set(r.itemId, (perItem.get(r.itemId) ?? 0) + 1);
    const streams: StreamKind[] = ['raw-transactions', 'refined-transactions'];
    const reserved = await reserveSequences(tx, [...perItem].flatMap(([item_id, n]) => streams.map((stream) => ({ item_id, stream, n }))));
    const stored: StoredBatch = { id: randomUUID(), changes: mine.map((r) => r.seq), items: [...perItem.keys()], first: Object.fromEntries(reserved) };
    await hold([...out, stored]);
    return { busy: false, queued: behind.length, waiting, batch: { ids: [stored.id], changes: stored.changes, parts: [{ rows: mine, first: stored.first }] } };
  });
}

/**
 * Settles sent batches, in one transaction: records Kinesis did not take are queued in
 * stream_outbox with their numbers (and why), the changes are deleted, the accepted records are
 * counted for the console, and the lease is given up. Returns false, touching nothing, when the
 * lease is no longer `owner`'s (it expired and another publisher took the batches over: it sends
 * them again and settles them). The lease is given up when no other batch of its is out.
 */
export async function settleChangeLogBatch(
  db: Db,
  { owner, batch, notSent, error, published }: { owner: string; batch: TakenBatch; notSent: readonly SequencedRow[]; error: string | null; published: Partial<Record<StreamKind, number>> },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [lease] = rowsOf<{ owner: string | null; batch: StoredBatch[] | null }>(await tx.execute(sql`select owner, batch from change_log_lease where id = 1 for update`));
    if (lease?.owner !== owner) return false;
    await insertSequencedRows(tx, notSent, error);
    await tx.execute(sql`delete from transaction_changes where seq = any(${`{${batch.changes.join(',')}}`}::bigint[])`);
    const counts = Object.entries(published).filter(([, n]) => n! > 0);
    if (counts.length > 0) {
      await tx.execute(sql`
        insert into stream_published_minutes (stream, minute, records)
        select x.stream, date_trunc('minute', now()), x.n
          from unnest(${`{${counts.map(([s]) => s).join(',')}}`}::text[], ${`{${counts.map(([, n]) => n).join(',')}}`}::int[]) as x(stream, n)
        on conflict (stream, minute) do update set records = stream_published_minutes.records + excluded.records`);
    }
    const left = (lease.batch ?? []).filter((b) => !batch.ids.includes(b.id));
    if (left.length > 0) await tx.execute(sql`update change_log_lease set batch = ${JSON.stringify(left)}::jsonb where id = 1`);
    else await tx.execute(sql`update change_log_lease set owner = null, lease_until = null, batch = null where id = 1`);
    return true;
  });
}
