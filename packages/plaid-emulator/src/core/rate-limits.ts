import type { Ctx } from './context';
import { RATE_LIMIT_CODES, plaidError } from './errors';

/** Sandbox per-item per-minute limits of PLAID.md; a sliding one-minute window per item+endpoint. */
export const RATE_LIMITS: Record<string, number> = {
  '/transactions/sync': 50,
  '/transactions/get': 80,
  '/transactions/refresh': 2,
  '/accounts/balance/get': 25,
  '/accounts/get': 100,
  '/item/get': 40,
  '/auth/get': 100,
  '/identity/get': 100,
};

const WINDOW_MS = 60_000;

export function checkRateLimit(ctx: Ctx, itemId: string, endpoint: string): void {
  const limit = RATE_LIMITS[endpoint];
  if (!ctx.opts.rateLimits || limit === undefined) return;
  const key = `${itemId}${endpoint}`;
  const now = ctx.nowMs();
  const hits = (ctx.rateWindows.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
  if (hits.length >= limit) {
    ctx.rateWindows.set(key, hits);
    throw plaidError(RATE_LIMIT_CODES[endpoint] ?? 'RATE_LIMIT', `limit of ${limit} requests per minute per item`);
  }
  hits.push(now);
  ctx.rateWindows.set(key, hits);
}
