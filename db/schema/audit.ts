import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every support action and automated removal: who, what, on which subject, and why. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actorId: text('actor_id'), // null for the system itself
    actorKind: text('actor_kind', { enum: ['user', 'support', 'service', 'system'] }).notNull(),
    action: text('action').notNull(),
    subjectUserId: text('subject_user_id'),
    itemId: uuid('item_id'),
    reason: text('reason'),
    details: jsonb('details'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt.desc()), index('audit_log_subject_idx').on(t.subjectUserId)],
);
