import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { AccountBase } from 'plaid';
import type { Db } from '../../db/client';
import { plaidAccounts, plaidItems } from '../../db/schema';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { assertNotRemoved, getUserItem } from '../items/item-access';
import { itemRecordContext } from '../streams/item-changes';
import { callForItem } from '../items/item-plaid';
import { writeAccounts } from './account-writes';

type AccountRow = typeof plaidAccounts.$inferSelect;

/** What a browser may see of an account: the mask, never the full account or routing number. */
export function accountView(a: AccountRow, mainAccountId?: string | null) {
  return {
    id: a.id,
    itemId: a.itemId,
    name: a.name,
    officialName: a.officialName,
    mask: a.mask,
    type: a.type,
    subtype: a.subtype,
    availableBalance: a.availableBalance,
    currentBalance: a.currentBalance,
    creditLimit: a.creditLimit,
    isoCurrencyCode: a.isoCurrencyCode ?? a.unofficialCurrencyCode,
    balancesUpdatedAt: a.balancesUpdatedAt,
    hasAccountNumbers: a.accountNumberEnc !== null,
    isMain: mainAccountId === a.id,
  };
}

/** Plaid's live account as a browser may see it (Plaid never sends numbers here). */
function liveView(a: AccountBase) {
  return {
    id: a.account_id,
    name: a.name,
    mask: a.mask,
    type: a.type,
    subtype: a.subtype,
    availableBalance: a.balances.available,
    currentBalance: a.balances.current,
    creditLimit: a.balances.limit,
    isoCurrencyCode: a.balances.iso_currency_code ?? a.balances.unofficial_currency_code,
    lastUpdated: a.balances.last_updated_datetime ?? null,
  };
}

export async function cachedAccounts(db: Db, input: { userId: string; itemId?: string }) {
  const rows = await db
    .select({ account: plaidAccounts, mainAccountId: plaidItems.mainAccountId })
    .from(plaidAccounts)
    .innerJoin(plaidItems, eq(plaidItems.id, plaidAccounts.itemId))
    .where(
      and(
        eq(plaidItems.userId, input.userId),
        ne(plaidItems.status, 'REMOVED'),
        isNull(plaidAccounts.removedAt),
        input.itemId ? eq(plaidItems.id, input.itemId) : undefined,
      ),
    )
    .orderBy(plaidAccounts.itemId, plaidAccounts.name);
  return rows.map((r) => accountView(r.account, r.mainAccountId));
}

/** /accounts/get: Plaid's cached balances, stored (and published when changed) as they arrive. */
export async function liveAccounts(db: Db, deps: AppDeps, input: { userId: string; itemId: string }, log?: Logger) {
  const item = await getUserItem(db, input.userId, input.itemId);
  assertNotRemoved(item);
  const data = await callForItem(db, deps, item, '/accounts/get', (access_token) => deps.plaid.accountsGet({ access_token }), log);
  await db.transaction((tx) => writeAccounts(tx, deps.keyring, itemRecordContext(item), data.accounts));
  return data.accounts.map(liveView);
}

/** /accounts/balance/get: real-time balances, for payment decisions; stored and published when changed. */
export async function realTimeBalances(
  db: Db,
  deps: AppDeps,
  input: { userId: string; itemId: string; accountIds?: string[] },
  log?: Logger,
) {
  const item = await getUserItem(db, input.userId, input.itemId);
  assertNotRemoved(item);
  if (input.accountIds?.length) {
    const known = await db
      .select({ id: plaidAccounts.id })
      .from(plaidAccounts)
      .where(and(eq(plaidAccounts.itemId, item.id), inArray(plaidAccounts.id, input.accountIds)));
    if (known.length !== new Set(input.accountIds).size) {
      throw new AppError('NOT_FOUND', 'One or more accounts do not belong to this bank connection');
    }
  }
  const data = await callForItem(
    db,
    deps,
    item,
    '/accounts/balance/get',
    (access_token) => deps.plaid.accountsBalanceGet({ access_token, ...(input.accountIds?.length ? { options: { account_ids: input.accountIds } } : {}) }),
    log,
  );
  await db.transaction((tx) => writeAccounts(tx, deps.keyring, itemRecordContext(item), data.accounts));
  return { accounts: data.accounts.map(liveView), fetchedAt: new Date() };
}
