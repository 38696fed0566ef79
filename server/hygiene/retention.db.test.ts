import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { jobRuns, plaidApiCalls, plaidWebhooks, streamOutbox } from '../../db/schema';
import type { JobRunStatus, WebhookState } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { noRowsDeleted, type PruneOptions, pruneTable, type RetentionPolicy, retentionTables } from './retention';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());
beforeEach(async () => {
  for (const t of [streamOutbox, jobRuns, plaidApiCalls, plaidWebhooks]) await h.db.delete(t);
});

const policy: RetentionPolicy = { streamOutboxDays: 7, jobRunsDays: 14, apiCallsDays: 30, webhookDays: 90 };
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

async function outbox(publishedAt: Date | null, createdAt = daysAgo(60)) {
  const [row] = await h.db
    .insert(streamOutbox)
    .values({ stream: 'raw-transactions', itemId: randomUUID(), recordId: randomUUID(), payload: {}, createdAt, publishedAt, leaseOwner: publishedAt ? null : 'publisher-1', leaseUntil: publishedAt ? null : daysAgo(59) })
    .returning({ key: streamOutbox.seq });
  return row!.key;
}

async function run(status: JobRunStatus, finishedAt: Date | null) {
  const id = `run-${randomUUID()}`;
  await h.db.insert(jobRuns).values({ id, functionId: 'tributary-probe', eventName: 'toy/e', event: {}, events: [], status, finishedAt, createdAt: daysAgo(60) });
  return id;
}

async function apiCall(createdAt: Date) {
  const [row] = await h.db.insert(plaidApiCalls).values({ endpoint: '/transactions/sync', latencyMs: 12, createdAt }).returning({ id: plaidApiCalls.id });
  return row!.id;
}

async function webhook(state: WebhookState, receivedAt: Date, processedAt: Date | null) {
  const [row] = await h.db
    .insert(plaidWebhooks)
    .values({ source: 'plaid', rawBody: '{}', verified: state !== 'REJECTED', dedupeKey: randomUUID(), state, receivedAt, processedAt })
    .returning({ id: plaidWebhooks.id });
  return row!.id;
}

const keys = {
  outbox: async () => (await h.db.select({ k: streamOutbox.seq }).from(streamOutbox)).map((r) => r.k).sort(),
  runs: async () => (await h.db.select({ k: jobRuns.id }).from(jobRuns)).map((r) => r.k).sort(),
  apiCalls: async () => (await h.db.select({ k: plaidApiCalls.id }).from(plaidApiCalls)).map((r) => r.k).sort(),
  webhooks: async () => (await h.db.select({ k: plaidWebhooks.id }).from(plaidWebhooks)).map((r) => r.k).sort(),
};

/** Every table pruned to the end, as the daily job's steps do over successive runs. */
async function pruneAll(p: RetentionPolicy, o: Pick<PruneOptions, 'batchSize'> = {}) {
  const counts = noRowsDeleted();
  for (const table of retentionTables) {
    for (let more = true; more; ) {
      const r = await pruneTable(h.db, table, p, { ...o, maxBatches: 1_000 });
      counts[table] += r.deleted;
      more = r.more;
    }
  }
  return counts;
}

