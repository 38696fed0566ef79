import { randomBytes } from 'node:crypto';

/** Time-sortable ids (like ULIDs): 10 base-32 chars of milliseconds, 16 of randomness. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (const b of bytes) random += alphabet[b % 32];
  return time + random;
}
