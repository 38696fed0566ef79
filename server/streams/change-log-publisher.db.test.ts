import { randomUUID } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { streamOutbox, streamPublishedMinutes, transactionChanges } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { setEnvForTests } from '../../test/support/env';
import { closedPort, fakePlaidAccount, fakePlaidTransaction, interceptPutRecords, readStream, type ReadRecord, testStreams } from '../../test/support/streams';
import { createLogger } from '../logger';
import { settleChangeLogBatch, takeChangeLogBatch } from './change-log-batch';
import { publishChangeLog } from './change-log-publisher';
import { numberedRecords } from './numbered-records';
import { startKinesalite, type LocalKinesis } from './kinesalite';
import { createKinesisClient, localCredentials } from './kinesis-client';
import { appendToOutbox, outboxBacklog } from './outbox';
import { publishOutbox, type PublishOptions } from './publisher';
import { rawAccountRecord, rawTransactionRecord } from './records';
import { renderChange } from './render-changes';
import { streamsThroughput } from './throughput';
import { appendTransactionChanges } from './transaction-changes';

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const log = createLogger({ level: 'silent' });
let handle: DbHandle;
let kinesalite: LocalKinesis;
const clients: KinesisClient[] = [];

const client = (endpoint = kinesalite.endpoint) => {
  const c = createKinesisClient({ endpoint, credentials: localCredentials, maxAttempts: 1, connectionTimeoutMs: 500 });
  clients.push(c);
  return c;
};
const publish = (c: KinesisClient, o: PublishOptions = {}) => publishOutbox(handle.db, c, { log, streams: testStreams, retryBaseMs: 1, ...o });

let n = 0;
/** Logs `count` added transactions per item, as a sync page does. */
async function logChanges(items: string[], count: number) {
  for (const itemId of items) {
    const changes = Array.from({ length: count }, () => ({ changeType: 'added' as const, transaction: fakePlaidTransaction(n++), version: 1 }));
    await handle.db.transaction((tx) => appendTransactionChanges(tx, { userId: 'u1', itemId, receivedAt: new Date() }, changes));
  }
}

/** What a consumer keeps of one item's records on a stream: by sequence, each number once. */
function bySequence(read: readonly ReadRecord[], itemId: string) {
  const kept = new Map<number, string>();
  for (const r of read.filter((x) => x.partitionKey === itemId)) {
    const seen = kept.get(Number(r.data.sequence));
    if (seen !== undefined && seen !== r.data.recordId) throw new Error(`sequence ${String(r.data.sequence)} names two records`);
    kept.set(Number(r.data.sequence), String(r.data.recordId));
  }
  return [...kept].sort((a, b) => a[0] - b[0]);
}

/** The records the change log renders to, oldest first. */
async function loggedRecordIds() {
  const rows = await handle.db.select().from(transactionChanges).orderBy(asc(transactionChanges.seq));
  return rows.flatMap(renderChange);
}

beforeAll(async () => {
  kinesalite = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
});
beforeEach(async () => {
  await handle?.close();
  handle = await createTestDb();
  await kinesalite.close();
  kinesalite = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await handle?.close();
  await kinesalite?.close();
});

