import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Fixed-window hit counters shared by every app instance (server/rate-limit.ts): one row per key
 * and window, bumped by one atomic upsert. Old windows are pruned by the limiter itself.
 */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    /** What is limited and for whom, e.g. `link-token:<user id>`, `sign-in:<ip>`. Never a secret. */
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limit_hits_window_idx').on(t.windowStart)],
);
