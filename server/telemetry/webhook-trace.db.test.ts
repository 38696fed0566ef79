import { randomBytes } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { createEmbeddedFetch, type Runner } from '@tributary/inngest-embedded';
import { quietLog, startRunner } from '@tributary/inngest-embedded/testing';
import { plaidClient, startTestEmulator, waitFor } from '@tributary/plaid-emulator/testing';
import { eq } from 'drizzle-orm';
import { Inngest } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidItems } from '../../db/schema';
import { createHandlePlaidWebhook } from '../../inngest/functions/handle-plaid-webhook';
import { createPublishStreams } from '../../inngest/functions/publish-streams';
import { createSyncTransactions } from '../../inngest/functions/sync-transactions';
import { TracingMiddleware } from '../../inngest/tracing';
import { setEnvForTests } from '../../test/support/env';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { testJobContext } from '../../test/support/job-context';
import { describeLeaks, type KnownSecret, scanAll } from '../../test/support/secret-scan';
import { testStreams } from '../../test/support/streams';
import { DYNAMIC_USER } from '../../test/support/sync';
import { parentOf, recordSpans, spanTexts } from '../../test/support/tracing';
import { decrypt } from '../crypto';
import { createKeyCache, type PlaidWebhookKey } from '../plaid/webhook-verify';
import { startKinesalite, type LocalKinesis } from '../streams/kinesalite';
import { createKinesisClient, localCredentials } from '../streams/kinesis-client';
import { createPlaidWebhookRoute } from '../webhooks/receive-route';
import { inSpan } from './spans';

/**
 * One trace from a Plaid webhook's receipt to the stream publish, through the real receiver, the
 * real functions on the embedded runner (W3C context carried in the events) and the emulator over
 * HTTP, exported by the SDK into memory. Then every span attribute is scanned for secrets.
 */

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const PLAID_SECRET = `trace-secret-${randomBytes(12).toString('hex')}`;
const recorder = recordSpans();
const client = new Inngest({ id: 'traced', isDev: true, fetch: createEmbeddedFetch('traced'), logger: quietLog, middleware: [TracingMiddleware] });

let h: Harness;
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let kinesalite: LocalKinesis;
let kinesis: KinesisClient;
let runner: Runner;

beforeAll(async () => {
  h = await createHarness();
  emu = await startTestEmulator({ rateLimits: false, clientId: 'trace-client', secret: PLAID_SECRET });
  h.deps.plaid = plaidClient(emu.url, { 'PLAID-CLIENT-ID': 'trace-client', 'PLAID-SECRET': PLAID_SECRET });
  kinesalite = await startKinesalite({ streams: Object.values(testStreams) });
  kinesis = createKinesisClient({ endpoint: kinesalite.endpoint, credentials: localCredentials, maxAttempts: 1 });
  const context = () => testJobContext({ db: h.db, deps: h.deps, log: silentLog, kinesis: async () => ({ client: kinesis, streams: testStreams }) });
  h.deps.send = async (events) => void (await client.send(events));
  runner = await startRunner(h.db, client, [
    createHandlePlaidWebhook(client, context),
    createSyncTransactions(client, context, { debounce: '0.2s', pageSize: 10 }),
    createPublishStreams(client, context, { cron: '0 0 1 1 *' }),
  ], { backoffScale: 0.001, pollIntervalMs: 50 });
});
afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
  kinesis?.destroy();
  await kinesalite?.close();
  await emu?.close();
  await h?.close();
  await recorder.stop();
});

