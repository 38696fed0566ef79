import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';
import { getItem, type ItemRow } from '../items/item-access';
import { callForItem } from '../items/item-plaid';
import type { Logger } from '../logger';
import { appendToOutbox } from '../streams/outbox';
import { accountChangeRecords } from '../streams/page-records';
import { asAccounts } from './apply-page';
import { removeAccountsNotIn, storeAccountChanges } from './write-accounts';

export interface RefreshAccountsResult { accounts: number; added: number; modified: number; removed: number }

/**
 * /accounts/get → the item's accounts and cached balances, with an outbox record for each account
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
  const data = await callForItem(db, deps, item, '/accounts/get', (access_token) => deps.plaid.accountsGet({ access_token }), log);
  return db.transaction(async (tx) => {
    const changes = await storeAccountChanges(tx, deps.keyring, item.id, data.accounts);
    const removed = input.reconcile ? await removeAccountsNotIn(tx, item.id, data.accounts.map((a) => a.account_id)) : [];
    const ctx = { userId: item.userId, itemId: item.id, receivedAt: new Date(), institution: { id: item.institutionId, name: item.institutionName } };
    await appendToOutbox(tx, accountChangeRecords(ctx, { added: asAccounts(changes.added), modified: asAccounts(changes.modified), removed }));
    return { accounts: data.accounts.length, added: changes.added.length, modified: changes.modified.length, removed: removed.length };
  });
}
