import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../env';

/** BETTER_AUTH_SECRET, or — in the embedded default only — one generated once into DATA_DIR. */
export function authSecret(e: Env): string {
  if (e.BETTER_AUTH_SECRET) return e.BETTER_AUTH_SECRET;
  if (!e.embedded) throw new Error('BETTER_AUTH_SECRET is required outside the embedded default');
  const file = path.resolve(e.DATA_DIR, 'auth.secret');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
