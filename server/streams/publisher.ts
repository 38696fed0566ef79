import { randomUUID } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { type StreamKind, streamKinds } from '../../db/schema/outbox';
import { logger, type Logger } from '../logger';
import { publishChangeLog } from './change-log-publisher';
import { streamNames, type StreamNames } from './kinesis-client';
import { claimOutboxRows, markPublished, noteError, releaseClaim } from './outbox-claims';
import { unpublishedCount } from './outbox';
import { type PassResult, sendStream } from './send-stream';
import { inSpan, markFailed, SpanKind } from '../telemetry/spans';

export interface PublishOptions {
  /** Rows leased per claim, and records per change-log batch (default 4,000: 2,000 changes; measured against 2,000 in bench:streams, fewer batch edges where Kinesis waits for the next). */
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

/**
 * Publishes everything waiting for Kinesis, oldest first: rows queued in stream_outbox (account
 * and item records, snapshots, records given back or whose lease expired), then the transaction
 * change log, rendered in memory and sent straight from it (change-log-publisher.ts). PutRecords
 * per stream (≤ 500 records, ≤ 5 MiB), partition key = item id, only failed entries retried.
 * Safe to run concurrently (outbox rows are leased, one item's rows to one publisher; the change
 * log is leased whole). When Kinesis fails, what was not sent stays queued in the outbox and the
 * result says why; the next call carries on. At least once, in order per item and stream.
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
  const { maxBatch = 4_000, maxRecords = 100_000, leaseMs = 60_000, maxFailedCalls = 6, retryBaseMs = 100 } = options;
  const log = options.log ?? logger();
  const names = options.streams ?? streamNames();
  const owner = randomUUID();
  const result: PublishResult = {
    ok: true, stoppedBecause: 'drained', published: 0, putRecordsCalls: 0, retriedEntries: 0, outOfOrder: 0, remaining: 0,
    byStream: Object.fromEntries(streamKinds.map((k) => [k, 0])) as Record<StreamKind, number>,
  };
  const absorb = (kind: StreamKind, pass: PassResult) => {
    result.byStream[kind] += pass.published;
    result.published += pass.published;
    result.putRecordsCalls += pass.calls;
    result.retriedEntries += pass.retried;
    result.outOfOrder += pass.outOfOrder;
    if (pass.error && result.ok) {
      result.ok = false;
      result.stoppedBecause = pass.error.kind;
      result.error = pass.error.message;
    }
  };
  while (true) {
    if (result.published >= maxRecords) {
      result.stoppedBecause = 'limit';
      break;
    }
    const claimed = await claimOutboxRows(db, { owner, limit: Math.min(maxBatch, maxRecords - result.published), leaseMs });
    const passes = await Promise.all(
      streamKinds.map(async (kind) => {
        const mine = claimed.filter((r) => r.stream === kind).sort((a, b) => a.seq - b.seq);
        if (mine.length === 0) return null;
        const pass = await sendStream(kinesis, names[kind], mine, { maxFailedCalls, retryBaseMs }, (ok) => markPublished(db, ok));
        await releaseClaim(db, owner, pass.left, pass.error?.message ?? null);
        await noteError(db, pass.oversized, 'record exceeds the 1 MiB Kinesis record limit; its item is held back');
        return [kind, pass] as const;
      }),
    );
    for (const p of passes) if (p) absorb(...p);
    if (!result.ok) break;
    // Two records (raw and refined) per logged change; batches of up to maxBatch records.
    const room = maxRecords - result.published;
    const changeLog = room >= 2
      ? await publishChangeLog(db, kinesis, { owner, limit: Math.floor(Math.min(maxBatch, room) / 2), maxRecords: room, leaseMs, streams: names, maxFailedCalls, retryBaseMs })
      : { changes: 0, passes: {} };
    for (const [kind, pass] of Object.entries(changeLog.passes)) absorb(kind as StreamKind, pass);
    if (!result.ok) break;
    if (claimed.length === 0 && changeLog.changes === 0) break;
  }
  // The change log's per-minute counts feed the last hour's charts and /metrics; a day is kept.
  await db.execute(sql`delete from stream_published_minutes where minute < now() - interval '1 day'`);
  result.remaining = await unpublishedCount(db);
  const summary = { published: result.published, remaining: result.remaining, calls: result.putRecordsCalls, retried: result.retriedEntries, stoppedBecause: result.stoppedBecause };
  if (result.ok) log.info(summary, 'stream outbox published');
  else log.warn({ ...summary, err: result.error }, 'stream outbox publishing stopped; rows stay queued');
  if (result.outOfOrder > 0) log.warn({ outOfOrder: result.outOfOrder }, 'records landed after a failed earlier record of their item');
  return result;
}
