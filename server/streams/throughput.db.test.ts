import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { streamOutbox } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { streamsThroughput } from './throughput';

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const now = new Date('2026-03-10T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe('streamsThroughput', () => {
  it('gives each stream its backlog and what it published in the last hour, in 5-minute bars', async () => {
    const itemId = randomUUID();
    const row = (stream: 'raw-transactions' | 'refined-accounts', createdMin: number, publishedMin: number | null) => ({
      stream, itemId, recordId: randomUUID(), payload: {}, createdAt: minutesAgo(createdMin), publishedAt: publishedMin === null ? null : minutesAgo(publishedMin),
    });
    await handle.db.insert(streamOutbox).values([
      row('raw-transactions', 2, 1), row('raw-transactions', 2, 1), row('raw-transactions', 33, 32), row('raw-transactions', 90, 80),
      row('raw-transactions', 7, null), row('raw-transactions', 3, null),
      row('refined-accounts', 120, 119),
    ]);
    const all = await streamsThroughput(handle.db, now);
    expect(all.map((s) => s.stream)).toEqual(['raw-transactions', 'raw-accounts', 'refined-transactions', 'refined-accounts']);
    const raw = all[0]!;
    expect(raw.publishedLastHour).toBe(3);
    expect(raw.perBucket).toHaveLength(12);
    expect(raw.perBucket[11]).toBe(2); // the last 5 minutes
    expect(raw.perBucket[5]).toBe(1); // 30-35 minutes ago
    expect(raw.writtenLastHour).toBe(5);
    expect(raw.lastPublishedAt).toEqual(minutesAgo(1));
    expect(raw.backlog).toMatchObject({ unpublished: 2, oldestUnpublishedAt: minutesAgo(7), oldestAgeSeconds: 420 });
    const accounts = all[3]!;
    expect(accounts).toMatchObject({ publishedLastHour: 0, writtenLastHour: 0, lastPublishedAt: minutesAgo(119), backlog: { unpublished: 0 } });
    expect(all[1]).toMatchObject({ publishedLastHour: 0, lastPublishedAt: null, perBucket: Array(12).fill(0) });
  });
});
