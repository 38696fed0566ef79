import { randomUUID } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { streamOutbox } from '../../db/schema/outbox';
import { createTestDb } from '../../test/support/db';
import { setEnvForTests } from '../../test/support/env';
import { createLogger } from '../logger';
import { startKinesalite, type LocalKinesis } from './kinesalite';
import { createKinesisClient, localCredentials } from './kinesis-client';
import { appendToOutbox, unpublishedCount } from './outbox';
import { transactionPageRecords } from './page-records';
import { publishOutbox, type PublishOptions } from './publisher';
import { closedPort, fakePlaidTransaction, interceptPutRecords, readStream, testStreams } from '../../test/support/streams';

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

/** `perItem` added transactions for each item: raw + refined records, one sync page per item. */
async function fillOutbox(items: string[], perItem: number) {
  let n = 0;
  for (const itemId of items) {
    const added = Array.from({ length: perItem }, () => fakePlaidTransaction(n++));
    await handle.db.transaction((tx) => appendToOutbox(tx, transactionPageRecords({ userId: 'u1', itemId, receivedAt: new Date() }, { added, modified: [], removed: [] })));
  }
}

/** recordIds per item in outbox (seq) order for one stream kind. */
async function outboxOrder(stream: 'raw-transactions' | 'refined-transactions') {
  const rows = await handle.db.select().from(streamOutbox).where(eq(streamOutbox.stream, stream)).orderBy(asc(streamOutbox.seq));
  return groupByItem(rows.map((r) => ({ itemId: r.itemId, recordId: r.recordId })));
}
function groupByItem(list: Array<{ itemId: string; recordId: string }>) {
  const out: Record<string, string[]> = {};
  for (const r of list) (out[r.itemId] ??= []).push(r.recordId);
  return out;
}
async function streamOrder(c: KinesisClient, stream: 'raw-transactions' | 'refined-transactions') {
  const records = await readStream(c, testStreams[stream]);
  return groupByItem(records.map((r) => ({ itemId: r.partitionKey, recordId: String(r.data.recordId) })));
}

beforeAll(async () => {
  kinesalite = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
});
beforeEach(async () => {
  await handle?.close();
  handle = await createTestDb();
  // Each test reads its streams from scratch: recreate kinesalite's streams by restarting it.
  await kinesalite.close();
  kinesalite = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await handle?.close();
  await kinesalite?.close();
});

