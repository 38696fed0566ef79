import type { Runner } from '@tributary/inngest-embedded';
import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { waitFor } from '@tributary/plaid-emulator/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows';
import { createHandlePlaidWebhook } from '../../inngest/functions/handle-plaid-webhook';
import { createSyncTransactions } from '../../inngest/functions/sync-transactions';
import { setEnvForTests } from '../../test/support/env';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { testJobContext } from '../../test/support/job-context';
import { linkAs } from '../../test/support/sync';
import { createKeyCache, type PlaidWebhookKey } from '../plaid/webhook-verify';
import { receivePlaidWebhook } from '../webhooks/receive';
import { serveMetrics } from './metrics-route';

/**
 * The webhook→synced lag histogram through the real path: the emulator's signed webhooks into the
 * real receiver, handle-plaid-webhook and sync-transactions on the embedded runner, then /metrics.
 */
setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const client = toyClient('webhook-lag');
let h: Harness;
let runner: Runner;
let getKey: (kid: string) => Promise<PlaidWebhookKey>;

beforeAll(async () => {
  h = await createHarness();
  getKey = createKeyCache(async (kid) => (await h.emu.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey);
  const context = () => testJobContext({ db: h.db, deps: h.deps, log: silentLog });
  h.deps.send = async (events) => void (await runner.send(events.map((e) => ({ name: e.name, data: e.data }))));
  runner = await startRunner(h.db, client, [
    createHandlePlaidWebhook(client, context),
    createSyncTransactions(client, context, { debounce: '0.2s', pageSize: 10 }),
  ], { backoffScale: 0.001, pollIntervalMs: 50 });
});
afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
  await h?.close();
});

/** `_count` and `_sum` of the histogram for one outcome, from the /metrics text. */
async function lagHistogram(outcome: string) {
  const text = await (await serveMetrics(new Request('http://127.0.0.1/metrics'), { db: h.db, embedded: true, token: undefined })).text();
  const value = (suffix: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`tributary_webhook_to_synced_seconds_${suffix}{outcome="${outcome}"}`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return { count: value('count'), sum: value('sum'), text };
}

/** Every run finished, debounced syncs included. */
async function settle() {
  for (let i = 0; ; i++) {
    await runner.waitForIdle({ timeoutMs: 20_000 });
    const open = (await runner.listRuns({ limit: 500 })).filter((r) => !['COMPLETED', 'FAILED', 'CANCELLED'].includes(r.status));
    if (open.length === 0) return;
    if (i > 400) throw new Error(`runs still open: ${open.map((r) => `${r.functionId} ${r.status}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Hands the emulator's deliveries for the item (those not handed yet) to the real receiver. */
async function receiveWebhooksOf(plaidItemId: string, handed: Set<unknown>, atLeast: number) {
  await waitFor(() => h.sink.received.filter((r) => r.json.item_id === plaidItemId && !handed.has(r)).length >= atLeast, 10_000);
  const fresh = h.sink.received.filter((r) => r.json.item_id === plaidItemId && !handed.has(r));
  for (const r of fresh) {
    handed.add(r);
    const res = await receivePlaidWebhook(
      { db: h.db, getKey, send: h.deps.send, log: silentLog },
      { rawBody: Buffer.from(r.body), headers: new Headers({ 'plaid-verification': String(r.headers['plaid-verification']) }) },
    );
    expect(res.status).toBe(200);
  }
  return fresh.length;
}

const syncRequesting = async (itemId: string) =>
  rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from plaid_webhooks where item_id = ${itemId} and follow_ups->>'syncItemId' is not null`))[0]!.n;

describe('tributary_webhook_to_synced_seconds', () => {
  it('observes, for every webhook that asked for a sync, the seconds from its receipt to the end of the sync that took its news in', async () => {
    const SLOW_PAGE_MS = 250;
    const before = await lagHistogram('succeeded');
    expect(before.text).toContain('# TYPE tributary_webhook_to_synced_seconds histogram');
    const { itemId, plaidItemId } = await linkAs(h);
    await settle(); // the link's own sync: no webhook received yet, nothing observed
    expect((await lagHistogram('succeeded')).count).toBe(before.count);

    const handed = new Set<unknown>();
    h.emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', latency_ms: SLOW_PAGE_MS, times: 1_000 });
    h.emu.emulator.controls.advanceClock(plaidItemId, 5);
    const startedAt = performance.now();
    const handedCount = await receiveWebhooksOf(plaidItemId, handed, 2);
    await settle();
    const elapsedS = (performance.now() - startedAt) / 1000;
    h.emu.emulator.controls.clearFaults();

    const after = await lagHistogram('succeeded');
    const asked = await syncRequesting(itemId);
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThanOrEqual(handedCount);
    // Each webhook that asked for a sync, once: the debounced syncs took them all in.
    expect(after.count - before.count).toBe(asked);
    const mean = (after.sum - before.sum) / (after.count - before.count);
    expect(mean).toBeGreaterThanOrEqual(SLOW_PAGE_MS / 1000); // at least one slowed /transactions/sync page
    expect(mean).toBeLessThanOrEqual(elapsedS);
    const runs = await runner.listRuns({ limit: 500 });
    expect(runs.filter((r) => r.functionId.endsWith('sync-transactions') && r.status !== 'COMPLETED')).toEqual([]);

    // The same news again later: observed once more; the earlier webhooks are not counted twice.
    h.emu.emulator.controls.refresh(plaidItemId);
    await receiveWebhooksOf(plaidItemId, handed, 2);
    await settle();
    const again = await lagHistogram('succeeded');
    expect(again.count - after.count).toBe((await syncRequesting(itemId)) - asked);
  });

  it("labels a sync that ends on ITEM_LOGIN_REQUIRED with its outcome", async () => {
    const before = await lagHistogram('login_required');
    const { itemId, plaidItemId } = await linkAs(h);
    await settle();
    const asked = await syncRequesting(itemId);
    h.emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', error_code: 'ITEM_LOGIN_REQUIRED', times: 1_000 });
    h.emu.emulator.controls.advanceClock(plaidItemId, 2);
    await receiveWebhooksOf(plaidItemId, new Set(), 2);
    await settle();
    h.emu.emulator.controls.clearFaults();
    const after = await lagHistogram('login_required');
    expect(after.count - before.count).toBe((await syncRequesting(itemId)) - asked);
    expect(after.count).toBeGreaterThan(before.count);
  });
});
