import { eventType } from 'inngest';
import { z } from 'zod';

/**
 * Every event the app sends or triggers on, typed with zod (no transforms: Inngest validates
 * the schema at `send` time, and functions receive the data as sent). Add new events here:
 * `export const thingHappened = eventType('domain/noun.past-verb', { schema: z.object({...}) })`,
 * then trigger on it with `triggers: [thingHappened]` and send with `inngest.send(thingHappened.create(data))`.
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
