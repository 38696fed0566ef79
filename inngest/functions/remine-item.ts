import type { Inngest } from 'inngest';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { remineAccounts, remineTransactions } from '../../server/sync/remine';
import { failFastUnlessRetriable } from '../../server/sync/step-errors';
import { inngest } from '../client';
import { itemRemineRequested, streamsPublishRequested } from '../../server/events';

/**
 * item/remine.requested (queued by items.remine with its sync_runs row) → accounts, then every
 * transaction again from an empty cursor, reconciling what Plaid no longer returns. It shares the
 * env-scoped per-item concurrency key with sync-transactions, so it never overlaps a sync of the item.
 */
export function createRemineItem(client: Inngest.Any, context: ResolveJobContext = processJobContext, o: { pageSize?: number } = {}) {
  return client.createFunction(
    {
      id: 'remine-item',
      triggers: [itemRemineRequested],
      retries: 5,
      concurrency: [{ scope: 'env', key: 'event.data.itemId', limit: 1 }],
    },
    async ({ event, step, attempt, maxAttempts }) => {
      const { db, deps, log } = context();
      const input = { ...event.data, pageSize: o.pageSize, lastAttempt: attempt + 1 >= (maxAttempts ?? 6) };
      const accounts = await step.run('remine-accounts', () => failFastUnlessRetriable(() => remineAccounts(db, deps, input, log)));
      const transactions = await step.run('remine-transactions', () => failFastUnlessRetriable(() => remineTransactions(db, deps, input, log)));
      await step.sendEvent('request-publish', streamsPublishRequested.create({ itemId: input.itemId }));
      return { accounts, transactions };
    },
  );
}

export const remineItem = createRemineItem(inngest);
