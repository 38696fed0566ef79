import { createHash, timingSafeEqual } from 'node:crypto';
import { type CryptoKey, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';

/** A Plaid webhook verification key as /webhook_verification_key/get serves it. */
export interface PlaidWebhookKey extends JWK {
  kid: string;
  created_at?: number;
  expired_at?: number | null;
}

export type FetchKey = (kid: string) => Promise<PlaidWebhookKey>;

export type VerifyResult = { ok: true; kid: string; iat: number } | { ok: false; reason: string };

const MAX_AGE_SECONDS = 5 * 60;

/** Imported public keys, per JWK object: importing costs more than verifying. */
const imported = new WeakMap<PlaidWebhookKey, Promise<CryptoKey | Uint8Array>>();
function importedKey(key: PlaidWebhookKey) {
  let k = imported.get(key);
  if (!k) {
    k = importJWK({ ...key, alg: 'ES256' }, 'ES256');
    imported.set(key, k);
  }
  return k;
}
const KEY_TTL_MS = 60 * 60 * 1000;

/**
 * Per-kid JWK cache in front of /webhook_verification_key/get. Keys are refetched after an hour
 * so one that Plaid has since expired is noticed.
 */
export function createKeyCache(fetchKey: FetchKey, now: () => number = Date.now) {
  const cache = new Map<string, { key: PlaidWebhookKey; fetchedAt: number }>();
  return async (kid: string): Promise<PlaidWebhookKey> => {
    const hit = cache.get(kid);
    if (hit && now() - hit.fetchedAt < KEY_TTL_MS) return hit.key;
    const key = await fetchKey(kid);
    cache.set(kid, { key, fetchedAt: now() });
    return key;
  };
}

/**
 * Verifies a Plaid webhook exactly as Plaid documents it: ES256 only; the key for the JWT's kid,
 * not expired; a valid signature; `iat` no older than five minutes; and the SHA-256 of the raw
 * body bytes equal (in constant time) to the `request_body_sha256` claim.
 */
export async function verifyPlaidWebhook(input: {
  rawBody: Uint8Array;
  signature: string | null;
  getKey: (kid: string) => Promise<PlaidWebhookKey>;
  nowSeconds?: number;
}): Promise<VerifyResult> {
  if (!input.signature) return { ok: false, reason: 'missing Plaid-Verification header' };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(input.signature);
  } catch {
    return { ok: false, reason: 'malformed JWT' };
  }
  if (header.alg !== 'ES256') return { ok: false, reason: `algorithm ${String(header.alg)} is not ES256` };
  if (!header.kid) return { ok: false, reason: 'JWT has no kid' };

  let key: PlaidWebhookKey;
  try {
    key = await input.getKey(header.kid);
  } catch {
    return { ok: false, reason: `unknown key id ${header.kid}` };
  }
  if (key.expired_at) return { ok: false, reason: `key ${header.kid} has expired` };

  let claims: { iat?: unknown; request_body_sha256?: unknown };
  try {
    const publicKey = await importedKey(key);
    ({ payload: claims } = await jwtVerify(input.signature, publicKey, { algorithms: ['ES256'] }));
  } catch {
    return { ok: false, reason: 'bad signature' };
  }

  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (typeof claims.iat !== 'number') return { ok: false, reason: 'JWT has no iat' };
  if (now - claims.iat > MAX_AGE_SECONDS) return { ok: false, reason: 'stale: iat older than 5 minutes' };
  if (claims.iat - now > MAX_AGE_SECONDS) return { ok: false, reason: 'iat is in the future' };

  if (typeof claims.request_body_sha256 !== 'string') return { ok: false, reason: 'JWT has no request_body_sha256' };
  const expected = Buffer.from(claims.request_body_sha256, 'hex');
  const actual = createHash('sha256').update(input.rawBody).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, reason: 'body hash does not match' };
  }
  return { ok: true, kid: header.kid, iat: claims.iat };
}
