import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyring, DecryptionError, decrypt, encrypt, keyIdOf } from './cipher';

const ring = createKeyring([{ id: 'k1', key: randomBytes(32) }]);
const secret = 'access-sandbox-8ab976e6-64bc-4b38-98f7-731e7a349970';

describe('AES-256-GCM cipher', () => {
  it('round-trips and never contains the plaintext', () => {
    const sealed = encrypt(ring, secret);
    expect(sealed).not.toContain(secret);
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(keyIdOf(sealed)).toBe('k1');
    expect(decrypt(ring, sealed)).toBe(secret);
  });

  it('uses a fresh IV each time', () => {
    expect(encrypt(ring, secret)).not.toBe(encrypt(ring, secret));
  });

  it('fails loudly on a tampered ciphertext', () => {
    const sealed = encrypt(ring, secret);
    const parts = sealed.split('.');
    const data = Buffer.from(parts[4]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[4] = data.toString('base64url');
    expect(() => decrypt(ring, parts.join('.'))).toThrow(DecryptionError);
  });

  it('fails when the key id is swapped (the id is authenticated)', () => {
    const twoKeys = createKeyring([
      { id: 'k1', key: ring.active.key },
      { id: 'k2', key: ring.active.key },
    ]);
    const sealed = encrypt(twoKeys, secret).replace('v1.k1.', 'v1.k2.');
    expect(() => decrypt(twoKeys, sealed)).toThrow(DecryptionError);
  });

  it('fails on an unknown key id and on garbage', () => {
    const other = createKeyring([{ id: 'k9', key: randomBytes(32) }]);
    expect(() => decrypt(ring, encrypt(other, secret))).toThrow(/No encryption key with id "k9"/);
    expect(() => decrypt(ring, 'plain-text')).toThrow(DecryptionError);
  });

  it('decrypts values sealed under an older key that is still listed', () => {
    const oldRing = createKeyring([{ id: 'old', key: randomBytes(32) }]);
    const sealed = encrypt(oldRing, secret);
    const rotated = createKeyring([{ id: 'new', key: randomBytes(32) }, oldRing.active]);
    expect(decrypt(rotated, sealed)).toBe(secret);
    expect(keyIdOf(encrypt(rotated, secret))).toBe('new');
  });
});
