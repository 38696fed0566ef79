import {
  GetRecordsCommand, GetShardIteratorCommand, InvalidArgumentException, type KinesisClient, ListShardsCommand, type _Record,
} from '@aws-sdk/client-kinesis';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { type StreamKind, streamKinds, streamOutbox } from '../../db/schema/outbox';
import { streamNames, type StreamNames } from './kinesis-client';
import { outboxBacklog, type StreamBacklog } from './outbox';

export interface StreamRecordView {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  arrivedAt: string | null;
  /** The decoded JSON record, or `{ undecodable: <base64> }` for a record that is not JSON. */
  data: unknown;
}

export interface StreamOverview {
  stream: StreamKind;
  name: string;
  backlog: StreamBacklog;
  /** Newest last. */
  latest: StreamRecordView[];
  /** Set when Kinesis could not be read; the backlog is still accurate. */
  error: string | null;
}

const MAX_PAGES_PER_SHARD = 20;

function decode(record: _Record, shardId: string): StreamRecordView {
  const raw = Buffer.from(record.Data ?? new Uint8Array());
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8'));
  } catch {
    data = { undecodable: raw.toString('base64') };
  }
  return {
    shardId,
    sequenceNumber: record.SequenceNumber ?? '',
    partitionKey: record.PartitionKey ?? '',
    arrivedAt: record.ApproximateArrivalTimestamp?.toISOString() ?? null,
    data,
  };
}

const bySequence = (a: StreamRecordView, b: StreamRecordView) => {
  const x = BigInt(a.sequenceNumber || 0), y = BigInt(b.sequenceNumber || 0);
  return x < y ? -1 : x > y ? 1 : 0;
};

const CALL_TIMEOUT_MS = 5_000;
const DAY_MS = 24 * 3600_000;

/**
 * The latest `limit` records of one stream. Kinesis cannot read backwards, so we start from what
 * the outbox knows: the sequence numbers of our latest `limit` published rows. Shards holding none
 * of them cannot hold any of the latest records (we are the streams' only producer) and are not
 * read. With nothing known (or numbers from an earlier, in-memory kinesalite), each shard is read
 * from 24 hours ago. Every call has a deadline so a slow Kinesis cannot hang the console.
 */
async function latestRecords(db: Db, kinesis: KinesisClient, kind: StreamKind, name: string, limit: number): Promise<StreamRecordView[]> {
  const deadline = () => ({ abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const known = await db
    .select({ seq: streamOutbox.seq, shardId: streamOutbox.shardId, sequenceNumber: streamOutbox.sequenceNumber })
    .from(streamOutbox)
    .where(and(eq(streamOutbox.stream, kind), isNotNull(streamOutbox.publishedAt)))
    .orderBy(desc(streamOutbox.seq))
    .limit(limit);
  const outboxSeq = new Map<string, number>();
  const startBy = new Map<string, string>();
  for (const k of known) {
    if (!k.shardId || !k.sequenceNumber) continue;
    outboxSeq.set(k.sequenceNumber, Number(k.seq));
    const seen = startBy.get(k.shardId);
    if (!seen || BigInt(k.sequenceNumber) < BigInt(seen)) startBy.set(k.shardId, k.sequenceNumber);
  }
  const readShard = async (shardId: string, start: string | undefined): Promise<StreamRecordView[]> => {
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
      StreamName: name,
      ShardId: shardId,
      ...(start
        ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const, StartingSequenceNumber: start }
        : { ShardIteratorType: 'AT_TIMESTAMP' as const, Timestamp: new Date(Date.now() - DAY_MS) }),
    }), deadline());
    let iterator = ShardIterator;
    const kept: StreamRecordView[] = [];
    for (let page = 0; iterator && page < MAX_PAGES_PER_SHARD; page++) {
      const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1_000 }), deadline());
      for (const r of res.Records ?? []) kept.push(decode(r, shardId));
      if (kept.length > limit) kept.splice(0, kept.length - limit);
      if (!res.Records?.length || res.MillisBehindLatest === 0) break;
      iterator = res.NextShardIterator;
    }
    return kept;
  };
  let out: StreamRecordView[];
  try {
    out = (await Promise.all([...startBy].map(([shardId, start]) => readShard(shardId, start)))).flat();
  } catch (error) {
    if (!(error instanceof InvalidArgumentException)) throw error;
    startBy.clear(); // sequence numbers from another stream incarnation
    out = [];
  }
  if (startBy.size === 0) {
    const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: name }), deadline());
    out = (await Promise.all(Shards.map((s) => readShard(s.ShardId!, undefined)))).flat();
  }
  // Our own records sort by outbox order (exact); others by arrival time, then sequence number.
  const key = (r: StreamRecordView) => outboxSeq.get(r.sequenceNumber);
  out.sort((a, b) => {
    const x = key(a), y = key(b);
    if (x !== undefined && y !== undefined) return x - y;
    return (a.arrivedAt ?? '').localeCompare(b.arrivedAt ?? '') || (a.shardId === b.shardId ? bySequence(a, b) : 0);
  });
  return out.slice(-limit);
}

/**
 * Support console data: per stream, the outbox backlog (unpublished count, oldest age, last
 * error) and the latest `limit` records read back from Kinesis with GetRecords.
 */
export async function streamsOverview(db: Db, kinesis: KinesisClient, { limit = 20, streams = streamNames() }: { limit?: number; streams?: StreamNames } = {}): Promise<StreamOverview[]> {
  const backlog = await outboxBacklog(db);
  return Promise.all(
    streamKinds.map(async (kind) => {
      const entry = backlog.find((b) => b.stream === kind)!;
      try {
        return { stream: kind, name: streams[kind], backlog: entry, latest: await latestRecords(db, kinesis, kind, streams[kind], limit), error: null };
      } catch (error) {
        return { stream: kind, name: streams[kind], backlog: entry, latest: [], error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    }),
  );
}
