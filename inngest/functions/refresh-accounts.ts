import type { Inngest } from 'inngest';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { refreshItemAccounts } from '../../server/sync/refresh-item-accounts';
import { failFastUnlessRetriable } from '../../server/sync/step-errors';
import { inngest } from '../client';
import { itemAccountsRefreshRequested, streamsPublishRequested } from '../../server/events';

/** item/accounts.refresh-requested → /accounts/get into plaid_accounts (one per item at a time). */
export function createRefreshAccounts(client: Inngest.Any, context: ResolveJobContext = processJobContext) {
  return client.createFunction(
    {
      id: 'refresh-accounts',
      triggers: [itemAccountsRefreshRequested],
      retries: 3,
      concurrency: [{ scope: 'env', key: 'event.data.itemId', limit: 1 }],
    },
    async ({ event, step }) => {
      const { db, deps, log } = context();
      const result = await step.run('refresh-accounts', () =>
        failFastUnlessRetriable(() => refreshItemAccounts(db, deps, { itemId: event.data.itemId }, log)),
      );
      if (result.added + result.modified + result.removed > 0) {
        await step.sendEvent('request-publish', streamsPublishRequested.create({ itemId: event.data.itemId }));
      }
      return result;
    },
  );
}

export const refreshAccounts = createRefreshAccounts(inngest);
