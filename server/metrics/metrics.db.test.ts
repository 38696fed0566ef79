import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidItems } from '../../db/schema';
import { waitFor } from '@tributary/plaid-emulator/testing';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { linkAs } from '../../test/support/sync';
import { createKeyCache, type PlaidWebhookKey } from '../plaid/webhook-verify';
import { syncItemTransactions } from '../sync/sync-item';
import { receivePlaidWebhook } from '../webhooks/receive';
import { serveMetrics } from './metrics-route';

let h: Harness;
let getKey: (kid: string) => Promise<PlaidWebhookKey>;
beforeAll(async () => {
  h = await createHarness();
  getKey = createKeyCache(async (kid) => (await h.emu.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey);
});
afterAll(() => h.close());

const TOKEN = 'metrics-token-for-tests-0123456789';
const scrape = async (headers: Record<string, string> = {}, o: { embedded?: boolean; token?: string } = { embedded: true }) =>
  serveMetrics(new Request('http://127.0.0.1/metrics', { headers }), { db: h.db, embedded: o.embedded ?? false, token: o.token });

/** The value of one sample line, `name{labels} value`, or 0 when the sample is absent. */
async function sample(name: string, labels: Record<string, string> = {}) {
  const text = await (await scrape()).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `) ? wanted.every((w) => l.includes(w)) : false);
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const receive = (body: Uint8Array, signature: string) =>
  receivePlaidWebhook({ db: h.db, getKey, send: h.deps.send, log: silentLog }, { rawBody: body, headers: new Headers({ 'plaid-verification': signature }) });

describe('GET /metrics', () => {
  it('is open on the embedded default, needs the bearer token elsewhere and 404s with none configured', async () => {
    expect((await scrape({}, { embedded: true })).status).toBe(200);
    expect((await scrape({}, { embedded: false })).status).toBe(404);
    expect((await scrape({}, { embedded: false, token: TOKEN })).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer wrong' }, { embedded: false, token: TOKEN })).status).toBe(401);
    const ok = await scrape({ authorization: `Bearer ${TOKEN}` }, { embedded: false, token: TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    const body = await ok.text();
    expect(body).toContain('# TYPE tributary_webhooks_received_total counter');
    expect(body).not.toContain(TOKEN);
  });

  it('moves with Plaid calls, webhooks through the real receiver, a sync and the items table', async () => {
    const tokensBefore = await sample('tributary_plaid_calls_total', { endpoint: '/link/token/create', error_code: 'none' });
    const activeBefore = await sample('tributary_items', { status: 'ACTIVE' });
    const { itemId, plaidItemId } = await linkAs(h);
    expect(await sample('tributary_plaid_calls_total', { endpoint: '/link/token/create', error_code: 'none' })).toBe(tokensBefore + 1);
    expect(await sample('tributary_plaid_call_seconds_count', { endpoint: '/item/public_token/exchange' })).toBeGreaterThanOrEqual(1);
    expect(await sample('tributary_items', { status: 'ACTIVE' })).toBe(activeBefore + 1);

    // The emulator's own signed webhook, through the receiver: accepted, then the same again is a replay.
    await waitFor(() => h.sink.received.some((r) => r.json.item_id === plaidItemId), 10_000);
    const hit = h.sink.received.find((r) => r.json.item_id === plaidItemId)!;
    const code = `${hit.json.webhook_type}.${hit.json.webhook_code}`;
    const accepted = { outcome: 'accepted', code };
    const before = await sample('tributary_webhooks_received_total', accepted);
    const pendingBefore = await sample('tributary_webhooks_pending');
    expect((await receive(Buffer.from(hit.body), String(hit.headers['plaid-verification']))).status).toBe(200);
    expect(await sample('tributary_webhooks_received_total', accepted)).toBe(before + 1);
    expect(await sample('tributary_webhook_receive_seconds_count', { outcome: 'accepted' })).toBeGreaterThanOrEqual(1);
    expect(await sample('tributary_webhooks_pending')).toBe(pendingBefore + 1);
    await receive(Buffer.from(hit.body), String(hit.headers['plaid-verification']));
    expect(await sample('tributary_webhooks_received_total', { outcome: 'duplicate', code })).toBeGreaterThanOrEqual(1);
    const forged = await sample('tributary_webhooks_received_total', { outcome: 'rejected', reason: 'verification' });
    expect((await receive(Buffer.from(hit.body), 'not.a.jwt')).status).toBe(401);
    expect(await sample('tributary_webhooks_received_total', { outcome: 'rejected', reason: 'verification' })).toBe(forged + 1);

    // A sync: its run, pages and rows in the last hour, and the /transactions/sync calls.
    const syncCalls = await sample('tributary_plaid_calls_total', { endpoint: '/transactions/sync', error_code: 'none' });
    const runs = await sample('tributary_sync_runs_last_hour', { outcome: 'succeeded' });
    const result = await syncItemTransactions(h.db, h.deps, { itemId, trigger: 'test', pageSize: 10 }, silentLog);
    expect(result.status).toBe('SUCCEEDED');
    expect(await sample('tributary_sync_runs_last_hour', { outcome: 'succeeded' })).toBe(runs + 1);
    expect(await sample('tributary_sync_pages_last_hour', { outcome: 'succeeded' })).toBeGreaterThan(1);
    expect(await sample('tributary_sync_rows_last_hour', { outcome: 'succeeded' })).toBeGreaterThan(20);
    expect(await sample('tributary_plaid_calls_total', { endpoint: '/transactions/sync', error_code: 'none' })).toBeGreaterThan(syncCalls + 1);
    // The sync wrote the account streams' records to the outbox; nothing has published them.
    expect(await sample('tributary_outbox_backlog', { stream: 'refined-accounts' })).toBeGreaterThan(0);

    // Neither the item's Plaid id nor its access token is ever a label.
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    const text = await (await scrape()).text();
    expect(text).not.toContain(plaidItemId);
    expect(text).not.toContain(row!.accessTokenEnc);
  });
});
