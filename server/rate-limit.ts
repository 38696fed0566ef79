import { AppError } from './errors';

/**
 * A sliding-window limiter kept in this process's memory. Good for one instance; with several
 * app instances each enforces its own window (docs/SCALING.md says how to move it to Postgres).
 */
export function createRateLimiter(opts: { limit: number; windowMs: number; now?: () => number }) {
  const hits = new Map<string, number[]>();
  const now = opts.now ?? Date.now;
  return {
    /** Counts a hit for `key`, or throws TOO_MANY_REQUESTS when the window is full. */
    take(key: string, what: string) {
      const t = now();
      const recent = (hits.get(key) ?? []).filter((at) => t - at < opts.windowMs);
      if (recent.length >= opts.limit) {
        const retryAfterSeconds = Math.ceil((opts.windowMs - (t - recent[0]!)) / 1000);
        throw new AppError('TOO_MANY_REQUESTS', `Too many ${what}; try again in ${retryAfterSeconds}s`, {
          retryAfterSeconds,
          displayMessage: 'You are doing that too often. Please wait a moment and try again.',
        });
      }
      recent.push(t);
      hits.set(key, recent);
    },
  };
}
