import { type Inngest, NonRetriableError } from 'inngest';
import { track } from '../../server/analytics/track';
import {
  applyStoredWebhook,
  markWebhookFailed,
  WebhookNotFoundError,
} from '../../server/webhooks/handle/handle-stored-webhook';
import { refreshAuthNumbers } from '../../server/accounts/auth-update';
import { statusChangedEvent } from '../../server/items/item-status';
import { failFastUnlessRetriable } from '../../server/sync/step-errors';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { inngest } from '../client';
import { itemNewAccountsAvailable, itemSyncRequested, plaidWebhookReceived } from '../../server/events';

/**
 * plaid/webhook.received → route the stored webhook (server/webhooks/handle). The database change
 * and the webhook's final state commit together in the first step; analytics and the sync request
 * follow as their own steps, each keyed so a retry or a second delivery repeats nothing.
 */
export function createHandlePlaidWebhook(client: Inngest.Any, context: ResolveJobContext = processJobContext) {
  return client.createFunction(
    {
      id: 'handle-plaid-webhook',
      retries: 5,
      triggers: [plaidWebhookReceived],
      onFailure: async ({ event, error }) => {
        const { db } = context();
        await markWebhookFailed(db, event.data.event.data.webhookId, error.message);
      },
    },
    async ({ event, step }) => {
      const { webhookId } = event.data;
      const outcome = await step.run('apply-webhook', async () => {
        const { db, log } = context();
        try {
          return await applyStoredWebhook(db, webhookId, log);
        } catch (err) {
          if (err instanceof WebhookNotFoundError) throw new NonRetriableError(err.message);
          throw err;
        }
      });
      const { analytics, syncItemId, statusChange, newAccounts, authNumbers } = outcome.followUps;
      if (statusChange) await step.sendEvent('announce-status', statusChangedEvent(statusChange));
      if (analytics.length > 0) {
        await step.run('track-analytics', async () => {
          const { db, analytics: sink } = context();
          for (const e of analytics) await track(db, e, sink);
        });
      }
      if (syncItemId) {
        await step.sendEvent(
          'request-sync',
          itemSyncRequested.create({ itemId: syncItemId, trigger: 'webhook' }, { id: `sync-for-webhook-${webhookId}` }),
        );
      }
      if (newAccounts) {
        await step.sendEvent(
          'notify-new-accounts',
          itemNewAccountsAvailable.create({ ...newAccounts, at: new Date().toISOString() }, { id: `new-accounts-for-webhook-${webhookId}` }),
        );
      }
      if (authNumbers) {
        await step.run('refresh-auth-numbers', () => {
          const { db, deps, log } = context();
          return failFastUnlessRetriable(() => refreshAuthNumbers(db, deps, authNumbers, log));
        });
      }
      return { webhookId, state: outcome.state, note: outcome.note, alreadyHandled: outcome.alreadyHandled };
    },
  );
}

export const handlePlaidWebhook = createHandlePlaidWebhook(inngest);
