import type { Inngest } from 'inngest';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { storeFreshnessWebhooks } from '../../server/webhooks/handle/synthetic';
import { inngest } from '../client';
import { plaidWebhookReceived, userSignedIn } from '../../server/events';

/**
 * user/signed-in → for each of the person's stale items, a stored synthetic DEFAULT_UPDATE routed
 * like any webhook (plaid/webhook.received). A row stored but never sent (a crash between the
 * steps) stays RECEIVED and the webhook sweep sends it.
 */
export function createLoginFreshness(client: Inngest.Any, context: ResolveJobContext = processJobContext) {
  return client.createFunction(
    {
      id: 'login-freshness',
      retries: 3,
      triggers: [userSignedIn],
      concurrency: [{ key: 'event.data.userId', limit: 1 }],
    },
    async ({ event, step }) => {
      const webhookIds = await step.run('store-synthetic-webhooks', () => {
        const { db, deps, settings } = context();
        return storeFreshnessWebhooks(db, {
          userId: event.data.userId,
          thresholdHours: settings.freshnessThresholdHours,
          environment: deps.config.plaidEnv === 'production' ? 'production' : 'sandbox',
        });
      });
      if (webhookIds.length > 0) {
        await step.sendEvent(
          'route-synthetic-webhooks',
          webhookIds.map((webhookId) => plaidWebhookReceived.create({ webhookId }, { id: `webhook-${webhookId}` })),
        );
      }
      return { webhookIds };
    },
  );
}

export const loginFreshness = createLoginFreshness(inngest);
