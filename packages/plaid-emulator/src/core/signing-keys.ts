import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { JWKPublicKey } from 'plaid';
import type { Ctx } from './context';
import type { SigningKeyRecord } from './state';

/**
 * Webhook signing keys (ES256 / P-256). The newest unexpired key signs; rotated keys stay
 * servable with `expired_at` set, as Plaid's /webhook_verification_key/get does.
 */
const privateKeys = new WeakMap<SigningKeyRecord, KeyObject>();

function newKey(ctx: Ctx): SigningKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pub = publicKey.export({ format: 'jwk' });
  return {
    kid: randomUUID(),
    privateJwk: privateKey.export({ format: 'jwk' }) as Record<string, unknown>,
    publicJwk: { kty: String(pub.kty), crv: String(pub.crv), x: String(pub.x), y: String(pub.y) },
    createdAt: Math.floor(ctx.nowMs() / 1000),
    expiredAt: null,
  };
}

export function currentSigningKey(ctx: Ctx): { kid: string; key: KeyObject } {
  let rec = ctx.state.signingKeys.find((k) => k.expiredAt === null);
  if (!rec) {
    rec = newKey(ctx);
    ctx.state.signingKeys.push(rec);
    ctx.changed();
  }
  let key = privateKeys.get(rec);
  if (!key) {
    key = createPrivateKey({ key: rec.privateJwk as never, format: 'jwk' });
    privateKeys.set(rec, key);
  }
  return { kid: rec.kid, key };
}

/** Expires the signing key in use and makes a new one; returns both kids. */
export function rotateSigningKey(ctx: Ctx): { oldKid: string; newKid: string } {
  const old = currentSigningKey(ctx).kid;
  for (const k of ctx.state.signingKeys) if (k.expiredAt === null) k.expiredAt = Math.floor(ctx.nowMs() / 1000);
  const rec = newKey(ctx);
  ctx.state.signingKeys.push(rec);
  ctx.changed();
  return { oldKid: old, newKid: rec.kid };
}

export function publicKeyFor(ctx: Ctx, kid: string): JWKPublicKey | null {
  const rec = ctx.state.signingKeys.find((k) => k.kid === kid);
  if (!rec) return null;
  return { alg: 'ES256', use: 'sig', kid: rec.kid, ...rec.publicJwk, created_at: rec.createdAt, expired_at: rec.expiredAt };
}
