import { eq } from 'drizzle-orm';
import { SandboxItemFireWebhookRequestWebhookCodeEnum } from 'plaid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyticsEvents, plaidItems, plaidWebhooks } from '../../db/schema';
import { accessTokenOf } from '../../server/items/item-access';
import { waitFor } from '@tributary/plaid-emulator/testing';
import { createKeyCache, type PlaidWebhookKey } from '../../server/plaid/webhook-verify';
import { testJobContext } from '../../test/support/job-context';
import { createItem, getItem, getWebhook, storeWebhook } from '../../test/support/webhook-fixtures';
import { receivePlaidWebhook } from '../../server/webhooks/receive';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import type { Runner } from '@tributary/inngest-embedded';
import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { createHandlePlaidWebhook } from './handle-plaid-webhook';

/** Whole flows through the embedded runner: real emulator webhooks, the real receiver, the function. */
const client = toyClient('hooks');
let h: Harness;
let runner: Runner;
let breakDb = false;
const syncRequests: unknown[] = [];

const context = () =>
  testJobContext({
    // A database whose transactions fail, for the retries-exhausted path; everything else is real.
    db: breakDb ? new Proxy(h.db, { get: (t, p) => (p === 'transaction' ? () => Promise.reject(new Error('database unavailable')) : Reflect.get(t, p)) }) : h.db,
    deps: h.deps,
    log: silentLog,
  });
const syncProbe = client.createFunction({ id: 'sync-probe', triggers: [{ event: 'item/sync.requested' }] }, async ({ event }) => {
  syncRequests.push(event.data);
});

beforeAll(async () => {
  h = await createHarness();
  runner = await startRunner(h.db, client, [createHandlePlaidWebhook(client, context), syncProbe]);
});
afterAll(async () => {
  await runner.stop({ graceMs: 0 });
  await h.close();
});
afterEach(() => {
  breakDb = false;
  syncRequests.length = 0;
});

describe('handle-plaid-webhook through the embedded runner', () => {
  /** Waits for the emulator's delivery of `code` for the item and feeds it through the real receiver. */
  async function receiveDelivered(plaidItemId: string, code: string) {
    const match = (r: (typeof h.sink.received)[number]) => r.json.item_id === plaidItemId && r.json.webhook_code === code;
    await waitFor(() => h.sink.received.some(match), 10_000);
    const delivered = h.sink.received.find(match)!;
    const getKey = createKeyCache(async (kid) => (await h.emu.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey);
    const send = async (events: Parameters<typeof h.deps.send>[0]) => void (await client.send(events));
    const received = await receivePlaidWebhook(
      { db: h.db, getKey, send, log: silentLog },
      { rawBody: Buffer.from(delivered.body), headers: new Headers({ 'plaid-verification': String(delivered.headers['plaid-verification']) }) },
    );
    expect(received.status).toBe(200);
    await received.handedOff;
    await runner.waitForIdle();
    return received.body.id!;
  }

  it('a reset_login webhook from the emulator, received and verified, ends with the item in ERROR; LOGIN_REPAIRED brings it back', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    const accessToken = accessTokenOf(h.deps.keyring, row!);

    await h.emu.plaid.sandboxItemResetLogin({ access_token: accessToken });
    const errorId = await receiveDelivered(row!.plaidItemId, 'ERROR');
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED' });
    expect(await getWebhook(h.db, errorId)).toMatchObject({ state: 'PROCESSED', processedAt: expect.any(Date) });

    await h.emu.plaid.sandboxItemFireWebhook({ access_token: accessToken, webhook_code: SandboxItemFireWebhookRequestWebhookCodeEnum.LoginRepaired });
    await receiveDelivered(row!.plaidItemId, 'LOGIN_REPAIRED');
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'ACTIVE', errorCode: null });
    expect(syncRequests).toEqual([{ itemId: item.id, trigger: 'webhook' }]);

    const events = await h.db.select().from(analyticsEvents).where(eq(analyticsEvents.userId, user.id));
    expect(events.map((e) => e.event).sort()).toEqual(['Item Errored', 'Item Repaired']);
    expect(JSON.stringify(events)).not.toContain(accessToken);
  });

  it('a double delivery runs twice, changes the item once and requests one sync', async () => {
    const item = await createItem(h.db, { status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED', erroredAt: new Date(Date.now() - 60_000) });
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' });
    const first = await runner.send({ name: 'plaid/webhook.received', data: { webhookId: w.id } });
    const second = await runner.send({ name: 'plaid/webhook.received', data: { webhookId: w.id } });
    await runner.waitForIdle();

    const runIds = [...first.runIds, ...second.runIds];
    expect(runIds).toHaveLength(2);
    const outputs = await Promise.all(runIds.map(async (id) => (await runner.waitForRun(id)).output));
    expect(outputs).toEqual(expect.arrayContaining([
      expect.objectContaining({ state: 'PROCESSED', alreadyHandled: false }),
      expect.objectContaining({ state: 'PROCESSED', alreadyHandled: true }),
    ]));
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'ACTIVE', errorCode: null });
    expect((await h.db.select().from(analyticsEvents).where(eq(analyticsEvents.userId, item.userId))).map((e) => e.event)).toEqual(['Item Repaired']);
    expect(syncRequests).toEqual([{ itemId: item.id, trigger: 'webhook' }]);
  });

  it('marks the webhook FAILED with the error once retries are exhausted', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'NEW_ACCOUNTS_AVAILABLE' });
    breakDb = true;
    const { runIds } = await runner.send({ name: 'plaid/webhook.received', data: { webhookId: w.id } });
    expect((await runner.waitForRun(runIds[0]!, { timeoutMs: 20_000 })).status).toBe('FAILED');
    await runner.waitForIdle();
    expect(await getWebhook(h.db, w.id)).toMatchObject({ state: 'FAILED', error: expect.stringContaining('database unavailable') });
    expect((await getItem(h.db, item.id)).newAccountsAvailable).toBe(false);
  });

  it('ends a run for a webhook id that was never stored without retrying', async () => {
    const { runIds } = await runner.send({ name: 'plaid/webhook.received', data: { webhookId: '00000000-0000-4000-8000-000000000000' } });
    const run = await runner.waitForRun(runIds[0]!);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ name: 'NonRetriableError' });
    expect(run.attemptErrors.map((e) => e.attempt)).toEqual(run.attemptErrors.map(() => 0));
    expect(await h.db.select().from(plaidWebhooks).where(eq(plaidWebhooks.id, '00000000-0000-4000-8000-000000000000'))).toEqual([]);
  });
});
