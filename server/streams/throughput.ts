import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { type StreamKind, streamKinds } from '../../db/schema/outbox';
import { outboxBacklog, type StreamBacklog } from './outbox';

/** Minutes per bar of the last hour's throughput. */
export const BUCKET_MINUTES = 5;
const BUCKETS = 60 / BUCKET_MINUTES;

export interface StreamThroughput {
  stream: StreamKind;
  backlog: StreamBacklog;
  /** Records published in the last hour, and per 5-minute bucket (oldest first). */
  publishedLastHour: number;
  perBucket: number[];
  /** Records written to the outbox in the last hour (what the publisher had to keep up with). */
  writtenLastHour: number;
  lastPublishedAt: Date | null;
}

/**
 * Per stream, what operations watches: the backlog (records waiting, the oldest one's age, the
 * last publish error) and the throughput (records published in the last hour, in 5-minute bars,
 * against records written), from the outbox itself and the per-minute counts of records sent
 * straight from the change log (stream_published_minutes) — no Kinesis call, so a slow stream
 * cannot hide its own backlog. Those counts are per minute: a change-log record is dated by the
 * start of the minute Kinesis took it.
 */
export async function streamsThroughput(db: Db, now = new Date()): Promise<StreamThroughput[]> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const [backlog, published, written, last] = await Promise.all([
    outboxBacklog(db, now),
    db.execute(sql`
      select stream, floor(extract(epoch from (published_at - ${hourAgo.toISOString()}::timestamptz)) / ${BUCKET_MINUTES * 60})::int as bucket, count(*)::int as n
      from stream_outbox
      where published_at > ${hourAgo.toISOString()}::timestamptz and published_at <= ${now.toISOString()}::timestamptz
      group by 1, 2
      union all
      select stream, floor(extract(epoch from (minute - ${hourAgo.toISOString()}::timestamptz)) / ${BUCKET_MINUTES * 60})::int, sum(records)::int
      from stream_published_minutes
      where minute >= date_trunc('minute', ${hourAgo.toISOString()}::timestamptz) and minute <= ${now.toISOString()}::timestamptz
      group by 1, 2`),
    db.execute(sql`
      select stream, sum(n)::int as n from (
        select stream, count(*) as n from stream_outbox where created_at > ${hourAgo.toISOString()}::timestamptz group by 1
        union all
        select stream, sum(records) from stream_published_minutes where minute >= date_trunc('minute', ${hourAgo.toISOString()}::timestamptz) group by 1
      ) w group by 1`),
    db.execute(sql`
      select stream, max(at) as at from (
        select stream, max(published_at) as at from stream_outbox where published_at is not null group by 1
        union all
        select stream, max(minute) from stream_published_minutes group by 1
      ) p group by 1`),
  ]);
  const pub = rowsOf<{ stream: StreamKind; bucket: number; n: number }>(published);
  const wrote = rowsOf<{ stream: StreamKind; n: number }>(written);
  const lastAt = rowsOf<{ stream: StreamKind; at: Date | string | null }>(last);
  return streamKinds.map((stream) => {
    const perBucket = Array.from({ length: BUCKETS }, () => 0);
    for (const r of pub) if (r.stream === stream) perBucket[Math.min(BUCKETS - 1, Math.max(0, Number(r.bucket)))]! += Number(r.n);
    const at = lastAt.find((r) => r.stream === stream)?.at;
    return {
      stream,
      backlog: backlog.find((b) => b.stream === stream)!,
      publishedLastHour: perBucket.reduce((a, b) => a + b, 0),
      perBucket,
      writtenLastHour: Number(wrote.find((r) => r.stream === stream)?.n ?? 0),
      lastPublishedAt: at ? new Date(at) : null,
    };
  });
}
