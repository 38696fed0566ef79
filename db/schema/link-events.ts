import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';

/** Plaid Link onEvent / onExit / onSuccess metadata: the conversion funnel and support's view. */
export const linkEvents = pgTable(
  'link_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    linkSessionId: text('link_session_id'),
    kind: text('kind', { enum: ['event', 'exit', 'success'] }).notNull(),
    eventName: text('event_name'),
    institutionId: text('institution_id'),
    errorCode: text('error_code'),
    errorType: text('error_type'),
    exitStatus: text('exit_status'),
    metadata: jsonb('metadata').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('link_events_user_idx').on(t.userId, t.createdAt.desc()), index('link_events_session_idx').on(t.linkSessionId)],
);