describe('publishing the transaction change log', { timeout: 90_000 }, () => {
  it('sends logged changes straight to Kinesis, numbered 1…n per item and stream, without writing them to the outbox', async () => {
    const items = [randomUUID(), randomUUID(), randomUUID()];
    await logChanges(items, 150);
    const expected = await loggedRecordIds();
    const c = client();
    const result = await publish(c, { maxBatch: 200 }); // 100 changes a pass: several batches
    expect(result).toMatchObject({ ok: true, stoppedBecause: 'drained', published: 900, remaining: 0, retriedEntries: 0 });
    expect(result.byStream).toMatchObject({ 'raw-transactions': 450, 'refined-transactions': 450 });
    expect(await handle.db.select().from(streamOutbox)).toEqual([]);
    expect(await handle.db.select().from(transactionChanges)).toEqual([]);
    for (const stream of ['raw-transactions', 'refined-transactions'] as const) {
      const read = await readStream(c, testStreams[stream]);
      expect(read).toHaveLength(450);
      for (const itemId of items) {
        const kept = bySequence(read, itemId);
        expect(kept.map(([s]) => s)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
        expect(kept.map(([, id]) => id)).toEqual(expected.filter((r) => r.itemId === itemId && r.stream === stream).map((r) => r.recordId));
      }
    }
    // The console and /metrics count them although they never sat in the outbox.
    const minutes = await handle.db.select().from(streamPublishedMinutes);
    expect(minutes.reduce((s, m) => s + m.records, 0)).toBe(900);
    const throughput = await streamsThroughput(handle.db);
    expect(throughput.find((t) => t.stream === 'raw-transactions')).toMatchObject({ publishedLastHour: 450, writtenLastHour: 450 });
    expect(throughput.find((t) => t.stream === 'raw-transactions')!.lastPublishedAt).not.toBeNull();
    expect((await publish(c)).published).toBe(0);
  });

  it('queues what Kinesis did not take in the outbox with its numbers, and sends it in order once Kinesis is back', async () => {
    const items = [randomUUID(), randomUUID()];
    await logChanges(items, 40);
    const port = await closedPort();
    const c = client(`http://127.0.0.1:${port}`);
    const down = await publish(c);
    expect(down).toMatchObject({ ok: false, stoppedBecause: 'kinesis-error', published: 0, remaining: 160 });
    expect(await handle.db.select().from(transactionChanges)).toEqual([]);
    const queued = await handle.db.select().from(streamOutbox).orderBy(asc(streamOutbox.seq));
    expect(queued).toHaveLength(160);
    expect(queued.every((r) => !r.publishedAt && r.lastError)).toBe(true);
    for (const itemId of items) {
      const raw = queued.filter((r) => r.itemId === itemId && r.stream === 'raw-transactions');
      expect(raw.map((r) => r.itemSequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(raw.map((r) => (r.payload as { sequence: number }).sequence)).toEqual(raw.map((r) => r.itemSequence));
    }
    expect((await outboxBacklog(handle.db)).find((b) => b.stream === 'refined-transactions')).toMatchObject({ unpublished: 80 });
    // Meanwhile the sync logs more: those go behind the queued records, in the outbox, numbered on.
    await logChanges(items, 10);
    expect((await publish(c)).remaining).toBe(200);

    const back = await startKinesalite({ port, streams: Object.values(testStreams), shardCount: 2 });
    try {
      const up = await publish(c);
      expect(up).toMatchObject({ ok: true, published: 200, remaining: 0 });
      const read = await readStream(c, testStreams['raw-transactions']);
      for (const itemId of items) {
        const mine = read.filter((r) => r.partitionKey === itemId);
        expect(mine.map((r) => r.data.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      }
    } finally {
      await back.close();
    }
  });

  it('leaves a batch to the publisher holding it, and a dead one\'s batch is sent again by the next with the same ids and numbers', async () => {
    const itemId = randomUUID();
    await logChanges([itemId], 30);
    const dead = await takeChangeLogBatch(handle.db, { owner: 'dead-publisher', limit: 1_000, leaseMs: 60_000 });
    const deadRecords = dead.batch!.parts.flatMap(numberedRecords);
    expect(deadRecords).toHaveLength(60);
    // It got half of them out before it died.
    const c = client();
    const early = deadRecords.filter((r) => r.stream === 'raw-transactions').slice(0, 15);
    await c.send(new PutRecordsCommand({
      StreamName: testStreams['raw-transactions'], Records: early.map((r) => ({ Data: Buffer.from(r.data), PartitionKey: r.itemId })),
    }));

    // While its lease is live, the log is its: another publisher leaves it alone, and says so in `remaining`.
    expect(await publish(c)).toMatchObject({ ok: true, published: 0, remaining: 60 });
    await handle.db.execute(sql`update change_log_lease set lease_until = now() - interval '1 second'`);
    expect(await publish(c)).toMatchObject({ ok: true, published: 60, remaining: 0 });

    const raw = await readStream(c, testStreams['raw-transactions']);
    expect(raw).toHaveLength(45); // 15 sent twice: at least once
    const kept = bySequence(raw, itemId);
    expect(kept.map(([s]) => s)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(kept.map(([, id]) => id)).toEqual(deadRecords.filter((r) => r.stream === 'raw-transactions').map((r) => r.recordId));
    // The dead publisher, were it to come back, cannot settle what is no longer its.
    const minutes = await handle.db.select().from(streamPublishedMinutes);
    expect(await settleChangeLogBatch(handle.db, { owner: 'dead-publisher', batch: dead.batch!, notSent: deadRecords, error: 'late', published: { 'raw-transactions': 15 } })).toBe(false);
    expect(await handle.db.select().from(streamOutbox)).toEqual([]);
    expect(await handle.db.select().from(streamPublishedMinutes)).toEqual(minutes);
  });

  it('sends an item\'s changes behind its records still queued in the outbox, and leaves other items\' batches to them', async () => {
    const queuedItem = randomUUID();
    const freeItem = randomUUID();
    const ctx = { userId: 'u1', itemId: queuedItem, receivedAt: new Date() };
    // A record of the item another publisher is sending (e.g. a snapshot), then changes logged after it.
    await handle.db.transaction((tx) => appendToOutbox(tx, [rawTransactionRecord({ ...ctx, changeType: 'added', transaction: fakePlaidTransaction(9_000), version: 1 })]));
    await handle.db.execute(sql`update stream_outbox set lease_owner = 'other-publisher', lease_until = now() + interval '1 minute'`);
    await logChanges([queuedItem, freeItem], 5);
    const c = client();
    expect(await publish(c)).toMatchObject({ ok: true, published: 10, remaining: 11 });
    // The queued item's changes wait in the outbox behind its row, numbered after it; the free item's were sent.
    const waiting = await handle.db.select().from(streamOutbox).orderBy(asc(streamOutbox.seq));
    expect(waiting.filter((r) => r.stream === 'raw-transactions').map((r) => [r.itemId, r.itemSequence])).toEqual([1, 2, 3, 4, 5, 6].map((s) => [queuedItem, s]));
    expect(await handle.db.select().from(transactionChanges)).toEqual([]);
    await handle.db.execute(sql`update stream_outbox set lease_until = now() - interval '1 second'`);
    expect(await publish(c)).toMatchObject({ ok: true, published: 11, remaining: 0 });
    const raw = await readStream(c, testStreams['raw-transactions']);
    expect(raw.filter((r) => r.partitionKey === queuedItem).map((r) => r.data.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(raw.filter((r) => r.partitionKey === freeItem).map((r) => r.data.sequence)).toEqual([1, 2, 3, 4, 5]);

    // Another publisher's live batch holds its items' outbox rows back until it is settled or expires.
    const other = randomUUID();
    await logChanges([other], 3);
    await takeChangeLogBatch(handle.db, { owner: 'other-publisher', limit: 1_000, leaseMs: 60_000 });
    await handle.db.transaction((tx) => appendToOutbox(tx, [rawAccountRecord({ userId: 'u1', itemId: other, receivedAt: new Date(), changeType: 'added', account: fakePlaidAccount(1), version: 1 })]));
    expect(await publish(c)).toMatchObject({ published: 0, remaining: 7 });
    await handle.db.execute(sql`update change_log_lease set lease_until = now() - interval '1 second'`);
    expect(await publish(c)).toMatchObject({ ok: true, published: 7, remaining: 0 });
  });

  it('holds an item back across batches behind a record Kinesis can never take, and sends every other item\'s', async () => {
    const [stuck, fine] = [randomUUID(), randomUUID()];
    await logChanges([stuck, fine], 3);
    const huge = fakePlaidTransaction(n++, { name: 'x'.repeat(1_100_000) });
    await handle.db.transaction((tx) => appendTransactionChanges(tx, { userId: 'u1', itemId: stuck, receivedAt: new Date() }, [{ changeType: 'added', transaction: huge, version: 1 }]));
    await logChanges([stuck, fine], 20);
    const c = client();
    // 10 changes a batch: the stuck item's later records come in batches taken while earlier ones were sent.
    const result = await publish(c, { maxBatch: 20 });
    expect(result).toMatchObject({ ok: true });
    const queued = await handle.db.select().from(streamOutbox).orderBy(asc(streamOutbox.seq));
    expect(new Set(queued.map((r) => r.itemId))).toEqual(new Set([stuck]));
    // From its oversized raw record (number 4) on, every raw record of the item waits, in order.
    expect(queued.filter((r) => r.stream === 'raw-transactions').map((r) => r.itemSequence)).toEqual(Array.from({ length: 21 }, (_, i) => i + 4));
    expect(queued.some((r) => r.lastError?.includes('1 MiB'))).toBe(true);
    const raw = await readStream(c, testStreams['raw-transactions']);
    expect(raw.filter((r) => r.partitionKey === stuck).map((r) => r.data.sequence)).toEqual([1, 2, 3]);
    expect(raw.filter((r) => r.partitionKey === fine).map((r) => r.data.sequence)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it('stops at a throttled batch and queues it and the batch prepared behind it, then drains both in order', async () => {
    const items = [randomUUID(), randomUUID()];
    for (let page = 0; page < 6; page++) await logChanges(items, 5); // the two items take turns in the log
    const c = client();
    const calls = interceptPutRecords(c, (call) => call.entries.flatMap((e, i) => (e.partitionKey === items[0] ? [i] : [])));
    const throttled = await publish(c, { maxBatch: 20, maxFailedCalls: 2 });
    expect(throttled).toMatchObject({ ok: false, stoppedBecause: 'throttled' });
    expect(calls.length).toBeGreaterThan(0);
    expect(throttled.remaining).toBeGreaterThan(0);
    // Every record is on Kinesis, queued in the outbox, or still a logged change (two records each).
    const queued = await handle.db.select().from(streamOutbox);
    const logged = await handle.db.select().from(transactionChanges);
    expect(throttled.published + queued.length + 2 * logged.length).toBe(120);
    // The other item's records queued too: they came in the batch prepared while the throttled one was sent.
    expect(queued.some((r) => r.itemId === items[1])).toBe(true);

    const healthy = client();
    expect(await publish(healthy)).toMatchObject({ ok: true, remaining: 0 });
    for (const stream of ['raw-transactions', 'refined-transactions'] as const) {
      const read = await readStream(healthy, testStreams[stream]);
      for (const itemId of items) expect(bySequence(read, itemId).map(([s]) => s)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }
  });

  it('takes an item\'s earlier page that committed late before its later changes, even with a batch out', async () => {
    const [x, y] = [randomUUID(), randomUUID()];
    // X's first page drew seqs 1–5 but is still open when Y's page (6–10) commits and is taken.
    await logChanges([x], 5);
    const early = await handle.db.select().from(transactionChanges).orderBy(asc(transactionChanges.seq));
    await handle.db.execute(sql`delete from transaction_changes`);
    await logChanges([y], 5);
    const first = await takeChangeLogBatch(handle.db, { owner: 'p', limit: 5, leaseMs: 60_000 });
    expect(first.batch!.changes).toEqual([6, 7, 8, 9, 10]);
    // X's first page commits, then its second page (11–15); the batch of Y is still out.
    await handle.db.insert(transactionChanges).values(early);
    await logChanges([x], 5);
    const second = await takeChangeLogBatch(handle.db, { owner: 'p', limit: 100, leaseMs: 60_000 });
    expect(second.batch!.changes).toEqual([1, 2, 3, 4, 5, 11, 12, 13, 14, 15]);
    const raw = second.batch!.parts.flatMap(numberedRecords).filter((r) => r.stream === 'raw-transactions');
    expect(raw.map((r) => r.sequence)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    const logged = (await handle.db.select().from(transactionChanges).orderBy(asc(transactionChanges.seq))).filter((r) => r.itemId === x);
    expect(raw.map((r) => r.recordId)).toEqual(logged.flatMap(renderChange).filter((r) => r.stream === 'raw-transactions').map((r) => r.recordId));
  });

  it('queues a change that waited behind its item\'s queued records before the item\'s later changes', async () => {
    const [x, y] = [randomUUID(), randomUUID()];
    await logChanges([x], 2); // seqs 1, 2
    const a = await takeChangeLogBatch(handle.db, { owner: 'p', limit: 1, leaseMs: 60_000 });
    expect(a.batch!.changes).toEqual([1]);
    // An account record of X is queued while A is out: X's change 2 waits for A to settle.
    await handle.db.transaction((tx) => appendToOutbox(tx, [rawAccountRecord({ userId: 'u1', itemId: x, receivedAt: new Date(), changeType: 'added', account: fakePlaidAccount(1), version: 1 })]));
    await logChanges([y], 1); // seq 3
    const b = await takeChangeLogBatch(handle.db, { owner: 'p', limit: 10, leaseMs: 60_000 });
    expect(b).toMatchObject({ waiting: 1, queued: 0 });
    expect(b.batch!.changes).toEqual([3]);
    expect(await settleChangeLogBatch(handle.db, { owner: 'p', batch: a.batch!, notSent: [], error: null, published: {} })).toBe(true);
    await logChanges([x], 1); // seq 4
    // B is still out: X's changes go into the outbox behind its account record, 2 before 4.
    const c = await takeChangeLogBatch(handle.db, { owner: 'p', limit: 10, leaseMs: 60_000 });
    expect(c).toMatchObject({ queued: 2, batch: null });
    const queued = (await handle.db.select().from(streamOutbox).orderBy(asc(streamOutbox.seq))).filter((r) => r.itemId === x && r.stream === 'raw-transactions');
    expect(queued.map((r) => r.itemSequence)).toEqual([2, 3]);
    const logged = (await handle.db.select().from(transactionChanges)).length;
    expect(logged).toBe(1); // only Y's change 3, in batch B
  });

  it('takes over a dead publisher\'s batch behind its items\' records queued in the outbox', async () => {
    const x = randomUUID();
    await logChanges([x], 5);
    const a = await takeChangeLogBatch(handle.db, { owner: 'dead', limit: 5, leaseMs: 60_000 });
    await logChanges([x], 5);
    const b = await takeChangeLogBatch(handle.db, { owner: 'dead', limit: 5, leaseMs: 60_000 });
    expect(b.batch!.changes).toEqual([6, 7, 8, 9, 10]);
    // Kinesis took none of A: its records are queued (1–5), and another publisher is retrying them.
    const aRecords = a.batch!.parts.flatMap(numberedRecords);
    expect(await settleChangeLogBatch(handle.db, { owner: 'dead', batch: a.batch!, notSent: aRecords, error: 'unreachable', published: {} })).toBe(true);
    await handle.db.execute(sql`update stream_outbox set lease_owner = 'other-publisher', lease_until = now() + interval '1 minute'`);
    // The dead one's lease runs out holding B (6–10): the next publisher sends none of it ahead of 1–5.
    await handle.db.execute(sql`update change_log_lease set lease_until = now() - interval '1 second'`);
    const c = client();
    expect(await publish(c)).toMatchObject({ ok: true, published: 0, remaining: 20 });
    await handle.db.execute(sql`update stream_outbox set lease_until = now() - interval '1 second'`);
    expect(await publish(c)).toMatchObject({ ok: true, published: 20, remaining: 0 });
    const raw = await readStream(c, testStreams['raw-transactions']);
    expect(raw.map((r) => r.data.sequence)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('stops when its lease was taken over while it was sending, leaving the batches to the new holder', async () => {
    const x = randomUUID();
    await logChanges([x], 40);
    let transactions = 0;
    // Before settling its first batch (the third transaction: take, take of the next, settle) its lease has gone to another.
    const slow = new Proxy(handle.db, {
      get(t, p, r) {
        if (p !== 'transaction') return Reflect.get(t, p, r);
        return async (...args: Parameters<typeof t.transaction>) => {
          if (++transactions === 3) await t.execute(sql`update change_log_lease set owner = 'thief', lease_until = now() + interval '1 minute'`);
          return t.transaction(...args);
        };
      },
    });
    const c = client();
    const pass = await publishChangeLog(slow, c, { owner: 'p1', limit: 10, maxRecords: 1_000, leaseMs: 60_000, streams: testStreams, maxFailedCalls: 3, retryBaseMs: 1 });
    expect(pass.passes['raw-transactions']?.published).toBe(10);
    expect(await readStream(c, testStreams['raw-transactions'])).toHaveLength(10);
    expect(await handle.db.select().from(transactionChanges)).toHaveLength(40);
  });

  it('lets two publishers run at once: each record once, numbered 1…n per item and stream, in order', async () => {
    const items = [randomUUID(), randomUUID(), randomUUID()];
    for (let page = 0; page < 4; page++) await logChanges(items, 25);
    const [a, b] = await Promise.all([publish(client(), { maxBatch: 60 }), publish(client(), { maxBatch: 60 })]);
    expect(a.ok && b.ok).toBe(true);
    expect(a.published + b.published).toBe(600);
    const c = client();
    expect(await publish(c)).toMatchObject({ published: 0, remaining: 0 });
    for (const stream of ['raw-transactions', 'refined-transactions'] as const) {
      const read = await readStream(c, testStreams[stream]);
      expect(read).toHaveLength(300);
      for (const itemId of items) expect(read.filter((r) => r.partitionKey === itemId).map((r) => r.data.sequence)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
  });

  it('settles the batch it sent when taking the next one fails (the database gone), then says so', async () => {
    const itemId = randomUUID();
    await logChanges([itemId], 40);
    // The database fails the second transaction: the take of the next batch, made while the first is sent.
    let transactions = 0;
    const failing = new Proxy(handle.db, {
      get(t, p, r) {
        if (p !== 'transaction') return Reflect.get(t, p, r);
        return (...args: Parameters<typeof t.transaction>) => {
          if (++transactions === 2) return Promise.reject(new Error('connection terminated'));
          return t.transaction(...args);
        };
      },
    });
    const c = client();
    await expect(publishChangeLog(failing, c, {
      owner: 'p1', limit: 10, maxRecords: 1_000, leaseMs: 60_000, streams: testStreams, maxFailedCalls: 3, retryBaseMs: 1,
    })).rejects.toThrow('connection terminated');
    // The first batch went out and was settled: its 10 changes are gone from the log and counted.
    expect(await handle.db.select().from(transactionChanges)).toHaveLength(30);
    const minutes = await handle.db.select().from(streamPublishedMinutes);
    expect(minutes.reduce((s, m) => s + m.records, 0)).toBe(20);
    // The next publisher carries on where it stopped: 1…40, each once.
    expect(await publish(c)).toMatchObject({ ok: true, published: 60, remaining: 0 });
    const read = await readStream(c, testStreams['raw-transactions']);
    expect(read).toHaveLength(40);
    expect(bySequence(read, itemId).map(([s]) => s)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