/** Every run finished, debounced ones included. */
async function settle() {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await runner.waitForIdle({ timeoutMs: 20_000 });
    const open = (await runner.listRuns({ limit: 500 })).filter((r) => r.eventName !== 'inngest/scheduled.timer' && !['COMPLETED', 'FAILED', 'CANCELLED'].includes(r.status));
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`runs still open: ${open.map((r) => `${r.functionId} ${r.status}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('traces', () => {
  const allSpans: ReturnType<typeof recorder.spans> = [];
  let secrets: KnownSecret[] = [];

  it('a webhook is one trace: receipt → event → handle-plaid-webhook → sync pages with their Plaid calls → publish', async () => {
    // Link inside a span of its own, so the link's Plaid calls and first sync are traced too (for the scan below).
    const user = await h.createUser();
    const api = h.caller(user);
    const linked = await inSpan('test link', {}, async () => {
      const { linkToken } = await api.link.createToken({ mode: 'new' });
      const done = emu.emulator.link.completeLink({ linkToken, institutionId: 'ins_109508', username: DYNAMIC_USER, password: 'pass_good' });
      if (done.status !== 'success') throw new Error(`Link did not succeed: ${JSON.stringify(done)}`);
      const { item } = await api.items.link({ publicToken: done.publicToken, metadata: { institution: done.institution, accounts: done.accounts, link_session_id: done.linkSessionId } });
      return { itemId: item.id, publicToken: done.publicToken };
    });
    await settle();
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, linked.itemId));
    const plaidItemId = row!.plaidItemId;
    const emulated = emu.emulator.state.items[plaidItemId]!;
    expect(decrypt(h.deps.keyring, row!.accessTokenEnc)).toBe(emulated.accessToken);
    const numbered = emulated.accounts.filter((a) => a.numbers);
    expect(numbered.length).toBeGreaterThan(0);
    secrets = [
      { label: 'the access token', value: emulated.accessToken },
      { label: 'the public token', value: linked.publicToken },
      { label: 'the Plaid secret', value: PLAID_SECRET },
      ...numbered.flatMap((a) => [
        { label: `the account number of ${a.account.name}`, value: a.numbers!.account },
        { label: `the routing number of ${a.account.name}`, value: a.numbers!.routing },
      ]),
    ];
    allSpans.push(...recorder.spans());
    recorder.reset();

    // New transactions at the bank: Plaid says SYNC_UPDATES_AVAILABLE; that webhook goes through the real route.
    const seen = h.sink.received.length;
    emu.emulator.controls.advanceClock(plaidItemId, 30);
    const isSyncUpdate = (r: (typeof h.sink.received)[number]) => r.json.item_id === plaidItemId && r.json.webhook_code === 'SYNC_UPDATES_AVAILABLE';
    await waitFor(() => h.sink.received.slice(seen).some(isSyncUpdate), 10_000);
    const webhook = h.sink.received.slice(seen).find(isSyncUpdate)!;
    const getKey = createKeyCache(async (kid) => (await h.deps.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey);
    const route = createPlaidWebhookRoute(() => ({ db: h.db, getKey, send: h.deps.send, log: silentLog }));
    const res = await route(new Request('http://127.0.0.1/api/webhooks/plaid', {
      method: 'POST', body: webhook.body, headers: { 'content-type': 'application/json', 'plaid-verification': String(webhook.headers['plaid-verification']) },
    }));
    expect(res.status).toBe(200);
    const { id: webhookId } = (await res.json()) as { id: string };
    await settle();
    const spans = recorder.spans();
    allSpans.push(...spans);

    const root = spans.find((s) => s.name === 'POST /api/webhooks/plaid')!;
    expect(root).toBeDefined();
    expect(parentOf(root)).toBeUndefined();
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.attributes).toMatchObject({
      'http.response.status_code': 200, 'plaid.webhook.type': 'TRANSACTIONS', 'plaid.webhook.code': 'SYNC_UPDATES_AVAILABLE',
      'plaid.item_id': plaidItemId, 'tributary.item_id': linked.itemId, 'tributary.webhook.id': webhookId, 'tributary.webhook.outcome': 'accepted',
    });
    const traceId = root.spanContext().traceId;
    const trace = spans.filter((s) => s.spanContext().traceId === traceId);
    const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
    const parent = (s: (typeof trace)[number]) => byId.get(parentOf(s) ?? '');
    /** The span's ancestors' names, nearest first. */
    const ancestry = (s: (typeof trace)[number]) => {
      const names: string[] = [];
      for (let p = parent(s); p; p = parent(p)) names.push(p.name);
      return names;
    };
    // Every span of the trace hangs off the root: nothing dangles.
    for (const s of trace) if (s !== root) expect(ancestry(s).at(-1), `${s.name}'s root`).toBe(root.name);
    const fnSpans = (fn: string) => trace.filter((s) => s.name === `inngest.function ${fn}`);

    // The webhook's event starts handle-plaid-webhook right under the receipt.
    const handle = fnSpans('handle-plaid-webhook');
    expect(handle.length).toBeGreaterThan(0);
    for (const s of handle) {
      expect(parent(s)).toBe(root);
      expect(s.kind).toBe(SpanKind.CONSUMER);
      expect(s.attributes).toMatchObject({ 'inngest.event.name': 'plaid/webhook.received', 'inngest.function.id': 'handle-plaid-webhook' });
    }
    // Steps hang under their call's span (through the SDK's own inngest.execution span).
    const apply = trace.find((s) => s.name === 'inngest.step apply-webhook')!;
    expect(ancestry(apply).slice(0, 3)).toEqual(['inngest.execution', 'inngest.function handle-plaid-webhook', root.name]);

    // Its sync request (step.sendEvent) carries the trace on to sync-transactions.
    const sync = fnSpans('sync-transactions');
    expect(sync.length).toBeGreaterThan(0);
    for (const s of sync) {
      expect(s.attributes['inngest.event.name']).toBe('item/sync.requested');
      expect(ancestry(s)).toContain('inngest.function handle-plaid-webhook');
    }
    const loop = trace.find((s) => s.name === 'sync.transactions')!;
    expect(ancestry(loop).slice(0, 3)).toEqual(['inngest.step sync-pages', 'inngest.execution', 'inngest.function sync-transactions']);
    expect(ancestry(loop)).toContain('inngest.step request-sync');
    const pages = trace.filter((s) => s.name === 'sync.page').sort((a, b) => Number(a.attributes['tributary.sync.page']) - Number(b.attributes['tributary.sync.page']));
    expect(pages.length).toBeGreaterThanOrEqual(3); // ~30 days of new transactions, 10 a page
    expect(loop.attributes).toMatchObject({ 'tributary.item_id': linked.itemId, 'plaid.item_id': plaidItemId, 'tributary.sync.pages': pages.length });
    const added = pages.reduce((n, p) => n + Number(p.attributes['tributary.sync.added']), 0);
    expect(added).toBeGreaterThan(0);
    expect(loop.attributes['tributary.sync.added']).toBe(added);
    pages.forEach((p, i) => {
      expect(parent(p)).toBe(loop);
      expect(p.attributes).toMatchObject({ 'tributary.sync.page': i + 1, 'tributary.sync.has_more': i < pages.length - 1 });
      // One Plaid client span under each page, with Plaid's request id (the page's own).
      const calls = trace.filter((s) => parent(s) === p && s.name === 'plaid /transactions/sync');
      expect(calls).toHaveLength(1);
      expect(calls[0]!.kind).toBe(SpanKind.CLIENT);
      expect(calls[0]!.attributes).toMatchObject({ 'plaid.endpoint': '/transactions/sync', 'tributary.item_id': linked.itemId, 'http.response.status_code': 200 });
      expect(calls[0]!.attributes['plaid.request_id']).toMatch(/\S+/);
      expect(p.attributes['plaid.request_id']).toBe(calls[0]!.attributes['plaid.request_id']);
    });

    // And the sync's publish request carries it to publish-streams and the Kinesis publish.
    const publish = trace.find((s) => s.name === 'streams.publish')!;
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(Number(publish.attributes['tributary.streams.published'])).toBeGreaterThan(0);
    expect(publish.attributes['tributary.streams.remaining']).toBe(0);
    expect(ancestry(publish)).toEqual(expect.arrayContaining(['inngest.step publish-outbox', 'inngest.function publish-streams', 'inngest.function sync-transactions', root.name]));
    expect(fnSpans('publish-streams').every((s) => s.attributes['inngest.event.name'] === 'streams/publish.requested')).toBe(true);
  });

  it('a failed Plaid call is a client span with its endpoint, error code and request id, marked failed', async () => {
    recorder.reset();
    emu.emulator.controls.injectFault({ endpoint: '/accounts/get', error_code: 'INSTITUTION_DOWN' });
    const { callForItem } = await import('../items/item-plaid');
    const { getItem } = await import('../items/item-access');
    const [row] = await h.db.select().from(plaidItems).limit(1);
    await expect(callForItem(h.db, h.deps, await getItem(h.db, row!.id), '/accounts/get', (access_token) => h.deps.plaid.accountsGet({ access_token }))).rejects.toThrow(/INSTITUTION_DOWN/);
    const spans = recorder.spans();
    allSpans.push(...spans);
    const call = spans.find((s) => s.name === 'plaid /accounts/get')!;
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect(call.attributes).toMatchObject({ 'plaid.endpoint': '/accounts/get', 'plaid.error_code': 'INSTITUTION_DOWN', 'tributary.item_id': row!.id });
    expect(call.attributes['plaid.request_id']).toMatch(/\S+/);
  });

  it('no span carries a token, a secret or an account or routing number', () => {
    expect(allSpans.length).toBeGreaterThan(30);
    // The scan looked where ids are: the item's ids are there, its secrets are not.
    expect(spanTexts(allSpans).some((t) => t.text.includes('plaid.request_id'))).toBe(true);
    expect(secrets.length).toBeGreaterThan(3);
    expect(describeLeaks(scanAll(spanTexts(allSpans), secrets))).toBe('no leaks');
  });
});
