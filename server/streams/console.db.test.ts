import { randomUUID } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createTestDb } from '../../test/support/db';
import { setEnvForTests } from '../../test/support/env';
import { createLogger } from '../logger';
import { streamsOverview } from './console';
import { startKinesalite, type LocalKinesis } from './kinesalite';
import { createKinesisClient, localCredentials } from './kinesis-client';
import { appendToOutbox } from './outbox';
import { accountChangeRecords, transactionPageRecords } from './page-records';
import { publishOutbox } from './publisher';
import { closedPort, fakePlaidAccount, fakePlaidTransaction, testStreams } from '../../test/support/streams';

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
let handle: DbHandle;
let kinesalite: LocalKinesis;
let kinesis: KinesisClient;

beforeAll(async () => {
  handle = await createTestDb();
  kinesalite = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
  kinesis = createKinesisClient({ endpoint: kinesalite.endpoint, credentials: localCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  kinesis.destroy();
  await handle.close();
  await kinesalite.close();
});

describe('streamsOverview', () => {
  it('shows the latest records of each stream read back from Kinesis and the outbox backlog', async () => {
    const items = [randomUUID(), randomUUID(), randomUUID()];
    const ctx = (itemId: string) => ({ userId: 'u1', itemId, receivedAt: new Date() });
    for (const [i, itemId] of items.entries()) {
      const added = Array.from({ length: 15 }, (_, k) => fakePlaidTransaction(i * 100 + k));
      await appendToOutbox(handle.db, transactionPageRecords(ctx(itemId), { added, modified: [], removed: [] }));
      await appendToOutbox(handle.db, accountChangeRecords(ctx(itemId), [{ changeType: 'added', account: fakePlaidAccount(i), version: 1 }]));
    }
    await publishOutbox(handle.db, kinesis, { streams: testStreams, log: createLogger({ level: 'silent' }) });
    // Two more records wait in the outbox, published nowhere yet.
    await appendToOutbox(handle.db, accountChangeRecords(ctx(items[0]!), [{ changeType: 'modified', account: fakePlaidAccount(0, { name: 'Renamed' }), version: 2 }]));

    const overview = await streamsOverview(handle.db, kinesis, { limit: 10, streams: testStreams });
    const byKind = Object.fromEntries(overview.map((o) => [o.stream, o]));
    const tx = byKind['refined-transactions']!;
    expect(tx.error).toBeNull();
    expect(tx.latest).toHaveLength(10);
    const lastItemIds = tx.latest.map((r) => (r.data as { itemId: string }).itemId);
    expect(new Set(lastItemIds)).toEqual(new Set([items[2]])); // the newest ten all belong to the last item
    expect(tx.latest.map((r) => (r.data as { transactionId: string }).transactionId)).toEqual(
      Array.from({ length: 10 }, (_, k) => fakePlaidTransaction(205 + k).transaction_id),
    );
    expect(tx.backlog).toMatchObject({ unpublished: 0, oldestAgeSeconds: 0 });
    expect(byKind['refined-accounts']!.latest).toHaveLength(3);
    expect(byKind['refined-accounts']!.backlog.unpublished).toBe(1);
    expect(byKind['raw-accounts']!.backlog.oldestUnpublishedAt).toBeInstanceOf(Date);
  });

  it('still reports the backlog when Kinesis cannot be read', async () => {
    const down = createKinesisClient({ endpoint: `http://127.0.0.1:${await closedPort()}`, credentials: localCredentials, maxAttempts: 1 });
    try {
      const overview = await streamsOverview(handle.db, down, { streams: testStreams });
      expect(overview.every((o) => o.error && o.latest.length === 0)).toBe(true);
      expect(overview.find((o) => o.stream === 'raw-accounts')!.backlog.unpublished).toBe(1);
    } finally {
      down.destroy();
    }
  });
});
