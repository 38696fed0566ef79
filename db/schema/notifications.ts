import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { plaidItems } from './items';

export const notificationStatuses = ['pending', 'sent', 'failed', 'bounced', 'skipped'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

/**
 * One row per notification of one item (a digest email is several rows sharing `message_key`).
 * `idempotency_key` names the notification (item, problem, round): a retried or crashed send finds
 * its row and never makes a second one. `opened_at` is set when the person follows the email's button.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idempotencyKey: text('idempotency_key').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    itemId: uuid('item_id').references(() => plaidItems.id),
    /** kinds.ts: login_required, pending_expiration, pending_disconnect, permission_revoked, institution_unsupported, new_accounts, reconnected. */
    kind: text('kind').notNull(),
    /** The problem this notification is about (`<status>:<reason>:<since>`); reminders of one problem share it. */
    problemKey: text('problem_key'),
    /** 0 = the first mail, 1.. = reminders. */
    round: integer('round').notNull().default(0),
    /** The email this notification went out in (several items in one digest share it). */
    messageKey: text('message_key').notNull(),
    status: text('status', { enum: notificationStatuses }).notNull().default('pending'),
    subject: text('subject'),
    smtpMessageId: text('smtp_message_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    /** When the problem ended (repaired, removed): an answered or moot notification. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notifications_idempotency_key_idx').on(t.idempotencyKey),
    index('notifications_user_created_idx').on(t.userId, t.createdAt.desc()),
    index('notifications_item_idx').on(t.itemId),
    index('notifications_message_key_idx').on(t.messageKey),
  ],
);

/** A person's email choices. No row = the defaults (item alerts on). */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  itemAlertsEmail: boolean('item_alerts_email').notNull().default(true),
  unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The single-purpose links in emails: the URL carries a signed token naming this row; the row
 * makes it usable once (`used_at`).
 */
export const notificationLinks = pgTable('notification_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  notificationId: uuid('notification_id')
    .notNull()
    .references(() => notifications.id),
  userId: text('user_id').notNull(),
  itemId: uuid('item_id').notNull(),
  purpose: text('purpose', { enum: ['update_mode', 'link_again', 'link_another_bank'] }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
