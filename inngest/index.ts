import type { InngestFunction } from 'inngest';
import { handlePlaidWebhook } from './functions/handle-plaid-webhook';
import { itemHygiene } from './functions/item-hygiene';
import { loginFreshness } from './functions/login-freshness';
import { migrateWebhooks } from './functions/migrate-webhooks';
import { notifyItem } from './functions/notify-item';
import { pollInstitutions } from './functions/poll-institutions';
import { publishStreams } from './functions/publish-streams';
import { refreshAccounts } from './functions/refresh-accounts';
import { remineItem } from './functions/remine-item';
import { resyncSweep } from './functions/resync-sweep';
import { sweepWebhooks } from './functions/sweep-webhooks';
import { syncTransactions } from './functions/sync-transactions';

/** Every Inngest function the app serves: add each one (one file per function under functions/). */
export const functions: InngestFunction.Any[] = [
  syncTransactions,
  refreshAccounts,
  remineItem,
  publishStreams,
  handlePlaidWebhook,
  loginFreshness,
  sweepWebhooks,
  pollInstitutions,
  itemHygiene,
  resyncSweep,
  migrateWebhooks,
  notifyItem,
];
