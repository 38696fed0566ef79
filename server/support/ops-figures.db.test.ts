import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidApiCalls, plaidWebhooks, streamOutbox, transactionChanges } from '../../db/schema';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { linkAs } from '../../test/support/sync';
import { syncItemTransactions } from '../sync/sync-item';
import { opsFigures } from './ops-figures';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const at = (iso: string) => new Date(iso);

describe('opsFigures', () => {
  it('buckets sync lag, Plaid errors by code and the outbox backlog from the database', async () => {
    const now = at('2026-03-01T12:02:00Z');
    // Two webhooks handled in the 11:55 bucket (10 s and 30 s after receipt), one in 11:10.
    await h.db.insert(plaidWebhooks).values([
      { source: 'plaid', rawBody: '{}', verified: true, state: 'PROCESSED', receivedAt: at('2026-03-01T11:56:00Z'), processedAt: at('2026-03-01T11:56:10Z') },
      { source: 'plaid', rawBody: '{}', verified: true, state: 'PROCESSED', receivedAt: at('2026-03-01T11:57:00Z'), processedAt: at('2026-03-01T11:57:30Z') },
      { source: 'plaid', rawBody: '{}', verified: true, state: 'PROCESSED', receivedAt: at('2026-03-01T11:10:00Z'), processedAt: at('2026-03-01T11:10:04Z') },
      // Older than the hour: not in it.
      { source: 'plaid', rawBody: '{}', verified: true, state: 'PROCESSED', receivedAt: at('2026-03-01T10:00:00Z'), processedAt: at('2026-03-01T10:00:50Z') },
    ]);
    await h.db.insert(plaidApiCalls).values([
      { endpoint: '/transactions/sync', latencyMs: 5, httpStatus: 200, createdAt: at('2026-03-01T11:58:00Z') },
      { endpoint: '/transactions/sync', latencyMs: 5, httpStatus: 400, errorCode: 'ITEM_LOGIN_REQUIRED', createdAt: at('2026-03-01T11:58:30Z') },
      { endpoint: '/transactions/sync', latencyMs: 5, httpStatus: 429, errorCode: 'TRANSACTIONS_SYNC_LIMIT', createdAt: at('2026-03-01T11:20:00Z') },
      { endpoint: '/transactions/sync', latencyMs: 5, httpStatus: 429, errorCode: 'TRANSACTIONS_SYNC_LIMIT', createdAt: at('2026-03-01T11:21:00Z') },
    ]);
    const hour = await opsFigures(h.db, 'hour', now);
    expect(hour.buckets).toHaveLength(12);
    expect(hour.buckets[0]).toEqual(at('2026-03-01T11:05:00Z'));
    expect(hour.syncLagSeconds[10]).toBe(20);
    expect(hour.syncLagSeconds[1]).toBe(4);
    expect(hour.syncLagSeconds.filter((v) => v !== null)).toHaveLength(2);
    expect(hour.plaidCalls[10]).toBe(2);
    expect(hour.plaidErrors.map((e) => e.code)).toEqual(['TRANSACTIONS_SYNC_LIMIT', 'ITEM_LOGIN_REQUIRED']);
    expect(hour.plaidErrors[0]!.counts[3]).toBe(2);
    expect(hour.plaidErrors[1]!.counts[10]).toBe(1);
    const day = await opsFigures(h.db, 'day', now);
    expect(day.buckets).toHaveLength(24);
    // Hourly: 10:00–11:00 holds the older one; 11:00–12:00 the three of the hour.
    expect(day.syncLagSeconds[21]).toBe(50);
    expect(day.syncLagSeconds[22]).toBeCloseTo(44 / 3);
  });

  it('counts records waiting at each bucket end (outbox rows, logged changes), and not those Kinesis took before it', async () => {
    const { itemId } = await linkAs(h);
    await syncItemTransactions(h.db, h.deps, { itemId, trigger: 'test', pageSize: 50 }, silentLog);
    const rows = await h.db.select({ seq: streamOutbox.seq }).from(streamOutbox);
    const changes = await h.db.select({ seq: transactionChanges.seq }).from(transactionChanges);
    expect(rows.length).toBeGreaterThan(0);
    expect(changes.length).toBeGreaterThan(0);
    const now = new Date();
    const f = await opsFigures(h.db, 'hour', now);
    expect(f.outboxBacklog.at(-1)).toBe(rows.length + 2 * changes.length);
    expect(f.outboxBacklog[0]).toBe(0);
    // What a publisher leaves: outbox rows stamped, changes sent and deleted.
    await h.db.update(streamOutbox).set({ publishedAt: new Date(now.getTime() - 1000) });
    await h.db.delete(transactionChanges);
    expect((await opsFigures(h.db, 'hour', now)).outboxBacklog.at(-1)).toBe(0);
  });
});
