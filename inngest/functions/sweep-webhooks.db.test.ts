import { InngestTestEngine } from '@inngest/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { testJobContext } from '../../test/support/job-context';
import { createItem, getWebhook, storeWebhook } from '../../test/support/webhook-fixtures';
import { createTestDb } from '../../test/support/db';
import { toyClient } from '@tributary/inngest-embedded/testing';
import { quietLog } from '../../test/support/quiet-log';
import { createSweepWebhooks } from './sweep-webhooks';

const client = toyClient('sweep');
let h: DbHandle;
const context = () => testJobContext({ db: h.db, log: quietLog, settings: { freshnessThresholdHours: 6 } });
const sweep = createSweepWebhooks(client, context);
const tick = { name: 'inngest/scheduled.timer', data: { cron: '*/2 * * * *' } };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

describe('sweep-webhooks', () => {
  it('re-sends only webhooks stuck in RECEIVED for over a minute, then marks them QUEUED', async () => {
    const item = await createItem(h.db);
    const body = { webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE' };
    const stuck = await storeWebhook(h.db, item, body, { state: 'RECEIVED', receivedAt: minutesAgo(5) });
    const recent = await storeWebhook(h.db, item, body, { state: 'RECEIVED', receivedAt: new Date() });
    const rejected = await storeWebhook(h.db, item, body, { state: 'REJECTED', verified: false, receivedAt: minutesAgo(5) });

    const t = new InngestTestEngine({ function: sweep, steps: [{ id: 'requeue-webhooks', handler: () => ({ ids: [] }) }] });
    const { result, ctx } = await t.execute({ events: [tick] });
    expect(result).toEqual({ requeued: 1 });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith('requeue-webhooks', [expect.objectContaining({ name: 'plaid/webhook.received', data: { webhookId: stuck.id } })]);
    expect((await getWebhook(h.db, stuck.id)).state).toBe('QUEUED');
    expect((await getWebhook(h.db, recent.id)).state).toBe('RECEIVED');
    expect((await getWebhook(h.db, rejected.id)).state).toBe('REJECTED');
  });

  it('sends nothing on the next tick once the stuck webhook was re-sent', async () => {
    const t = new InngestTestEngine({ function: sweep });
    const { result, ctx } = await t.execute({ events: [tick] });
    expect(result).toEqual({ requeued: 0 });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });
});