describe('publishOutbox', { timeout: 90_000 }, () => {
  it('publishes K outbox records as exactly K stream records, readable in per-item order', async () => {
    const items = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await fillOutbox(items, 120); // 600 transactions → 1,200 records
    const c = client();
    const result = await publish(c, { maxBatch: 250 });
    expect(result).toMatchObject({ ok: true, stoppedBecause: 'drained', published: 1200, remaining: 0, retriedEntries: 0, outOfOrder: 0 });
    expect(result.byStream).toMatchObject({ 'raw-transactions': 600, 'refined-transactions': 600 });
    for (const stream of ['raw-transactions', 'refined-transactions'] as const) {
      const read = await streamOrder(c, stream);
      expect(read).toEqual(await outboxOrder(stream));
      expect(Object.values(read).flat()).toHaveLength(600);
    }
    const rows = await handle.db.select().from(streamOutbox);
    expect(rows.every((r) => r.publishedAt && r.sequenceNumber && r.shardId?.startsWith('shardId-') && r.attempts === 1 && !r.leaseOwner)).toBe(true);
    expect((await publish(c)).published).toBe(0); // nothing is published twice
  });

  it('publishes a modification and a removal each as their own raw and refined record', async () => {
    const itemId = randomUUID();
    const ctx = { userId: 'u1', itemId, receivedAt: new Date() };
    const t = fakePlaidTransaction(1, { pending: true });
    const posted = fakePlaidTransaction(2, { pending_transaction_id: t.transaction_id });
    const pages = [
      { added: [t], modified: [], removed: [] },
      { added: [], modified: [{ ...t, amount: 20.5, merchant_name: 'Blue Bottle' }], removed: [] },
      { added: [posted], modified: [], removed: [{ transaction_id: t.transaction_id, account_id: t.account_id }] },
    ];
    for (const page of pages) await handle.db.transaction((tx) => appendToOutbox(tx, transactionPageRecords(ctx, page)));
    const c = client();
    expect(await publish(c)).toMatchObject({ ok: true, published: 8 });
    const refined = (await readStream(c, testStreams['refined-transactions'])).map((r) => r.data);
    expect(refined.map((r) => [r.changeType, r.transactionId])).toEqual([
      ['added', t.transaction_id], ['modified', t.transaction_id], ['added', posted.transaction_id], ['removed', t.transaction_id],
    ]);
    expect(refined[1]).toMatchObject({ amount: { minor: 2050, direction: 'debit' }, merchant: { name: 'Blue Bottle' }, pending: true });
    expect(refined[2]).toMatchObject({ pending: false, pendingTransactionId: t.transaction_id });
    expect(refined[3]).toMatchObject({ postedTransactionId: posted.transaction_id });
    const raw = (await readStream(c, testStreams['raw-transactions'])).map((r) => r.data);
    expect(raw.map((r) => r.changeType)).toEqual(['added', 'modified', 'added', 'removed']);
    expect(raw[3]!.plaid).toEqual({ transaction_id: t.transaction_id, account_id: t.account_id });
  });

  it('keeps everything while Kinesis is unreachable and drains it all once Kinesis is back', async () => {
    const items = [randomUUID(), randomUUID()];
    await fillOutbox(items, 30);
    const port = await closedPort();
    const c = client(`http://127.0.0.1:${port}`);
    const down = await publish(c);
    expect(down).toMatchObject({ ok: false, stoppedBecause: 'kinesis-error', published: 0, remaining: 120 });
    await fillOutbox(items, 10); // the outbox keeps growing meanwhile
    expect((await publish(c)).remaining).toBe(160);
    const rows = await handle.db.select().from(streamOutbox);
    expect(rows.filter((r) => r.lastError).length).toBe(160);
    expect(rows.every((r) => !r.publishedAt && !r.leaseOwner)).toBe(true);

    const back = await startKinesalite({ port, streams: Object.values(testStreams), shardCount: 2 });
    try {
      const up = await publish(c);
      expect(up).toMatchObject({ ok: true, published: 160, remaining: 0 });
      expect(await streamOrder(c, 'refined-transactions')).toEqual(await outboxOrder('refined-transactions'));
    } finally {
      await back.close();
    }
  });

  it('republishes only the entries that failed in a partial failure and keeps per-item order', async () => {
    const items = [randomUUID(), randomUUID(), randomUUID()];
    await fillOutbox(items, 100);
    const c = client();
    // Like a throttled shard: in the first call of each stream, item 0 fails from its 10th record on.
    const calls = interceptPutRecords(c, (call) => {
      const first = calls.filter((k) => k.stream === call.stream).length === 0;
      if (!first) return [];
      const ofItem = call.entries.flatMap((e, i) => (e.partitionKey === items[0] ? [i] : []));
      return ofItem.slice(9);
    });
    const result = await publish(c);
    const failedIds = calls.flatMap((k) => k.failed.map((i) => k.entries[i]!.recordId));
    expect(failedIds.length).toBeGreaterThan(0);
    expect(result).toMatchObject({ ok: true, published: 600, remaining: 0, outOfOrder: 0, retriedEntries: failedIds.length });
    const sent = calls.flatMap((k) => k.entries.map((e) => e.recordId));
    expect(sent).toHaveLength(600 + failedIds.length); // the 600 once, plus each failed entry again
    const counts = new Map<string, number>();
    for (const id of sent) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n === 2).map(([id]) => id).sort()).toEqual([...failedIds].sort());
    for (const stream of ['raw-transactions', 'refined-transactions'] as const) {
      expect(await streamOrder(c, stream)).toEqual(await outboxOrder(stream));
    }
  });

  it('holds an item back while its failed record is retried instead of sending its later records ahead', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await fillOutbox([a], 550); // item a's first 500 records fill the first call; 50 wait
    await fillOutbox([b], 100);
    const c = client();
    // The last record of item a in the first call fails; item a's later records must wait for it.
    const calls = interceptPutRecords(c, (call, i) => {
      if (i > 0 || call.stream !== testStreams['raw-transactions']) return [];
      const ofA = call.entries.flatMap((e, j) => (e.partitionKey === a ? [j] : []));
      return [ofA.at(-1)!];
    });
    expect(await publish(c, { maxBatch: 5_000 })).toMatchObject({ ok: true, published: 1300, outOfOrder: 0 });
    const raw = calls.filter((k) => k.stream === testStreams['raw-transactions']);
    const failedId = raw[0]!.entries[raw[0]!.failed[0]!]!.recordId;
    const retryCall = raw.findIndex((k, i) => i > 0 && k.entries.some((e) => e.recordId === failedId));
    expect(retryCall).toBe(1);
    const aBefore = raw[1]!.entries.filter((e) => e.partitionKey === a);
    expect(aBefore[0]!.recordId).toBe(failedId); // only the retry of item a goes in that call
    expect(aBefore).toHaveLength(1);
    expect(await streamOrder(c, 'raw-transactions')).toEqual(await outboxOrder('raw-transactions'));
  });

  it('counts records that landed before an earlier failed record of their item in the same call', async () => {
    const a = randomUUID();
    await fillOutbox([a], 5);
    const c = client();
    interceptPutRecords(c, (call, i) => (i === 0 && call.stream === testStreams['raw-transactions'] ? [1] : []));
    const result = await publish(c);
    expect(result).toMatchObject({ ok: true, published: 10, retriedEntries: 1, outOfOrder: 3 });
  });

  it('gives up after repeated throttling, leaving the rest queued, and finishes on the next call', async () => {
    const a = randomUUID();
    await fillOutbox([a], 50);
    const c = client();
    let throttled = true;
    interceptPutRecords(c, (call) => (throttled ? call.entries.map((_, i) => i) : []));
    const first = await publish(c, { maxFailedCalls: 3 });
    expect(first).toMatchObject({ ok: false, stoppedBecause: 'throttled', published: 0, remaining: 100 });
    throttled = false;
    expect(await publish(c)).toMatchObject({ ok: true, published: 100, remaining: 0 });
  });

  it('lets two publishers run at once without publishing a record twice or out of item order', async () => {
    const items = Array.from({ length: 6 }, () => randomUUID());
    await fillOutbox(items, 80);
    const c = client();
    const [x, y] = await Promise.all([publish(c, { maxBatch: 40 }), publish(client(), { maxBatch: 40 })]);
    expect(x.published + y.published).toBe(960);
    expect(x.published).toBeGreaterThan(0);
    expect(y.published).toBeGreaterThan(0);
    for (const stream of ['raw-transactions', 'refined-transactions'] as const) {
      expect(await streamOrder(c, stream)).toEqual(await outboxOrder(stream));
    }
  });

  it('keeps every PutRecords call within 500 records and 5 MiB', async () => {
    const a = randomUUID();
    const big = 'x'.repeat(900_000);
    const records = Array.from({ length: 14 }, (_, i) => ({ stream: 'raw-accounts' as const, itemId: a, recordId: `big-${i}`, payload: { recordId: `big-${i}`, blob: big } }));
    await appendToOutbox(handle.db, records);
    await fillOutbox([a], 700);
    const c = client();
    const calls = interceptPutRecords(c);
    expect(await publish(c, { maxBatch: 5_000 })).toMatchObject({ ok: true, published: 1414 });
    expect(Math.max(...calls.map((k) => k.entries.length))).toBe(500);
    const biggest = Math.max(...calls.map((k) => k.entries.reduce((n, e) => n + e.bytes, 0)));
    expect(biggest).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(biggest).toBeGreaterThan(4 * 1024 * 1024);
    expect(await unpublishedCount(handle.db)).toBe(0);
  });
});
