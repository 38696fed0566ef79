import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';
import { getItem } from '../items/item-access';
import { DEAD_ITEM_STATUSES } from '../items/lifecycle';
import { fetchAccountsWithNumbers } from '../items/store-accounts';
import type { Logger } from '../logger';
import { itemRecordContext } from '../streams/item-changes';
import { clearNumbersOf, writeAccounts } from './account-writes';

export interface AuthUpdateResult {
  /** Accounts whose numbers were stored (new or renewed). */
  numbered: number;
  /** Accounts Plaid flagged as renumbered whose old numbers were dropped. */
  cleared: number;
  skipped?: string;
}

/**
 * AUTH DEFAULT_UPDATE: the bank renumbered some accounts (account_ids_with_updated_auth) or added
 * numbers to others (account_ids_with_new_auth). Plaid says to stop using the old numbers at once
 * and read /auth/get again: the flagged accounts' numbers are cleared and the fresh ones written,
 * in one transaction, through the account write path. The /auth/get call goes through the item
 * door, so an item error met here moves the item as the lifecycle says.
 */
export async function refreshAuthNumbers(
  db: Db,
  deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send'>,
  input: { itemId: string; updatedAccountIds: string[] },
  log?: Logger,
): Promise<AuthUpdateResult> {
  const item = await getItem(db, input.itemId);
  if (DEAD_ITEM_STATUSES.includes(item.status)) return { numbered: 0, cleared: 0, skipped: `item is ${item.status}` };
  const { accounts, ach } = await fetchAccountsWithNumbers(db, deps, item, log);
  await db.transaction(async (tx) => {
    await clearNumbersOf(tx, item.id, input.updatedAccountIds);
    await writeAccounts(tx, deps.keyring, itemRecordContext(item), accounts, { ach });
  });
  log?.info({ item_id: item.id, numbered: ach.length, renumbered: input.updatedAccountIds.length }, 'Auth numbers refreshed');
  return { numbered: ach.length, cleared: input.updatedAccountIds.length };
}
