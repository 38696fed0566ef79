import { APIError, getIp } from 'better-auth/api';
import type { Db } from '../../db/client';
import { countHit, type RateLimit, secondsUntil } from '../rate-limit';

/** The paths a password guesser or a sign-up flood goes through. */
const LIMITED_PATHS = ['/sign-in/email', '/sign-up/email'];

/**
 * Per client IP and minute, in Postgres (server/rate-limit.ts), so every app instance counts into
 * one window: slows password guessing without locking the account owner out (the per-account
 * lockout covers guessing from many addresses). Throws better-auth's 429 with when to come back.
 */
export async function limitSignInsByIp(
  db: Db,
  rule: RateLimit,
  ctx: { path: string; request?: Request; headers?: Headers; context: { options: Parameters<typeof getIp>[1] } },
): Promise<void> {
  if (!LIMITED_PATHS.includes(ctx.path)) return;
  const source = ctx.request ?? ctx.headers;
  const ip = (source && getIp(source, ctx.context.options)) ?? 'unknown';
  const { hits, resetAt } = await countHit(db, `sign-in:${ip}`, rule);
  if (hits <= rule.limit) return;
  const seconds = secondsUntil(resetAt);
  throw new APIError('TOO_MANY_REQUESTS', { message: `Too many attempts from this network. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.` }, { 'X-Retry-After': String(seconds) });
}
