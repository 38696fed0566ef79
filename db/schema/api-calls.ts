import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One row per Plaid API call: endpoint, item, request id, outcome. Never a token. */
export const plaidApiCalls = pgTable(
  'plaid_api_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpoint: text('endpoint').notNull(),
    itemId: uuid('item_id'),
    requestId: text('request_id'),
    httpStatus: integer('http_status'),
    errorType: text('error_type'),
    errorCode: text('error_code'),
    latencyMs: integer('latency_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('plaid_api_calls_item_idx').on(t.itemId, t.createdAt.desc()),
    // Retention (server/hygiene/retention.ts): calls made before the cut-off.
    index('plaid_api_calls_created_idx').on(t.createdAt),
  ],
);
