import { appEvent, itemSyncRequested } from '../events';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import type { AppDeps } from '../deps';
import type { Logger } from '../logger';
import { assertNotRemoved, getUserItem, itemView } from './item-access';
import { callForItem } from './item-plaid';
import { upsertAccounts } from './store-accounts';

/**
 * After Link update mode succeeds (the public token needs no exchange: the access token stays the
 * same), ask Plaid how the item is now. If its error is gone, the item is ACTIVE again, accounts the
 * user added are stored, and a sync is requested so data resumes; still failing, it stays in ERROR.
 * Plaid's LOGIN_REPAIRED webhook reaches the same state later; doing it now spares the user a wait.
 */
export async function completeItemUpdate(db: Db, deps: AppDeps, input: { userId: string; itemId: string }, log?: Logger) {
  const item = await getUserItem(db, input.userId, input.itemId);
  assertNotRemoved(item);
  const got = await callForItem(db, deps, item, '/item/get', (access_token) => deps.plaid.itemGet({ access_token }), log);
  if (got.item.error) return { repaired: false, item: itemView(item) };
  const accounts = await callForItem(db, deps, item, '/accounts/get', (access_token) => deps.plaid.accountsGet({ access_token }), log);
  await upsertAccounts(db, deps.keyring, item.id, accounts.accounts);
  const wasBroken = item.status === 'ERROR' || item.status === 'PENDING_DISCONNECT';
  const [updated] = await db
    .update(plaidItems)
    .set({
      status: item.status === 'REVOKED' ? 'REVOKED' : 'ACTIVE',
      errorCode: null,
      errorMessage: null,
      errorDisplayMessage: null,
      erroredAt: null,
      disconnectAt: null,
      newAccountsAvailable: false,
      mainAccountId: item.mainAccountId ?? accounts.accounts[0]?.account_id ?? null,
    })
    .where(eq(plaidItems.id, item.id))
    .returning();
  await deps.send([appEvent(itemSyncRequested, { itemId: item.id, trigger: 'update-mode' })]);
  log?.info({ item_id: item.id, was_broken: wasBroken }, 'Item updated through Link');
  return { repaired: wasBroken, item: itemView(updated!) };
}
