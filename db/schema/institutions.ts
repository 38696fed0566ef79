import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const institutionHealth = ['HEALTHY', 'DEGRADED', 'DOWN', 'UNKNOWN'] as const;

export const institutions = pgTable('institutions', {
  id: text('id').primaryKey(), // Plaid institution_id
  name: text('name').notNull(),
  logo: text('logo'), // base64 PNG as Plaid serves it
  primaryColor: text('primary_color'),
  url: text('url'),
  products: text('products').array().notNull().default([]),
  countryCodes: text('country_codes').array().notNull().default([]),
  oauth: text('oauth'),
  health: text('health', { enum: institutionHealth }).notNull().default('UNKNOWN'),
  status: jsonb('status'), // Plaid's per-product status object
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
});
