import type { AccountBase, NumbersACH } from 'plaid';
import type { Db } from '../../db/client';
import { writeAccounts } from '../accounts/account-writes';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { callForItem } from './item-plaid';
import type { ItemRow } from './item-access';
import { itemRecordContext } from '../streams/item-changes';

/** The main account: the first checking account, else the first depository one, else the first. */
export function chooseMainAccount(accounts: AccountBase[]): string | null {
  return (
    accounts.find((a) => a.subtype === 'checking')?.account_id ??
    accounts.find((a) => a.type === 'depository')?.account_id ??
    accounts[0]?.account_id ??
    null
  );
}

/**
 * Plaid errors of /auth/get that mean "no ACH numbers for this item (now)", not "something is wrong":
 * no checking/savings account, Auth not on the item (the bank lacks it: Link takes Auth only where
 * supported), or Auth not ready yet (PRODUCT_NOT_READY: e.g. numbers still being verified; AUTH
 * DEFAULT_UPDATE or a re-mine brings them later). Accounts are then stored without numbers.
 */
const NO_NUMBERS = new Set(['NO_AUTH_ACCOUNTS', 'PRODUCTS_NOT_SUPPORTED', 'INVALID_PRODUCT', 'PRODUCT_NOT_ENABLED', 'PRODUCT_NOT_READY']);

/**
 * An item's accounts with their ACH numbers (/auth/get), falling back to /accounts/get (no
 * numbers) when the item has none to give. Every path that stores accounts at the user's hand or
 * rebuilds them — link, update mode, re-mine, AUTH DEFAULT_UPDATE — reads them this way.
 */
export async function fetchAccountsWithNumbers(
  db: Db,
  deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send'>,
  item: ItemRow,
  log?: Logger,
): Promise<{ accounts: AccountBase[]; ach: NumbersACH[] }> {
  try {
    const auth = await callForItem(db, deps, item, '/auth/get', (access_token) => deps.plaid.authGet({ access_token }), log);
    return { accounts: auth.accounts, ach: auth.numbers.ach };
  } catch (err) {
    const noNumbers = err instanceof AppError && (err.code === 'BAD_REQUEST' || NO_NUMBERS.has(err.plaidErrorCode ?? ''));
    if (!noNumbers) throw err;
    log?.info({ plaid_error: err.plaidErrorCode }, 'No auth numbers for this item; storing accounts without them');
    const accounts = (await callForItem(db, deps, item, '/accounts/get', (access_token) => deps.plaid.accountsGet({ access_token }), log)).accounts;
    return { accounts, ach: [] };
  }
}

/** Fetches (with numbers), stores, and returns the main account id: link and update mode. */
export async function fetchAndStoreAccounts(db: Db, deps: AppDeps, item: ItemRow, log?: Logger): Promise<string | null> {
  const { accounts, ach } = await fetchAccountsWithNumbers(db, deps, item, log);
  await db.transaction((tx) => writeAccounts(tx, deps.keyring, itemRecordContext(item), accounts, { ach }));
  return chooseMainAccount(accounts);
}
