import { eventType } from 'inngest';
import { z } from 'zod';
import { activeTraceCarrier } from './telemetry/spans';

/**
 * Every event the app sends or triggers on, typed with zod (no transforms: Inngest validates
 * the schema at `send` time, and functions receive the data as sent). Domain code sends with
 * `deps.send([appEvent(itemSyncRequested, { itemId, trigger: 'link' })])`: the data is parsed
 * here, so a bad payload fails where it is made, not in a function run later. Add new events
 * here: a schema, an `eventType`, and an entry in `appEventTypes`.
 */

/** Run the transactions sync for one item (coalesced per item by the sync function's debounce). */
export const itemSyncRequested = eventType('item/sync.requested', {
  schema: z.object({
    itemId: z.string().min(1),
    /** Why: 'webhook', 'link', 'manual', 'freshness', ... (for logs and sync_runs). */
    trigger: z.string().optional(),
  }),
});

/** A Plaid webhook was verified and stored in plaid_webhooks; handle it by id (the body stays in the database). */
export const plaidWebhookReceived = eventType('plaid/webhook.received', {
  schema: z.object({ webhookId: z.string().min(1) }),
});

/** A person signed in (sent by the better-auth session hook): checks the freshness of their items. */
export const userSignedIn = eventType('user/signed-in', {
  schema: z.object({ userId: z.string().min(1) }),
});

/** Refresh institutions (health, logos, catalogue) now, besides the cron schedule. */
export const institutionsPollRequested = eventType('institutions/poll.requested', {
  schema: z.object({ reason: z.string().optional() }),
});

/** Refresh an item's accounts and cached balances (/accounts/get). */
export const itemAccountsRefreshRequested = eventType('item/accounts.refresh-requested', {
  schema: z.object({ itemId: z.string().min(1) }),
});

/** Re-mine an item (queued by items.remine with its sync_runs row): accounts, then every transaction again. */
export const itemRemineRequested = eventType('item/remine.requested', {
  schema: z.object({ itemId: z.string().min(1), runId: z.string().min(1) }),
});

/** Drain the stream outbox to Kinesis now (sent after each sync; a cron sweeps too). */
export const streamsPublishRequested = eventType('streams/publish.requested', {
  schema: z.object({ itemId: z.string().optional() }),
});

/** Move every live item's webhook to the app's current URL (sent at boot; see webhook-migration.ts). */
export const itemWebhooksMigrationRequested = eventType('items/webhook-migration.requested', {
  schema: z.object({ webhookUrl: z.string().min(1) }),
});

/**
 * An item's status changed (sent by the lifecycle, server/items/lifecycle.ts, after the change is
 * committed): `reason` is the Plaid error or webhook code that caused it (null for a repair or a
 * removal by the user). Notifications and anything else that follows an item's health listen here;
 * `id` is `status:<itemId>:<to>:<at>`, so a retried send is one event.
 */
export const itemStatusChanged = eventType('item/status.changed', {
  schema: z.object({
    itemId: z.string().min(1),
    userId: z.string().min(1),
    from: z.enum(['ACTIVE', 'ERROR', 'PENDING_DISCONNECT', 'REVOKED', 'REMOVED']),
    to: z.enum(['ACTIVE', 'ERROR', 'PENDING_DISCONNECT', 'REVOKED', 'REMOVED']),
    reason: z.string().nullable(),
    /** ISO time of the change. */
    at: z.string().min(1),
  }),
});

/**
 * Plaid said an item has new accounts the person can share (NEW_ACCOUNTS_AVAILABLE; sent as a
 * follow-up of that webhook, server/webhooks/handle/decide.ts): not a status change, but worth an email.
 */
export const itemNewAccountsAvailable = eventType('item/new-accounts.available', {
  schema: z.object({ itemId: z.string().min(1), userId: z.string().min(1), at: z.string().min(1) }),
});

/** Every event type the app knows; `AppEvent` is the union of their payloads. */
export const appEventTypes = [
  itemSyncRequested,
  plaidWebhookReceived,
  userSignedIn,
  institutionsPollRequested,
  itemAccountsRefreshRequested,
  itemRemineRequested,
  streamsPublishRequested,
  itemWebhooksMigrationRequested,
  itemStatusChanged,
  itemNewAccountsAvailable,
] as const;

type AppEventType = (typeof appEventTypes)[number];
type EventOf<T> = T extends { name: infer N; schema: infer S extends z.ZodType } ? { name: N; data: z.output<S>; id?: string } : never;

/** One event the app sends: a known name with the data its schema parses. */
export type AppEvent = EventOf<AppEventType>;

/**
 * Makes an event, parsing its data with the event's schema (throws a ZodError on bad data).
 * `id` makes a repeat a no-op in Inngest and the embedded runner (one run per event id).
 */
export function appEvent<T extends AppEventType>(type: T, data: EventOf<T>['data'], options: { id?: string } = {}): EventOf<T> {
  const parsed = (type.schema as z.ZodType).parse(data) as object;
  // The trace this event continues (a webhook's, say), as W3C fields beside the data: the
  // functions' spans hang under it (inngest/tracing.ts). Nothing is added when nothing is traced.
  return { name: type.name, data: { ...parsed, ...activeTraceCarrier() }, ...(options.id ? { id: options.id } : {}) } as EventOf<T>;
}
