import { InngestTestEngine } from '@inngest/test';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { plaidWebhooks } from '../../db/schema';
import { createAuth } from '../../server/auth/auth';
import type { AppEvent } from '../../server/deps';
import { testJobContext } from '../../test/support/job-context';
import { storeFreshnessWebhooks } from '../../server/webhooks/handle/synthetic';
import { createItem, getWebhook } from '../../test/support/webhook-fixtures';
import { createTestDb } from '../../test/support/db';
import type { Runner } from '@tributary/inngest-embedded';
import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { quietLog } from '../../test/support/quiet-log';
import { createHandlePlaidWebhook } from './handle-plaid-webhook';
import { createLoginFreshness } from './login-freshness';

const client = toyClient('fresh');
let h: DbHandle;
let runner: Runner;
const syncRequests: unknown[] = [];
const HOUR = 3_600_000;
const context = () => testJobContext({ db: h.db, log: quietLog, settings: { freshnessThresholdHours: 6 } });
const loginFreshness = createLoginFreshness(client, context);
const syncProbe = client.createFunction({ id: 'sync-probe', triggers: [{ event: 'item/sync.requested' }] }, async ({ event }) => {
  syncRequests.push(event.data);
});
const syntheticRows = (itemId: string) => h.db.select().from(plaidWebhooks).where(eq(plaidWebhooks.itemId, itemId));
const store = (userId: string, now?: Date) => storeFreshnessWebhooks(h.db, { userId, thresholdHours: 6, environment: 'sandbox', now });

beforeAll(async () => {
  h = await createTestDb();
  runner = await startRunner(h.db, client, [loginFreshness, createHandlePlaidWebhook(client, context), syncProbe]);
});
afterAll(async () => {
  await runner.stop({ graceMs: 0 });
  await h.close();
});

describe('login freshness', () => {
  it('stores exactly one synthetic DEFAULT_UPDATE for a stale item and none for a fresh one', async () => {
    const stale = await createItem(h.db, { lastSyncedAt: new Date(Date.now() - 7 * HOUR) });
    const fresh = await createItem(h.db, { userId: stale.userId, lastSyncedAt: new Date(Date.now() - HOUR) });
    const ids = await store(stale.userId);
    expect(ids).toHaveLength(1);
    const [row] = await syntheticRows(stale.id);
    expect(row).toMatchObject({ id: ids[0], source: 'synthetic', verified: true, state: 'RECEIVED', webhookType: 'TRANSACTIONS', webhookCode: 'DEFAULT_UPDATE', plaidItemId: stale.plaidItemId });
    expect(JSON.parse(row!.rawBody)).toMatchObject({ webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE', item_id: stale.plaidItemId });
    expect(await syntheticRows(fresh.id)).toEqual([]);
  });

  it('treats a never-synced item as stale and skips items that are not ACTIVE', async () => {
    const never = await createItem(h.db);
    const broken = await createItem(h.db, { userId: never.userId, status: 'ERROR' });
    const removed = await createItem(h.db, { userId: never.userId, status: 'REMOVED' });
    expect(await store(never.userId)).toHaveLength(1);
    expect(await syntheticRows(broken.id)).toEqual([]);
    expect(await syntheticRows(removed.id)).toEqual([]);
  });

  it('signing in again within the same window stores nothing new; the next window stores one more', async () => {
    const item = await createItem(h.db, { lastSyncedAt: new Date(Date.now() - 30 * HOUR) });
    const now = new Date(Math.floor(Date.now() / (6 * HOUR)) * 6 * HOUR + HOUR);
    expect(await store(item.userId, now)).toHaveLength(1);
    expect(await store(item.userId, new Date(now.getTime() + HOUR))).toEqual([]);
    expect(await store(item.userId, new Date(now.getTime() + 6 * HOUR))).toHaveLength(1);
    expect(await syntheticRows(item.id)).toHaveLength(2);
  });

  it('routes each stored synthetic webhook as plaid/webhook.received (@inngest/test)', async () => {
    const item = await createItem(h.db, { lastSyncedAt: new Date(Date.now() - 8 * HOUR) });
    const t = new InngestTestEngine({ function: loginFreshness, steps: [{ id: 'route-synthetic-webhooks', handler: () => ({ ids: [] }) }] });
    const { result, ctx } = await t.execute({ events: [{ name: 'user/signed-in', data: { userId: item.userId } }] });
    const [webhookId] = (result as { webhookIds: string[] }).webhookIds;
    expect(webhookId).toEqual(expect.any(String));
    expect(ctx.step.sendEvent).toHaveBeenCalledWith('route-synthetic-webhooks', [
      expect.objectContaining({ name: 'plaid/webhook.received', data: { webhookId }, id: `webhook-${webhookId}` }),
    ]);
  });

  it('a sign-in with a stale item ends, through the runner, in a processed synthetic webhook and a sync request', async () => {
    const auth = createAuth(h.db, {
      secret: 'x'.repeat(40),
      baseURL: 'http://127.0.0.1:3000',
      rateLimit: { enabled: false },
      log: quietLog,
      sendEvents: async (events: AppEvent[]) => void (await client.send(events)),
    });
    const up = await auth.api.signUpEmail({ body: { email: 'stale@example.com', password: 'long-enough-pw', name: 'S' } });
    await runner.waitForIdle();
    const item = await createItem(h.db, { userId: up.user.id, lastSyncedAt: new Date(Date.now() - 9 * HOUR) });
    await auth.api.signInEmail({ body: { email: 'stale@example.com', password: 'long-enough-pw' } });
    await runner.waitForIdle();
    const rows = await syntheticRows(item.id);
    expect(rows).toHaveLength(1);
    expect(await getWebhook(h.db, rows[0]!.id)).toMatchObject({ source: 'synthetic', state: 'PROCESSED' });
    expect(syncRequests).toEqual([{ itemId: item.id, trigger: 'webhook' }]);
  });
});
