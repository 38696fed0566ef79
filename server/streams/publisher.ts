import { randomUUID } from 'node:crypto';
import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { Db } from '../../db/client';
import { type StreamKind, streamKinds } from '../../db/schema/outbox';
import { logger, type Logger } from '../logger';
import { type Entry, entrySize, MAX_BYTES_PER_RECORD, takeBatch } from './batches';
import { streamNames, type StreamNames } from './kinesis-client';
import { claimOutboxRows, type ClaimedRow, markPublished, noteError, type PublishedRow, releaseClaim } from './outbox-claims';
import { unpublishedCount } from './outbox';
import { renderTransactionChanges } from './render-changes';
import { inSpan, markFailed, SpanKind } from '../telemetry/spans';

export interface PublishOptions {
  /** Rows leased per claim (default 2,000). */
  maxBatch?: number;
  /** Stop after this many published records, so one invocation stays short (default 100,000). */
  maxRecords?: number;
  log?: Logger;
  streams?: StreamNames;
  /** Lease on claimed rows; longer than a pass can take (default 60 s). */
  leaseMs?: number;
  /** PutRecords calls in a row with failed entries before a stream pass gives up (default 6). */
  maxFailedCalls?: number;
  retryBaseMs?: number;
}

export interface PublishResult {
  ok: boolean;
  stoppedBecause: 'drained' | 'limit' | 'kinesis-error' | 'throttled';
  published: number;
  byStream: Record<StreamKind, number>;
  putRecordsCalls: number;
  /** Entries sent again after a partial failure (only the failed ones are). */
  retriedEntries: number;
  /** Records that landed after a later record of the same item in the same call failed. */
  outOfOrder: number;
  /** Unpublished rows left in the outbox when this call returned. */
  remaining: number;
  error?: string;
}

