import { createHash, createPrivateKey } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { plaidItems, plaidWebhooks } from '../../db/schema';
import { linkItem as sandboxLinkItem, waitFor } from '@tributary/plaid-emulator/testing';
import { createKeyCache, type PlaidWebhookKey } from '../plaid/webhook-verify';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { receivePlaidWebhook } from './receive';

let h: Harness;
let getKey: (kid: string) => Promise<PlaidWebhookKey>;
beforeAll(async () => {
  h = await createHarness();
  getKey = createKeyCache(async (kid) => (await h.emu.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey);
});
afterAll(() => h.close());
afterEach(() => {
  vi.useRealTimers();
});

const receive = (rawBody: Uint8Array, headers: Record<string, string>) =>
  receivePlaidWebhook({ db: h.db, getKey, send: h.deps.send, log: silentLog }, { rawBody, headers: new Headers(headers) });

/** Links a bank through the app and returns the first webhook the emulator delivered for it. */
async function deliveredWebhook(code = 'INITIAL_UPDATE') {
  const user = await h.createUser();
  const { item } = await h.linkBank(user);
  const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
  await waitFor(() => h.sink.received.some((r) => r.json.item_id === row!.plaidItemId && r.json.webhook_code === code), 10_000);
  const hit = h.sink.received.find((r) => r.json.item_id === row!.plaidItemId && r.json.webhook_code === code)!;
  return { item, body: Buffer.from(hit.body), signature: String(hit.headers['plaid-verification']) };
}

/** Signs a body as the emulator's Plaid would (a fresh signature: how Plaid's retries arrive). */
async function signAgain(body: Uint8Array) {
  const signer = h.emu.emulator.state.signingKeys.find((k) => k.expiredAt === null)!;
  const key = createPrivateKey({ key: signer.privateJwk as never, format: 'jwk' });
  return new SignJWT({ iat: Math.floor(Date.now() / 1000), request_body_sha256: createHash('sha256').update(body).digest('hex') })
    .setProtectedHeader({ alg: 'ES256', kid: signer.kid })
    .sign(key);
}

const rowsFor = (id: string) => h.db.select().from(plaidWebhooks).where(eq(plaidWebhooks.id, id));

describe('receivePlaidWebhook', () => {
  it('accepts a real emulator webhook: stored, then handed on as plaid/webhook.received', async () => {
    const { item, body, signature } = await deliveredWebhook();
    const result = await receive(body, { 'plaid-verification': signature, 'content-type': 'application/json' });
    expect(result).toMatchObject({ status: 200, body: { ok: true } });
    const [row] = await rowsFor(result.body.id!);
    expect(row).toMatchObject({ itemId: item.id, verified: true, state: 'RECEIVED', webhookType: 'TRANSACTIONS', webhookCode: 'INITIAL_UPDATE', rawBody: body.toString() });
    expect(h.sent).toContainEqual({ name: 'plaid/webhook.received', data: { webhookId: result.body.id } });
  });

  it('takes a burst for one item: every webhook stored and handed on, the item’s last-webhook time set', async () => {
    const { item, body } = await deliveredWebhook();
    const signer = h.emu.emulator.state.signingKeys.find((k) => k.expiredAt === null)!;
    const key = createPrivateKey({ key: signer.privateJwk as never, format: 'jwk' });
    const burst = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const again = Buffer.from(body.toString().replace('INITIAL_UPDATE', 'DEFAULT_UPDATE').replace(/\n}$/, `,\n  "burst": ${i}\n}`));
        const jwt = await new SignJWT({ iat: Math.floor(Date.now() / 1000), request_body_sha256: createHash('sha256').update(again).digest('hex') })
          .setProtectedHeader({ alg: 'ES256', kid: signer.kid })
          .sign(key);
        return { again, jwt };
      }),
    );
    const sentBefore = h.sent.length;
    const results = await Promise.all(burst.map((b) => receive(b.again, { 'plaid-verification': b.jwt })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(20);
    expect(h.sent.length - sentBefore).toBe(20);
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    expect(Math.abs(row!.lastWebhookAt!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('deduplicates a replay of the same signed delivery and acts on it once', async () => {
    const { body, signature } = await deliveredWebhook();
    const first = await receive(body, { 'plaid-verification': signature });
    const sentBefore = h.sent.length;
    const replay = await receive(body, { 'plaid-verification': signature });
    expect(replay).toEqual({ status: 200, body: { ok: true, duplicate: true }, outcome: 'duplicate', code: 'TRANSACTIONS.INITIAL_UPDATE' });
    expect(h.sent.length).toBe(sentBefore);
    expect(first.body.id).toBeDefined();
  });

  it("counts Plaid's retry (re-signed, same body) on the first delivery's row and hands it on once", async () => {
    const { body, signature } = await deliveredWebhook();
    const first = await receive(body, { 'plaid-verification': signature });
    const sentBefore = h.sent.length;
    const retry = await receive(body, { 'plaid-verification': await signAgain(body) });
    expect(retry).toMatchObject({ status: 200, body: { ok: true, id: first.body.id, duplicate: true } });
    await retry.handedOff;
    // Not handled again; a sync webhook's repeat may be new data with the same body, so a sync is asked for.
    expect(h.sent.slice(sentBefore)).toEqual([{ name: 'item/sync.requested', data: { itemId: first.body.id && (await rowsFor(first.body.id))[0]!.itemId, trigger: 'webhook-repeat' } }]);
    const [row] = await rowsFor(first.body.id!);
    expect(row).toMatchObject({ deliveryCount: 2, lastDeliveredAt: expect.any(Date) });
    const sameBody = await h.db.select().from(plaidWebhooks).where(eq(plaidWebhooks.rawBody, body.toString()));
    expect(sameBody).toHaveLength(1);
  });

  it('keeps ERROR, LOGIN_REPAIRED, ERROR with identical error bodies as three webhooks', async () => {
    const { body } = await deliveredWebhook();
    const plaidItemId = (JSON.parse(body.toString()) as { item_id: string }).item_id;
    const itemBody = (code: string, extra: object = {}) =>
      Buffer.from(JSON.stringify({ webhook_type: 'ITEM', webhook_code: code, item_id: plaidItemId, environment: 'sandbox', ...extra }, null, 2));
    const error = itemBody('ERROR', { error: { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'x', display_message: null, status: 400 } });
    const ids: string[] = [];
    for (const b of [error, itemBody('LOGIN_REPAIRED'), error]) {
      const r = await receive(b, { 'plaid-verification': await signAgain(b) });
      expect(r.body.duplicate).toBeUndefined();
      ids.push(r.body.id!);
    }
    expect(new Set(ids).size).toBe(3);
  });

  it('refuses a tampered body with 401, stores it as rejected and acts on nothing', async () => {
    const { body, signature } = await deliveredWebhook();
    const tampered = Buffer.from(body.toString().replace('INITIAL_UPDATE', 'DEFAULT_UPDATE'));
    const sentBefore = h.sent.length;
    const result = await receive(tampered, { 'plaid-verification': signature });
    expect(result.status).toBe(401);
    const [row] = await h.db.select().from(plaidWebhooks).where(eq(plaidWebhooks.rawBody, tampered.toString()));
    expect(row).toMatchObject({ verified: false, state: 'REJECTED', verificationError: 'body hash does not match' });
    expect(h.sent.length).toBe(sentBefore);
  });

  it('refuses a stale delivery (iat older than five minutes)', async () => {
    const { body, signature } = await deliveredWebhook();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60 * 1000);
    const result = await receive(body, { 'plaid-verification': signature });
    expect(result.status).toBe(401);
    const rejected = await h.db.select().from(plaidWebhooks).where(eq(plaidWebhooks.verificationError, 'stale: iat older than 5 minutes'));
    expect(rejected.length).toBeGreaterThan(0);
  });

  it('refuses an unsigned or forged webhook', async () => {
    const { body, signature } = await deliveredWebhook();
    expect((await receive(body, {})).status).toBe(401);
    // Signed by someone else's key but claiming Plaid's real key id.
    const { privateKey } = await generateKeyPair('ES256');
    const realKid = decodeProtectedHeader(signature).kid!;
    const forged = await new SignJWT({ iat: Math.floor(Date.now() / 1000), request_body_sha256: createHash('sha256').update(body).digest('hex') })
      .setProtectedHeader({ alg: 'ES256', kid: realKid })
      .sign(privateKey);
    expect((await receive(body, { 'plaid-verification': forged })).status).toBe(401);
    const [row] = await h.db.select().from(plaidWebhooks).where(eq(plaidWebhooks.verificationError, 'bad signature'));
    expect(row).toMatchObject({ verified: false, state: 'REJECTED' });
  });

  it('stores and flags a verified webhook for an item we do not know, answering 200', async () => {
    const sentBefore = h.sent.length;
    const foreign = await sandboxLinkItem(h.emu.plaid, { webhook: h.sink.url });
    await waitFor(() => h.sink.received.some((r) => r.json.item_id === foreign.item_id), 10_000);
    const hit = h.sink.received.find((r) => r.json.item_id === foreign.item_id)!;
    const result = await receive(Buffer.from(hit.body), { 'plaid-verification': String(hit.headers['plaid-verification']) });
    expect(result.status).toBe(200);
    const [row] = await rowsFor(result.body.id!);
    expect(row).toMatchObject({ unknownItem: true, state: 'IGNORED', itemId: null, plaidItemId: foreign.item_id });
    expect(h.sent.length).toBe(sentBefore);
  });

  it('answers a validly signed but malformed JSON body with 400', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'own', expired_at: null } as PlaidWebhookKey;
    const body = Buffer.from('{"webhook_type": "TRANSACTIONS",');
    const jwt = await new SignJWT({ iat: Math.floor(Date.now() / 1000), request_body_sha256: createHash('sha256').update(body).digest('hex') })
      .setProtectedHeader({ alg: 'ES256', kid: 'own' })
      .sign(privateKey);
    const result = await receivePlaidWebhook(
      { db: h.db, getKey: async () => jwk, send: h.deps.send, log: silentLog },
      { rawBody: body, headers: new Headers({ 'plaid-verification': jwt }) },
    );
    expect(result).toMatchObject({ status: 400 });
  });
});
