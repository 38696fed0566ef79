import { expect, test } from '@playwright/test';
import { type ReceivedSpan, startOtlpReceiver } from '../test/support/otlp-receiver';
import { signUpNewUser } from './fixtures';
import { linkFirstPlatypus } from './link-helpers';
import { type OwnApp, startOwnApp } from './own-app';
import { E2E_PLAID_SECRET } from './plaid-credentials';

// A second app, started the way `npm start` starts it, with traces on through the standard OTEL_*
// variables, exported as OTLP/HTTP JSON to a receiver of this test's own on 127.0.0.1: a Plaid
// webhook's trace must arrive there, whole.
let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
let app: OwnApp | undefined;
let appUrl: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  otlp = await startOtlpReceiver();
  app = await startOwnApp('e2e-otel', {
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'tributary-e2e',
    // Export within half a second instead of five.
    OTEL_BSP_SCHEDULE_DELAY: '500',
  }, (key) => key.startsWith('OTEL_'));
  appUrl = app.url;
});

test.afterAll(async () => {
  await app?.stop();
  await otlp?.close();
});

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, a Plaid webhook exports one trace from receipt through the sync pages to the publish', async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  // Signing up through the context's API signs its pages in too (one cookie jar).
  await signUpNewUser(context.request, appUrl);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/dashboard$/);
  await linkFirstPlatypus(page);

  // New transactions at the bank: the mounted emulator tells the app with webhooks (to the front).
  const listed = await context.request.get('/api/plaid-emulator/emulator/items');
  const { items } = (await listed.json()) as { items: { item_id: string; institution_id: string; removed: boolean }[] };
  const plaidItem = items.filter((i) => i.institution_id === 'ins_109508' && !i.removed).at(-1)!;
  const advanced = await context.request.post('/api/plaid-emulator/emulator/items/advance_clock', { data: { item_id: plaidItem.item_id, days: 30 } });
  expect(advanced.ok(), await advanced.text()).toBe(true);

  /** Webhook traces of this item that reached the publish: root span first, then the rest. */
  const webhookTraces = () => {
    const roots = otlp.spans.filter((s) => s.name === 'POST /api/webhooks/plaid' && s.attributes['plaid.item_id'] === plaidItem.item_id);
    return roots
      .map((r) => [r, ...otlp.spans.filter((s) => s.traceId === r.traceId && s !== r)] as [ReceivedSpan, ...ReceivedSpan[]])
      .filter(([, ...rest]) => rest.some((s) => s.name === 'streams.publish') && rest.some((s) => s.name === 'sync.page'));
  };
  await expect.poll(() => webhookTraces().length, { timeout: 90_000, intervals: [1_000] }).toBeGreaterThan(0);
  const [webhook, ...rest] = webhookTraces().at(-1)!;

  expect(webhook.service).toBe('tributary-e2e');
  expect(webhook.parentSpanId).toBeUndefined();
  expect(webhook.attributes).toMatchObject({ 'http.response.status_code': 200, 'plaid.webhook.type': 'TRANSACTIONS', 'tributary.webhook.outcome': 'accepted' });
  const names = new Set(rest.map((s) => s.name));
  for (const name of ['inngest.function handle-plaid-webhook', 'inngest.step apply-webhook', 'inngest.function sync-transactions', 'sync.transactions', 'plaid /transactions/sync', 'inngest.function publish-streams', 'streams.publish']) {
    expect(names, name).toContain(name);
  }
  // Connected: every span's parent is in the trace, and the chain from a page climbs to the receipt.
  const byId = new Map([webhook, ...rest].map((s) => [s.spanId, s]));
  for (const s of rest) expect(byId.has(s.parentSpanId ?? ''), `${s.name}'s parent`).toBe(true);
  const chain: string[] = [];
  for (let s = rest.find((x) => x.name === 'sync.page'); s; s = byId.get(s.parentSpanId ?? '')) chain.push(s.name);
  expect(chain).toEqual(expect.arrayContaining(['sync.page', 'sync.transactions', 'inngest.function sync-transactions', 'inngest.function handle-plaid-webhook', 'POST /api/webhooks/plaid']));
  expect(chain.at(-1)).toBe('POST /api/webhooks/plaid');
  const page1 = rest.find((s) => s.name === 'sync.page')!;
  expect(typeof page1.attributes['tributary.sync.added']).toBe('number');
  expect(rest.find((s) => s.name === 'plaid /transactions/sync')!.attributes['plaid.request_id']).toEqual(expect.any(String));

  // What was exported holds no credential: the Plaid secret in use and token shapes.
  const exported = otlp.bodies.join('\n');
  expect(exported).not.toContain(E2E_PLAID_SECRET);
  expect(exported).not.toMatch(/(access|public)-(sandbox|development|production)-[0-9a-f]{8}-/);
  await context.close();
});
