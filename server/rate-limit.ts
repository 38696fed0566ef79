import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rateLimitHits } from '../db/schema';
import { AppError } from './errors';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Windows older than this are deleted (no limit here spans more than an hour). */
const KEEP_WINDOWS_MS = 24 * 60 * 60_000;
/** This process prunes at most this often; any instance doing it is enough. */
const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;

/**
 * Counts one hit for `key` in the current fixed window, in Postgres (or PGlite), so every app
 * instance counts into the same row: one `insert … on conflict do update … returning` is atomic,
 * and two instances racing for the last slot cannot both get it. Returns the hits so far in the
 * window (this one included) and when the window ends. A fixed window can let up to twice the
 * limit through around a window's edge; for these limits (abuse brakes, not quotas) that is fine.
 */
export async function countHit(db: Db, key: string, rule: RateLimit, now = new Date()) {
  const windowStart = new Date(Math.floor(now.getTime() / rule.windowMs) * rule.windowMs);
  const [row] = await db
    .insert(rateLimitHits)
    .values({ key, windowStart, hits: 1 })
    .onConflictDoUpdate({ target: [rateLimitHits.key, rateLimitHits.windowStart], set: { hits: sql`${rateLimitHits.hits} + 1` } })
    .returning({ hits: rateLimitHits.hits });
  if (row!.hits === 1 && now.getTime() - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = now.getTime();
    await pruneRateLimits(db, new Date(now.getTime() - KEEP_WINDOWS_MS));
  }
  return { hits: row!.hits, resetAt: new Date(windowStart.getTime() + rule.windowMs) };
}

/** Deletes the windows that started before `before`. */
export async function pruneRateLimits(db: Db, before: Date): Promise<number> {
  const gone = await db.delete(rateLimitHits).where(lt(rateLimitHits.windowStart, before)).returning({ key: rateLimitHits.key });
  return gone.length;
}

/** Retry-after in whole seconds (at least one) until `resetAt`. */
export const secondsUntil = (resetAt: Date, now = new Date()) => Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));

/**
 * Counts a hit for `key`, or throws TOO_MANY_REQUESTS (with when to come back) once the window
 * is full. Shared by all instances on one database (countHit).
 */
export async function takeRateLimit(db: Db, key: string, rule: RateLimit, what: string, now = new Date()): Promise<void> {
  const { hits, resetAt } = await countHit(db, key, rule, now);
  if (hits <= rule.limit) return;
  const retryAfterSeconds = secondsUntil(resetAt, now);
  throw new AppError('TOO_MANY_REQUESTS', `Too many ${what}; try again in ${retryAfterSeconds}s`, {
    retryAfterSeconds,
    displayMessage: 'You are doing that too often. Please wait a moment and try again.',
  });
}