describe('retention pruning', () => {
  it('deletes published outbox rows older than the retention, never an unpublished one', async () => {
    await outbox(daysAgo(8));
    await outbox(daysAgo(30));
    // Published 6 days ago; waiting (leased) for a year, and for two months: all kept.
    const kept = [await outbox(daysAgo(6)), await outbox(null, daysAgo(365)), await outbox(null)];
    expect(await pruneTable(h.db, 'streamOutbox', policy)).toEqual({ deleted: 2, more: false });
    expect(await keys.outbox()).toEqual(kept.sort());
  });

  it('deletes finished job runs (completed, failed, cancelled) past the retention, never a queued, running or parked one', async () => {
    await run('COMPLETED', daysAgo(15));
    await run('FAILED', daysAgo(15));
    await run('CANCELLED', daysAgo(40));
    const kept = [
      await run('COMPLETED', daysAgo(13)),
      await run('FAILED', daysAgo(1)),
      await run('QUEUED', null),
      // Unfinished, whatever a stray finished_at says: a retried run is QUEUED again.
      await run('QUEUED', daysAgo(40)),
      await run('RUNNING', daysAgo(40)),
      await run('SLEEPING', daysAgo(40)),
      await run('WAITING', daysAgo(40)),
    ];
    expect(await pruneTable(h.db, 'jobRuns', policy)).toEqual({ deleted: 3, more: false });
    expect(await keys.runs()).toEqual(kept.sort());
  });

  it('deletes Plaid API call rows older than the retention', async () => {
    await apiCall(daysAgo(31));
    await apiCall(daysAgo(400));
    const kept = [await apiCall(daysAgo(29)), await apiCall(new Date())];
    expect(await pruneTable(h.db, 'apiCalls', policy)).toEqual({ deleted: 2, more: false });
    expect(await keys.apiCalls()).toEqual(kept.sort());
  });

  it('deletes handled webhooks (processed, ignored) past the retention; unhandled, failed and rejected ones stay', async () => {
    await webhook('PROCESSED', daysAgo(95), daysAgo(95));
    await webhook('IGNORED', daysAgo(91), null); // an unknown item's webhook is stored IGNORED, never processed
    const kept = [
      await webhook('PROCESSED', daysAgo(89), daysAgo(89)),
      // Received long ago, handled lately: the clock starts at handling.
      await webhook('PROCESSED', daysAgo(120), daysAgo(10)),
      await webhook('RECEIVED', daysAgo(200), null),
      await webhook('QUEUED', daysAgo(200), null),
      await webhook('FAILED', daysAgo(200), daysAgo(200)),
      await webhook('REJECTED', daysAgo(200), null),
    ];
    expect(await pruneTable(h.db, 'webhooks', policy)).toEqual({ deleted: 2, more: false });
    expect(await keys.webhooks()).toEqual(kept.sort());
  });

  it('deletes in bounded batches and says when expired rows remain', async () => {
    for (let i = 0; i < 7; i++) await outbox(daysAgo(10));
    const fresh = await outbox(daysAgo(1));
    expect(await pruneTable(h.db, 'streamOutbox', policy, { batchSize: 3, maxBatches: 2 })).toEqual({ deleted: 6, more: true });
    expect(await keys.outbox()).toHaveLength(2);
    expect(await pruneTable(h.db, 'streamOutbox', policy, { batchSize: 3, maxBatches: 2 })).toEqual({ deleted: 1, more: false });
    expect(await keys.outbox()).toEqual([fresh]);
  });

  it('honours the configured days: a longer retention keeps what the default would delete', async () => {
    await outbox(daysAgo(10));
    await run('COMPLETED', daysAgo(20));
    await apiCall(daysAgo(40));
    await webhook('PROCESSED', daysAgo(100), daysAgo(100));
    const long: RetentionPolicy = { streamOutboxDays: 11, jobRunsDays: 21, apiCallsDays: 41, webhookDays: 101 };
    expect(await pruneAll(long)).toEqual({ streamOutbox: 0, jobRuns: 0, apiCalls: 0, webhooks: 0 });
    expect(await pruneAll(policy, { batchSize: 1 })).toEqual({ streamOutbox: 1, jobRuns: 1, apiCalls: 1, webhooks: 1 });
    expect([await keys.outbox(), await keys.runs(), await keys.apiCalls(), await keys.webhooks()]).toEqual([[], [], [], []]);
    // Nothing left to do: a second pass deletes nothing.
    expect(await pruneAll(policy)).toEqual({ streamOutbox: 0, jobRuns: 0, apiCalls: 0, webhooks: 0 });
  });
});
