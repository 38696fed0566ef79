/**
 * The least a publisher that never writes rendered records to stream_outbox must do (issue 14's
 * suggested design), for `bench:streams` with BENCH_FLOOR=1: per pass of 1,000 logged changes,
 * one transaction that reads them and bumps the items' stream_sequences counters; rendering in
 * memory; PutRecords per stream (≤ 500, both streams at once, like the publisher); one DELETE of
 * the changes by seq. No lease rows, no failure handling, no console counters: a floor, not a
 * publisher — if this does not reach the target, no change-log publisher on this database will.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { transactionChanges } from '../../db/schema';
import { createKinesisClient, localCredentials, type StreamNames } from '../../server/streams/kinesis-client';
import { reserveSequences } from '../../server/streams/outbox';
import { renderChange } from '../../server/streams/render-changes';

const PASS = 1_000;

/** Milliseconds spent in each phase of the last changeLogFloor call. */
export const floorPhases = { read: 0, render: 0, send: 0, delete: 0 };

export async function changeLogFloor(db: Db, endpoint: string, streams: StreamNames): Promise<number> {
  for (const k of Object.keys(floorPhases) as (keyof typeof floorPhases)[]) floorPhases[k] = 0;
  let t = performance.now();
  const lap = (phase: keyof typeof floorPhases) => { const now = performance.now(); floorPhases[phase] += now - t; t = now; };
  const kinesis = createKinesisClient({ endpoint, credentials: localCredentials });
  let sent = 0;
  try {
    while (true) {
      const { rows, base } = await db.transaction(async (tx) => {
        const rows = await tx.select().from(transactionChanges).orderBy(asc(transactionChanges.seq)).limit(PASS);
        const perItem = new Map<string, number>();
        for (const r of rows) perItem.set(r.itemId, (perItem.get(r.itemId) ?? 0) + 1);
        const base = await reserveSequences(tx, [...perItem].flatMap(([itemId, n]) => [
          { item_id: itemId, stream: 'raw-transactions' as const, n }, { item_id: itemId, stream: 'refined-transactions' as const, n },
        ]));
        return { rows, base };
      });
      lap('read');
      if (rows.length === 0) break;
      const byStream = new Map<string, { data: Buffer; itemId: string }[]>();
      for (const record of rows.flatMap(renderChange)) {
        const key = `${record.itemId}|${record.stream}`;
        const sequence = base.get(key)!;
        base.set(key, sequence + 1);
        const list = byStream.get(record.stream) ?? [];
        list.push({ data: Buffer.from(JSON.stringify({ ...(record.payload as object), sequence })), itemId: record.itemId });
        byStream.set(record.stream, list);
      }
      lap('render');
      await Promise.all([...byStream].map(async ([stream, entries]) => {
        for (let i = 0; i < entries.length; i += 500) {
          const batch = entries.slice(i, i + 500);
          const res = await kinesis.send(new PutRecordsCommand({
            StreamName: streams[stream as keyof StreamNames],
            Records: batch.map((e) => ({ Data: e.data, PartitionKey: e.itemId })),
          }));
          if (res.FailedRecordCount) throw new Error('change-log floor had failures');
          sent += batch.length;
        }
      }));
      lap('send');
      await db.execute(sql`delete from transaction_changes where seq = any(${`{${rows.map((r) => r.seq).join(',')}}`}::bigint[])`);
      lap('delete');
    }
  } finally {
    kinesis.destroy();
  }
  return sent;
}
