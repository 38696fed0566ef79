import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { type Entry, entrySize, MAX_BYTES_PER_RECORD, takeBatch } from './batches';

/** A record in a publisher's hands: `seq` orders it (per item) and names it in the results. */
export interface HeldRecord { seq: number; itemId: string; data: string | Uint8Array }

/** A record Kinesis accepted, with where it landed. */
export interface PublishedRow { seq: number; sequenceNumber: string; shardId: string }

export interface SendOptions { maxFailedCalls: number; retryBaseMs: number }

export interface PassResult {
  published: number; calls: number; retried: number; outOfOrder: number;
  /** Held but not published: for the next publisher. */
  left: number[];
  /** Records Kinesis can never take (> 1 MiB): they, and their item's later records, stay back. */
  oversized: number[];
  error?: { kind: 'kinesis-error' | 'throttled'; message: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `record` on accepted rows behind the PutRecords calls, in order; `done()` waits for them all (and throws their error). */
function background(record: (rows: PublishedRow[]) => Promise<void> | void) {
  let chain: Promise<void> = Promise.resolve();
  return {
    add(rows: PublishedRow[]) {
      chain = chain.then(() => record(rows));
      chain.catch(() => {}); // handled by done()
    },
    done: () => chain,
  };
}

/**
 * Sends one stream's records (seq order) with PutRecords (≤ 500 records, ≤ 5 MiB, partition key =
 * item id), retrying only entries that failed, and holding an item's later records back while an
 * earlier one is retried. `accepted` runs for each call's accepted records while the next call is
 * in flight (it does not affect what is sent next); all of them have finished when this returns.
 */
export async function sendStream(kinesis: KinesisClient, streamName: string, records: readonly HeldRecord[], o: SendOptions, accepted: (rows: PublishedRow[]) => Promise<void> | void): Promise<PassResult> {
  const result: PassResult = { published: 0, calls: 0, retried: 0, outOfOrder: 0, left: [], oversized: [] };
  const stamps = background(accepted);
  try {
    const pending: Entry[] = [];
    const held = new Set<string>();
    for (const row of records) {
      const entry = { seq: row.seq, itemId: row.itemId, data: typeof row.data === 'string' ? Buffer.from(row.data) : row.data, retry: false };
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
