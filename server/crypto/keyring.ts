import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Env, env } from '../env';
import { logger } from '../logger';
import { processContainer } from '../process/container';
import { createKeyring, type Keyring } from './cipher';

/**
 * The process keyring: ENCRYPTION_KEYS (first = active) when set. Only in the embedded default
 * may a key be generated, once, into DATA_DIR — with a loud warning, since whoever holds the
 * data directory then holds the key too. Elsewhere env() already refused a missing key.
 */
export function loadKeyring(e: Env = env()): Keyring {
  if (e.encryptionKeys.length > 0) return createKeyring(e.encryptionKeys);
  if (!e.embedded) throw new Error('ENCRYPTION_KEYS is required outside the embedded default');
  const file = path.resolve(e.DATA_DIR, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  const [id, b64] = readFileSync(file, 'utf8').trim().split(':') as [string, string];
  logger().warn(
    { keyFile: file },
    'ENCRYPTION_KEYS is not set: using a locally generated key stored beside the data. Fine for the embedded default; set ENCRYPTION_KEYS anywhere real.',
  );
  return createKeyring([{ id, key: Buffer.from(b64, 'base64') }]);
}

export function keyring(): Keyring {
  const c = processContainer();
  c.keyring ??= loadKeyring();
  return c.keyring;
}
