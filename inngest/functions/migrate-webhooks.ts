import type { Inngest } from 'inngest';
import { itemWebhooksMigrationRequested } from '../../server/events';
import { itemsWithStaleWebhook, moveItemWebhook } from '../../server/items/webhook-migration';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { inngest } from '../client';

/** Items moved per step: a step stays short, and Plaid is called one item at a time. */
const BATCH = 50;

/**
 * items/webhook-migration.requested (sent at boot with the current URL) → every live item whose
 * stored webhook differs is moved with /item/webhook/update, a batch per step. One run at a time;
 * an item Plaid refuses is left for the next boot. A request for another URL than the process's
 * own is stale (an older deployment's) and does nothing.
 */
export function createMigrateWebhooks(client: Inngest.Any, context: ResolveJobContext = processJobContext) {
  return client.createFunction(
    { id: 'migrate-webhooks', retries: 3, triggers: [itemWebhooksMigrationRequested], concurrency: [{ limit: 1 }] },
    async ({ event, step }) => {
      let moved = 0;
      let failed = 0;
      for (let batch = 0; ; batch++) {
        const r = await step.run(`move-batch-${batch}`, async () => {
          const { db, deps, log } = context();
          if (deps.config.webhookUrl !== event.data.webhookUrl) return { moved: 0, failed: 0, more: false, stale: true };
          const items = await itemsWithStaleWebhook(db, deps.config.webhookUrl, BATCH + failed);
          const todo = items.slice(failed); // those Plaid refused earlier in this run stay first in the list
          const out = { moved: 0, failed: 0, more: items.length === BATCH + failed, stale: false };
          for (const item of todo) out[await moveItemWebhook(db, deps, item, log)]++;
          return out;
        });
        moved += r.moved;
        failed += r.failed;
        if (r.stale || !r.more || r.moved === 0) return { moved, failed, stale: r.stale };
      }
    },
  );
}

export const migrateWebhooks = createMigrateWebhooks(inngest);
