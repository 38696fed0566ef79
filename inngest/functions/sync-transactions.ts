import type { Inngest, TimeStr } from 'inngest';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { failFastUnlessRetriable } from '../../server/sync/step-errors';
import { syncItemTransactions } from '../../server/sync/sync-item';
import { openSyncRun } from '../../server/sync/sync-runs';
import { getItem } from '../../server/items/item-access';
import { env } from '../../server/env';
import { inngest } from '../client';
import { itemSyncRequested, streamsPublishRequested } from '../../server/events';

export interface SyncFunctionOptions {
  /** Quiet time that coalesces a burst of requests for one item into one run (default 5s). */
  debounce?: TimeStr;
  pageSize?: number;
  /** Syncs running at once across all items (default SYNC_CONCURRENCY). */
  concurrency?: number;
}

/**
 * item/sync.requested → the item's transactions sync. One run per item at a time: the concurrency
 * key is env-scoped on the item id, shared with remine-item and refresh-accounts, so a re-mine never
 * runs alongside a sync of the same item. Webhook bursts are debounced per item. A failed attempt
 * retries with backoff and resumes from the last committed page. A function-wide cap
 * (SYNC_CONCURRENCY) bounds the syncs running at once: each is CPU on our side (a page's JSON and
 * one big statement) and write load on Postgres, so more than the machine can feed only adds memory.
 */
export function createSyncTransactions(client: Inngest.Any, context: ResolveJobContext = processJobContext, o: SyncFunctionOptions = {}) {
  return client.createFunction(
    {
      id: 'sync-transactions',
      triggers: [itemSyncRequested],
      retries: 5,
      concurrency: [{ scope: 'env', key: 'event.data.itemId', limit: 1 }, { limit: o.concurrency ?? env().SYNC_CONCURRENCY }],
      debounce: { key: 'event.data.itemId', period: o.debounce ?? '5s', timeout: '1m' },
    },
    async ({ event, step, attempt, maxAttempts }) => {
      const { db, deps, log } = context();
      const { itemId, trigger } = event.data;
      // The run row is made once and memoized, so every retry reports into the same row.
      const runId = await step.run('open-sync-run', () =>
        failFastUnlessRetriable(async () => {
          const item = await getItem(db, itemId);
          return item.status === 'REMOVED' || item.status === 'REVOKED' ? null : openSyncRun(db, { itemId, trigger: trigger ?? null });
        }),
      );
      if (!runId) return { status: 'SKIPPED' as const, itemId };
      const result = await step.run('sync-pages', () =>
        failFastUnlessRetriable(() =>
          syncItemTransactions(db, deps, { itemId, runId, trigger, pageSize: o.pageSize, lastAttempt: attempt + 1 >= (maxAttempts ?? 6) }, log),
        ),
      );
      if (result.status === 'SUCCEEDED' && result.records > 0) {
        await step.sendEvent('request-publish', streamsPublishRequested.create({ itemId }));
      }
      return result;
    },
  );
}

export const syncTransactions = createSyncTransactions(inngest);