interface PassResult {
  published: number; calls: number; retried: number; outOfOrder: number;
  /** Claimed but not published: released for the next publisher. */
  left: number[];
  /** Records Kinesis can never take (> 1 MiB): they keep their lease, which holds their item back. */
  oversized: number[];
  error?: { kind: 'kinesis-error' | 'throttled'; message: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stamps published rows behind the PutRecords calls, in order; `done()` waits for them all (and throws their error). */
function backgroundStamps(db: Db) {
  let chain: Promise<void> = Promise.resolve();
  return {
    add(rows: PublishedRow[]) {
      chain = chain.then(() => markPublished(db, rows));
      chain.catch(() => {}); // handled by done()
    },
    done: () => chain,
  };
}

/** A row in this publisher's hands: claimed from the outbox, or rendered and leased by it. */
type HeldRow = Pick<ClaimedRow, 'seq' | 'stream' | 'itemId' | 'data'>;

/**
 * Publishes one stream's rows (seq order), retrying only entries that failed. Rows are stamped
 * published while the next call is in flight (the stamps do not affect what is sent next); all
 * stamps have landed when this returns.
 */
async function publishStream(db: Db, kinesis: KinesisClient, streamName: string, rows: readonly HeldRow[], o: Required<Pick<PublishOptions, 'maxFailedCalls' | 'retryBaseMs'>>): Promise<PassResult> {
  const result: PassResult = { published: 0, calls: 0, retried: 0, outOfOrder: 0, left: [], oversized: [] };
  const stamps = backgroundStamps(db);
  try {
    const pending: Entry[] = [];
    const held = new Set<string>();
    for (const row of rows) {
      const entry = { seq: row.seq, itemId: row.itemId, data: Buffer.from(row.data), retry: false };
      // Kinesis rejects it whatever we do: keep it (and its item's later rows) back, visibly.
      if (entrySize(entry) > MAX_BYTES_PER_RECORD) {
        held.add(row.itemId);
        result.oversized.push(row.seq);
      } else if (held.has(row.itemId)) result.left.push(row.seq);
      else pending.push(entry);
    }
    let failedCalls = 0;
    while (pending.length > 0) {
      const batch = takeBatch(pending, held);
      let response;
      try {
        result.calls++;
        response = await kinesis.send(new PutRecordsCommand({
          StreamName: streamName,
          Records: batch.map((e) => ({ Data: e.data, PartitionKey: e.itemId })),
        }));
      } catch (error) {
        result.left.push(...batch.map((e) => e.seq), ...pending.map((e) => e.seq));
        result.error = { kind: 'kinesis-error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
        return result;
      }
      const ok: PublishedRow[] = [];
      const failed: Entry[] = [];
      let errorCode = '';
      batch.forEach((entry, i) => {
        const r = response.Records?.[i];
        if (r?.SequenceNumber && r.ShardId && !r.ErrorCode) ok.push({ seq: entry.seq, sequenceNumber: r.SequenceNumber, shardId: r.ShardId });
        else {
          failed.push({ ...entry, retry: true });
          errorCode ||= r?.ErrorCode ?? 'missing result';
        }
      });
      stamps.add(ok);
      result.published += ok.length;
      held.clear();
      for (const f of failed) held.add(f.itemId);
      result.outOfOrder += ok.filter((p) => failed.some((f) => f.seq < p.seq && batch.find((e) => e.seq === p.seq)?.itemId === f.itemId)).length;
      if (failed.length === 0) {
        failedCalls = 0;
        continue;
      }
      result.retried += failed.length;
      pending.push(...failed);
      pending.sort((a, b) => a.seq - b.seq);
      if (++failedCalls >= o.maxFailedCalls) {
        result.left.push(...pending.map((e) => e.seq));
        result.error = { kind: 'throttled', message: `${failed.length} of ${batch.length} records failed (${errorCode}) after ${failedCalls} calls` };
        return result;
      }
      await sleep(o.retryBaseMs * 2 ** (failedCalls - 1) * (0.5 + Math.random()));
    }
    return result;
  } finally {
    await stamps.done();
  }
}

/**
 * Drains stream_outbox into Kinesis, oldest first, rendering the transaction change log into it as
 * it goes: PutRecords per stream (≤ 500 records, ≤ 5 MiB), partition key = item id, only failed
 * entries retried, sequence numbers recorded. Safe to run
 * concurrently (rows are leased, one item's rows to one publisher). When Kinesis fails, rows stay
 * unpublished and the result says why; the next call carries on. At least once, in order per item.
 */
export function publishOutbox(db: Db, kinesis: KinesisClient, options: PublishOptions = {}): Promise<PublishResult> {
  return inSpan('streams.publish', { kind: SpanKind.PRODUCER }, async (span) => {
    const result = await publish(db, kinesis, options);
    span.setAttributes({
      'tributary.streams.published': result.published, 'tributary.streams.remaining': result.remaining,
      'tributary.streams.put_records_calls': result.putRecordsCalls, 'tributary.streams.stopped_because': result.stoppedBecause,
      ...Object.fromEntries(Object.entries(result.byStream).map(([stream, n]) => [`tributary.streams.published.${stream}`, n])),
    });
    if (!result.ok) markFailed(span, new Error(`publishing stopped: ${result.stoppedBecause}`));
    return result;
  });
}

async function publish(db: Db, kinesis: KinesisClient, options: PublishOptions): Promise<PublishResult> {
  const { maxBatch = 2_000, maxRecords = 100_000, leaseMs = 60_000, maxFailedCalls = 6, retryBaseMs = 100 } = options;
  const log = options.log ?? logger();
  const names = options.streams ?? streamNames();
  const owner = randomUUID();
  const result: PublishResult = {
    ok: true, stoppedBecause: 'drained', published: 0, putRecordsCalls: 0, retriedEntries: 0, outOfOrder: 0, remaining: 0,
    byStream: Object.fromEntries(streamKinds.map((k) => [k, 0])) as Record<StreamKind, number>,
  };
  while (true) {
    if (result.published >= maxRecords) {
      result.stoppedBecause = 'limit';
      break;
    }
    // Rows already in the outbox first (account and item records, rows given back or whose lease
    // expired), then logged transaction changes rendered into records (two each), leased to us as
    // they are written and sent from memory: the outbox is written once and stamped once.
    const room = Math.min(maxBatch, maxRecords - result.published);
    const claimed = await claimOutboxRows(db, { owner, limit: room, leaseMs });
    const rendered = await renderTransactionChanges(db, {
      limit: Math.max(1, Math.floor((room - claimed.length) / 2)),
      lease: { owner, leaseMs, claimed: claimed.map((r) => r.seq) },
    });
    if (claimed.length === 0 && rendered.changes === 0) break;
    const rows: HeldRow[] = [...claimed, ...rendered.leased];
    const passes = await Promise.all(
      streamKinds.map(async (kind) => {
        const mine = rows.filter((r) => r.stream === kind).sort((a, b) => a.seq - b.seq);
        if (mine.length === 0) return null;
        const pass = await publishStream(db, kinesis, names[kind], mine, { maxFailedCalls, retryBaseMs });
        await releaseClaim(db, owner, pass.left, pass.error?.message ?? null);
        await noteError(db, pass.oversized, 'record exceeds the 1 MiB Kinesis record limit; its item is held back');
        result.byStream[kind] += pass.published;
        return pass;
      }),
    );
    for (const pass of passes) {
      if (!pass) continue;
      result.published += pass.published;
      result.putRecordsCalls += pass.calls;
      result.retriedEntries += pass.retried;
      result.outOfOrder += pass.outOfOrder;
      if (pass.error && result.ok) {
        result.ok = false;
        result.stoppedBecause = pass.error.kind;
        result.error = pass.error.message;
      }
    }
    if (!result.ok) break;
  }
  result.remaining = await unpublishedCount(db);
  const summary = { published: result.published, remaining: result.remaining, calls: result.putRecordsCalls, retried: result.retriedEntries, stoppedBecause: result.stoppedBecause };
  if (result.ok) log.info(summary, 'stream outbox published');
  else log.warn({ ...summary, err: result.error }, 'stream outbox publishing stopped; rows stay queued');
  if (result.outOfOrder > 0) log.warn({ outOfOrder: result.outOfOrder }, 'records landed after a failed earlier record of their item');
  return result;
}
