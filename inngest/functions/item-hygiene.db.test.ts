import { randomUUID } from 'node:crypto';
import { InngestTestEngine } from '@inngest/test';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRuns, plaidApiCalls, plaidItems, plaidWebhooks, streamOutbox } from '../../db/schema';
import { createLogger } from '../../server/logger';
import { createHarness, type Harness } from '../../test/support/harness';
import { toyClient } from '@tributary/inngest-embedded/testing';
import { createItemHygiene } from './item-hygiene';
import { testJobContext } from '../../test/support/job-context';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
const tick = { name: 'inngest/scheduled.timer', data: { cron: '30 3 * * *' } };

describe('item-hygiene function', () => {
  it('prunes each table in bounded steps before removing items, and returns and logs the counts', async () => {
    const user = await h.createUser();
    const revoked = await h.linkBank(user);
    await h.db.update(plaidItems).set({ status: 'REVOKED' }).where(eq(plaidItems.id, revoked.item.id));
    const itemId = revoked.item.id;
    for (let i = 0; i < 5; i++) {
      await h.db.insert(streamOutbox).values({ stream: 'raw-accounts', itemId, recordId: `r${i}`, payload: {}, publishedAt: daysAgo(8) });
    }
    const [waiting] = await h.db.insert(streamOutbox).values({ stream: 'raw-accounts', itemId, recordId: 'w', payload: {}, createdAt: daysAgo(30) }).returning();
    const run = (id: string, status: 'COMPLETED' | 'RUNNING', finishedAt: Date | null) =>
      h.db.insert(jobRuns).values({ id, functionId: 'tributary-probe', eventName: 'toy/e', event: {}, events: [], status, finishedAt });
    await run('old-1', 'COMPLETED', daysAgo(20));
    await run('old-2', 'COMPLETED', daysAgo(20));
    await run('live', 'RUNNING', null);
    await h.db.insert(plaidApiCalls).values({ endpoint: '/accounts/get', latencyMs: 5, createdAt: daysAgo(45) });
    const webhook = (state: 'PROCESSED' | 'FAILED') =>
      h.db.insert(plaidWebhooks).values({ source: 'plaid', rawBody: '{}', verified: true, dedupeKey: randomUUID(), state, receivedAt: daysAgo(100), processedAt: daysAgo(100) });
    await webhook('PROCESSED');
    await webhook('FAILED');

    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const context = () =>
      testJobContext({
        db: h.db,
        deps: h.deps,
        log,
        settings: {
          hygiene: { inactiveDays: 60, errorDays: 30, unansweredNotifications: 10 },
          retention: { streamOutboxDays: 7, jobRunsDays: 14, apiCallsDays: 30, webhookDays: 90 },
          pruneBatches: { batchSize: 2, maxBatches: 1 },
        },
      });
    const t = new InngestTestEngine({ function: createItemHygiene(toyClient('hygiene'), '30 3 * * *', context) });
    const { result, ctx } = await t.execute({ events: [tick] });

    const retention = { streamOutbox: 5, jobRuns: 2, apiCalls: 1, webhooks: 1 };
    expect(result).toEqual({ removed: 1, retention });
    // Two rows a step: the five outbox rows took three steps, the third found the end.
    const stepIds = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map(([id]) => id);
    expect(stepIds.filter((id) => id.startsWith('prune-streamOutbox-'))).toEqual(['prune-streamOutbox-0', 'prune-streamOutbox-1', 'prune-streamOutbox-2']);
    expect(stepIds.indexOf('prune-webhooks-0')).toBeLessThan(stepIds.indexOf('find-candidates'));
    expect(stepIds).toContain(`remove-${itemId}`);

    // Of the rows written here, the unpublished one stays; the item's own records (linked, accounts,
    // removed: written by link and removal, not yet published) stay too.
    const left = await h.db.select({ seq: streamOutbox.seq, recordId: streamOutbox.recordId, publishedAt: streamOutbox.publishedAt }).from(streamOutbox);
    expect(left.filter((r) => ['r0', 'r1', 'r2', 'r3', 'r4', 'w'].includes(r.recordId)).map((r) => r.seq)).toEqual([waiting!.seq]);
    expect(left.every((r) => r.publishedAt === null)).toBe(true);
    expect((await h.db.select({ id: jobRuns.id }).from(jobRuns)).map((r) => r.id)).toEqual(['live']);
    expect((await h.db.select({ state: plaidWebhooks.state }).from(plaidWebhooks)).map((r) => r.state)).toEqual(['FAILED']);
    // The calls linking the bank made today are kept.
    expect((await h.db.select().from(plaidApiCalls)).every((c) => c.createdAt > daysAgo(1))).toBe(true);
    const [item] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    expect(item).toMatchObject({ status: 'REVOKED', removedAt: expect.any(Date) });

    const done = lines.map((l) => JSON.parse(l) as { msg: string; retention?: unknown; removed?: number }).filter((l) => l.retention);
    expect(done).toEqual([expect.objectContaining({ retention, removed: 1 })]);
  });
});
