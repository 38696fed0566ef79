import type { Inngest } from 'inngest';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { findStuckWebhooks, markQueued } from '../../server/webhooks/handle/synthetic';
import { inngest } from '../client';
import { plaidWebhookReceived } from '../../server/events';

/** A webhook still RECEIVED after this long was never handed on (a failed send, a crash). */
export const STUCK_AFTER_MS = 60_000;

/**
 * Every two minutes: re-send plaid/webhook.received for stored webhooks stuck in RECEIVED, then
 * mark them QUEUED so the next sweep does not send them again. Handling is idempotent, so a
 * webhook whose first send did arrive after all is harmless.
 */
export function createSweepWebhooks(client: Inngest.Any, context: ResolveJobContext = processJobContext) {
  return client.createFunction(
    { id: 'sweep-webhooks', retries: 2, triggers: [{ cron: '*/2 * * * *' }], concurrency: [{ limit: 1 }] },
    async ({ step }) => {
      const webhookIds = await step.run('find-stuck-webhooks', () => findStuckWebhooks(context().db, { olderThanMs: STUCK_AFTER_MS }));
      if (webhookIds.length === 0) return { requeued: 0 };
      await step.sendEvent(
        'requeue-webhooks',
        webhookIds.map((webhookId) => plaidWebhookReceived.create({ webhookId })),
      );
      await step.run('mark-queued', () => markQueued(context().db, webhookIds));
      return { requeued: webhookIds.length };
    },
  );
}

export const sweepWebhooks = createSweepWebhooks(inngest);
