import { expect, test } from '@playwright/test';

// `npm start` serves POST /api/webhooks/plaid from the front in scripts/serve.mjs, ahead of Next.
// Next marks every answer of its own with `Vary: rsc, …`; the front's answers carry no such thing.
// The emulator's signed webhooks reaching the front are covered by the journey (webhook → sync).
const nextVary = (headers: Record<string, string>) => (headers.vary ?? '').includes('rsc');

test('Plaid webhooks are answered by the front, not by Next, and a forged one is refused there', async ({ request }) => {
  const forged = await request.post('/api/webhooks/plaid', {
    headers: { 'content-type': 'application/json', 'plaid-verification': 'not.a.jwt' },
    data: { webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: 'made-up' },
  });
  expect(forged.status()).toBe(401);
  expect(await forged.json()).toEqual({ ok: false, error: 'verification failed' });
  expect(nextVary(forged.headers())).toBe(false);

  const unsigned = await request.post('/api/webhooks/plaid?via=query', { data: { webhook_type: 'ITEM' } });
  expect(unsigned.status()).toBe(401);
  expect(nextVary(unsigned.headers())).toBe(false);
});

test('every other request on the app, the same path with another method included, is served by Next', async ({ request }) => {
  const health = await request.get('/api/health');
  expect(health.ok()).toBe(true);
  expect(nextVary(health.headers())).toBe(true);

  const get = await request.get('/api/webhooks/plaid');
  expect(get.status()).toBe(405);
  expect(nextVary(get.headers())).toBe(true);
});

test('GET /metrics is served under npm start and counts what the front answered (one registry for both)', async ({ request }) => {
  const rejected = async () => {
    const res = await request.get('/metrics');
    expect(res.status()).toBe(200);
    const line = (await res.text()).split('\n').find((l) => l.startsWith('tributary_webhooks_received_total{') && l.includes('outcome="rejected"') && l.includes('reason="verification"'));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  const before = await rejected();
  const forged = await request.post('/api/webhooks/plaid', { headers: { 'plaid-verification': 'not.a.jwt' }, data: { webhook_type: 'ITEM', webhook_code: 'ERROR' } });
  expect(forged.status()).toBe(401);
  expect(nextVary(forged.headers())).toBe(false);
  expect(await rejected()).toBe(before + 1);
  const text = await (await request.get('/metrics')).text();
  expect(text).toContain('tributary_items{status="ACTIVE"}');
});
