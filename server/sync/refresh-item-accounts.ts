import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';
import { getItem, type ItemRow } from '../items/item-access';
import { callForItem } from '../items/item-plaid';
import { fetchAccountsWithNumbers } from '../items/store-accounts';
import type { Logger } from '../logger';
import { writeAccounts } from '../accounts/account-writes';
import { itemRecordContext } from '../streams/item-changes';

export interface RefreshAccountsResult { accounts: number; added: number; modified: number; removed: number }

/**
 * /accounts/get (with `reconcile`, /auth/get) → the item's accounts and cached balances, with an outbox record for each account
 * that is new or changed, in one database transaction. With `reconcile` (re-mine), accounts Plaid
 * no longer returns are marked removed and announced as removed.
 */
export async function refreshItemAccounts(
  db: Db,
  deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send'>,
  input: { itemId: string; reconcile?: boolean } | { item: ItemRow; reconcile?: boolean },
  log?: Logger,
): Promise<RefreshAccountsResult> {
  const item = 'item' in input ? input.item : await getItem(db, input.itemId);
  // A re-mine rebuilds the accounts, numbers included (/auth/get, or none where the bank has none).
  const { accounts, ach } = input.reconcile
    ? await fetchAccountsWithNumbers(db, deps, item, log)
    : { accounts: (await callForItem(db, deps, item, '/accounts/get', (access_token) => deps.plaid.accountsGet({ access_token }), log)).accounts, ach: [] };
  const changes = await db.transaction((tx) => writeAccounts(tx, deps.keyring, itemRecordContext(item), accounts, { removeMissing: input.reconcile, ach }));
  return { accounts: accounts.length, added: changes.added.length, modified: changes.modified.length, removed: changes.removed.length };
}
