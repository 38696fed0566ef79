import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Db } from '../../db/client';
import type { StreamKind } from '../../db/schema/outbox';
import type { StreamNames } from './kinesis-client';
import { settleChangeLogBatch, type TakenBatch, takeChangeLogBatch, type TakeResult } from './change-log-batch';
import { renderOffThread } from './render-thread';
import { decodeRecord, type EncodedRecord } from './numbered-records';
import { type PassResult, sendStream, type SendOptions } from './send-stream';

const TRANSACTION_STREAMS = ['raw-transactions', 'refined-transactions'] as const satisfies readonly StreamKind[];

export interface ChangeLogPass {
  /** Changes taken from the log (sent, or queued in the outbox behind an item's rows). */
  changes: number;
  /** Another publisher holds the change log. */
  busy: boolean;
  /** Per transaction stream, the sends added up (the first error kept). */
  passes: Partial<Record<StreamKind, PassResult>>;
}

export interface ChangeLogOptions extends SendOptions {
  owner: string;
  /** Changes per batch. */
  limit: number;
  /** Stop taking batches once this many records have been taken. */
  maxRecords: number;
  leaseMs: number;
  streams: StreamNames;
}

/** A taken batch and its records, rendered. */
interface Rendered extends TakenBatch { records: EncodedRecord[] }

interface Sent { notSent: EncodedRecord[]; published: Partial<Record<StreamKind, number>>; error: string | null; passes: Partial<Record<StreamKind, PassResult>> }

/** Changes in the first batch of a pass (the rest: `limit`). */
const FIRST_BATCH = 200;

const OVERSIZED = 'record exceeds the 1 MiB Kinesis record limit; its item is held back';

/**
 * Sends one batch per stream. Records of `held` items (one of theirs was not sent in the batch
 * before, and waits in the outbox) are not sent: they queue behind it.
 */
async function sendBatch(kinesis: KinesisClient, batch: Rendered, held: ReadonlySet<string>, o: ChangeLogOptions): Promise<Sent> {
  const sent: Sent = { notSent: [], published: {}, error: null, passes: {} };
  await Promise.all(TRANSACTION_STREAMS.map(async (stream) => {
    const records = batch.records.filter((r) => r.stream === stream && !held.has(r.itemId));
    if (records.length === 0) return;
    // seq = the record's place in this stream's list: the send's order and its name for it.
    const pass = await sendStream(kinesis, o.streams[stream], records.map((r, seq) => ({ seq, itemId: r.itemId, data: r.data })), o, () => {});
    sent.passes[stream] = pass;
    sent.published[stream] = pass.published;
    if (pass.oversized.length > 0) sent.error ??= OVERSIZED;
    if (pass.error) sent.error = pass.error.message;
    const notSent = new Set([...pass.oversized, ...pass.left]);
    sent.notSent.push(...records.filter((_, seq) => notSent.has(seq)));
  }));
  // Each item and stream's records are in one of these lists, in number order: the outbox keeps that order.
  if (held.size > 0) sent.notSent.push(...batch.records.filter((r) => held.has(r.itemId)));
  return sent;
}

function addPass(into: Partial<Record<StreamKind, PassResult>>, stream: StreamKind, p: PassResult) {
  const a = into[stream];
  if (!a) {
    into[stream] = { ...p, left: [], oversized: [] };
    return;
  }
  a.published += p.published;
  a.calls += p.calls;
  a.retried += p.retried;
  a.outOfOrder += p.outOfOrder;
  a.error ??= p.error;
}

/**
 * The change-log publisher: takes logged transaction changes in batches (change-log-batch.ts),
 * renders their raw and refined records in memory on a worker thread (render-thread.ts), sends
 * them, and settles each batch — and takes and renders the next batch while one is being sent. Transaction records never touch
 * stream_outbox on the way out: it only gets the ones Kinesis did not take, which the outbox
 * publisher retries in order (and, behind them, the rest of their item's batch). A publisher
 * that dies mid-way leaves its lease to expire; the next one sends the same records (same ids,
 * same sequence numbers) again — at least once, exactly the same records.
 */
export async function publishChangeLog(db: Db, kinesis: KinesisClient, o: ChangeLogOptions): Promise<ChangeLogPass> {
  const out: ChangeLogPass = { changes: 0, busy: false, passes: {} };
  // Take a batch (a short transaction), then render it off this thread.
  const take = async (limit = o.limit): Promise<{ taken: TakeResult; batch: Rendered | null }> => {
    const taken = await takeChangeLogBatch(db, { owner: o.owner, limit, leaseMs: o.leaseMs });
    return { taken, batch: taken.batch ? { ...taken.batch, records: await renderOffThread(taken.batch.parts) } : null };
  };
  type Next = Awaited<ReturnType<typeof take>> | null;
  let taken = 0;
  let held = new Set<string>();
  let failed: string | null = null;
  let again = false;
  // Nothing is sent while the first batch is taken and rendered: a small one starts Kinesis sooner.
  let next: Next = await take(Math.min(o.limit, FIRST_BATCH));
  while (next) {
    out.changes += next.taken.queued + (next.batch?.changes.length ?? 0);
    out.busy ||= next.taken.busy;
    const batch: Rendered | null = next.batch;
    if (!batch) {
      // Changes that waited for a batch of ours: it has settled by now, so they can be taken.
      if (next.taken.waiting > 0 && !again && !failed) {
        again = true;
        next = await take();
        continue;
      }
      break;
    }
    again = false;
    taken += batch.records.length;
    for (const itemId of next.taken.held ?? []) held.add(itemId);
    let sent: Sent;
    let takeError: unknown = null;
    if (failed) {
      // Kinesis failed on the batch before: this one waits in the outbox too.
      sent = { notSent: batch.records, published: {}, error: failed, passes: {} };
      next = null;
    } else {
      // The next batch is taken and rendered while this one is sent. Both are awaited together,
      // so neither's failure is left unhandled while the other runs; a failed take (the database
      // gone) is thrown once this batch has settled, and its lease expires for the next publisher.
      const prefetching: Promise<Next> = taken < o.maxRecords ? take() : Promise.resolve(null);
      const [sending, prefetch]: [PromiseSettledResult<Sent>, PromiseSettledResult<Next>] = await Promise.allSettled([
        sendBatch(kinesis, batch, held, o),
        prefetching,
      ]);
      if (sending.status === 'rejected') throw sending.reason;
      sent = sending.value;
      if (prefetch.status === 'rejected') takeError = prefetch.reason;
      next = prefetch.status === 'fulfilled' ? prefetch.value : null;
    }
    for (const [stream, p] of Object.entries(sent.passes)) addPass(out.passes, stream as StreamKind, p);
    if (sent.error && Object.values(sent.passes).some((p) => p.error)) failed = sent.error;
    held = new Set(sent.notSent.map((r) => r.itemId));
    const settled = await settleChangeLogBatch(db, { owner: o.owner, batch, notSent: sent.notSent.map(decodeRecord), error: sent.error, published: sent.published });
    if (takeError) throw takeError;
    // The lease ran out while sending and another publisher took the batches over (the one taken
    // meanwhile too): it sends them; this one stops rather than send them alongside it.
    if (!settled) break;
  }
  return out;
}
