import { randomBytes } from 'node:crypto';

/**
 * Time-sortable ids (like monotonic ULIDs): 10 base-32 chars of milliseconds, then 16 of
 * randomness that count up within one millisecond, so ids made by one process sort in order.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
let lastRandom: number[] = [];

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]! += 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

export function newId(now = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = increment(lastRandom);
  } else {
    lastTime = now;
    lastRandom = [...randomBytes(16)].map((b) => b % 32);
    lastRandom[0] = lastRandom[0]! % 16; // headroom so counting up never wraps
  }
  let time = '';
  let t = lastTime;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + lastRandom.map((d) => alphabet[d]).join('');
}
