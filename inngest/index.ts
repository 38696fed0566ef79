import type { InngestFunction } from 'inngest';
import { handlePlaidWebhook } from './functions/handle-plaid-webhook';
import { publishStreams } from './functions/publish-streams';
import { refreshAccounts } from './functions/refresh-accounts';
import { remineItem } from './functions/remine-item';
import { syncTransactions } from './functions/sync-transactions';

/** Every Inngest function the app serves: add each one (one file per function under functions/). */
export const functions: InngestFunction.Any[] = [
  syncTransactions,
  refreshAccounts,
  remineItem,
  publishStreams,
  handlePlaidWebhook,
];
