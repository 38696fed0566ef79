import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createKeyCache, type PlaidWebhookKey, verifyPlaidWebhook } from './webhook-verify';

const body = Buffer.from(JSON.stringify({ webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE', item_id: 'x' }, null, 2));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const now = () => Math.floor(Date.now() / 1000);

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig', created_at: now(), expired_at: null } as PlaidWebhookKey;
  return { jwk, privateKey };
}

async function sign(privateKey: CryptoKey, kid: string, claims: Record<string, unknown>, alg = 'ES256') {
  return new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(privateKey);
}

const unsignedJwt = (header: object, payload: object) =>
  `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

describe('verifyPlaidWebhook', async () => {
  const good = await keyPair('kid-1');
  const keys = new Map([['kid-1', good.jwk]]);
  const getKey = async (kid: string) => {
    const k = keys.get(kid);
    if (!k) throw new Error('unknown');
    return k;
  };

  it('accepts a fresh ES256 signature over the exact body bytes', async () => {
    const jwt = await sign(good.privateKey, 'kid-1', { iat: now(), request_body_sha256: sha(body) });
    expect(await verifyPlaidWebhook({ rawBody: body, signature: jwt, getKey })).toMatchObject({ ok: true, kid: 'kid-1' });
  });

  it('rejects a body whose hash does not match (even re-serialised JSON)', async () => {
    const jwt = await sign(good.privateKey, 'kid-1', { iat: now(), request_body_sha256: sha(body) });
    const compact = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(await verifyPlaidWebhook({ rawBody: compact, signature: jwt, getKey })).toEqual({ ok: false, reason: 'body hash does not match' });
  });

  it('rejects a missing header, garbage, alg none and HS256', async () => {
    expect((await verifyPlaidWebhook({ rawBody: body, signature: null, getKey })).ok).toBe(false);
    expect(await verifyPlaidWebhook({ rawBody: body, signature: 'not.a.jwt', getKey })).toMatchObject({ ok: false });
    const none = unsignedJwt({ alg: 'none', kid: 'kid-1' }, { iat: now(), request_body_sha256: sha(body) });
    expect(await verifyPlaidWebhook({ rawBody: body, signature: none, getKey })).toMatchObject({ ok: false, reason: expect.stringMatching(/not ES256/) });
    const hs = await new SignJWT({ iat: now(), request_body_sha256: sha(body) })
      .setProtectedHeader({ alg: 'HS256', kid: 'kid-1' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await verifyPlaidWebhook({ rawBody: body, signature: hs, getKey })).toMatchObject({ ok: false, reason: expect.stringMatching(/not ES256/) });
  });

  it('rejects a forged signature from another key under a known kid', async () => {
    const forger = await keyPair('kid-1');
    const jwt = await sign(forger.privateKey, 'kid-1', { iat: now(), request_body_sha256: sha(body) });
    expect(await verifyPlaidWebhook({ rawBody: body, signature: jwt, getKey })).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('rejects an unknown kid and an expired key', async () => {
    const other = await keyPair('kid-x');
    const jwt = await sign(other.privateKey, 'kid-x', { iat: now(), request_body_sha256: sha(body) });
    expect(await verifyPlaidWebhook({ rawBody: body, signature: jwt, getKey })).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown key/) });
    const expired = await keyPair('kid-old');
    keys.set('kid-old', { ...expired.jwk, expired_at: now() - 10 });
    const old = await sign(expired.privateKey, 'kid-old', { iat: now(), request_body_sha256: sha(body) });
    expect(await verifyPlaidWebhook({ rawBody: body, signature: old, getKey })).toMatchObject({ ok: false, reason: expect.stringMatching(/expired/) });
  });

  it('rejects an iat older than five minutes or far in the future', async () => {
    const stale = await sign(good.privateKey, 'kid-1', { iat: now() - 301, request_body_sha256: sha(body) });
    expect(await verifyPlaidWebhook({ rawBody: body, signature: stale, getKey })).toMatchObject({ ok: false, reason: expect.stringMatching(/stale/) });
    const future = await sign(good.privateKey, 'kid-1', { iat: now() + 3600, request_body_sha256: sha(body) });
    expect((await verifyPlaidWebhook({ rawBody: body, signature: future, getKey })).ok).toBe(false);
  });
});

describe('createKeyCache', () => {
  it('fetches each kid once, and again after an hour', async () => {
    let t = 0;
    const fetched: string[] = [];
    const cache = createKeyCache(async (kid) => {
      fetched.push(kid);
      return { kid, kty: 'EC' } as PlaidWebhookKey;
    }, () => t);
    await cache('a');
    await cache('a');
    await cache('b');
    expect(fetched).toEqual(['a', 'b']);
    t += 61 * 60 * 1000;
    await cache('a');
    expect(fetched).toEqual(['a', 'b', 'a']);
  });
});
