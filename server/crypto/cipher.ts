import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (access tokens, account and routing numbers).
 * Ciphertext: `v1.<keyId>.<iv>.<tag>.<data>`, base64url parts; the key id lets a rotation find
 * what is still under an old key, and lets old ciphertexts decrypt until they are rotated.
 */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  active: EncryptionKey;
  byId: Map<string, EncryptionKey>;
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

export function createKeyring(keys: EncryptionKey[]): Keyring {
  const [active] = keys;
  if (!active) throw new Error('A keyring needs at least one key');
  for (const k of keys) if (k.key.length !== 32) throw new Error(`Key ${k.id} is not 32 bytes`);
  return { active, byId: new Map(keys.map((k) => [k.id, k])) };
}

const VERSION = 'v1';

export function encrypt(keyring: Keyring, plaintext: string): string {
  const { id, key } = keyring.active;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}.${id}`));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/** Decrypts or throws DecryptionError: a tampered, truncated or unknown-key value never yields text. */
export function decrypt(keyring: Keyring, ciphertext: string): string {
  const parts = ciphertext.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptionError('Not a Tributary ciphertext');
  const [version, id, iv, tag, data] = parts as [string, string, string, string, string];
  const entry = keyring.byId.get(id);
  if (!entry) throw new DecryptionError(`No encryption key with id "${id}"`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${version}.${id}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('Ciphertext failed authentication (tampered or wrong key)');
  }
}

export function keyIdOf(ciphertext: string): string | undefined {
  const parts = ciphertext.split('.');
  return parts[0] === VERSION ? parts[1] : undefined;
}
