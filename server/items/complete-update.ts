import type { PlaidError } from 'plaid';
import { appEvent, itemSyncRequested } from '../events';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems, users } from '../../db/schema';
import type { AppDeps } from '../deps';
import { track } from '../analytics/track';
import { writeAudit } from '../audit';
import type { Logger } from '../logger';
import { announceStatusChange, recordItemFailure, writeItemState } from './item-status';
import { itemRepairedEvent } from './repair-event';
import { assertNotRemoved, getUserItem, itemView } from './item-access';
import { callForItem } from './item-plaid';
import { fetchAndStoreAccounts } from './store-accounts';

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
  if (got.item.error) {
    // Still failing after Link: the item takes the state the lifecycle gives that error (update
    // mode is a door like any other), and the person reads the lifecycle's words for it.
    const error = got.item.error as PlaidError;
    await recordItemFailure(db, deps, item.id, { kind: 'item_state', httpStatus: error.status ?? 400, error }, 'update-mode');
    return { repaired: false, item: itemView(await getUserItem(db, input.userId, input.itemId)) };
  }
  // With their numbers: update mode may have shared new accounts.
  const firstMain = await fetchAndStoreAccounts(db, deps, item, log);
  // Under the item's row lock, as the LOGIN_REPAIRED webhook handler takes it: whichever repairs
  // the item first sends "Item Repaired"; the other finds it healthy.
  const { updated, repaired, status } = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(plaidItems).where(eq(plaidItems.id, item.id)).for('update');
    const broken = current!.status === 'ERROR' || current!.status === 'PENDING_DISCONNECT';
    const written = await writeItemState(
      tx,
      current!,
      {
        status: current!.status === 'REVOKED' || current!.status === 'REMOVED' ? current!.status : 'ACTIVE',
        errorCode: null,
        errorMessage: null,
        errorDisplayMessage: null,
        erroredAt: null,
        disconnectAt: null,
        ...(broken ? { repairedAt: new Date() } : {}),
        newAccountsAvailable: false,
        mainAccountId: current!.mainAccountId ?? firstMain,
      },
      null,
    );
    // The person reconnected through Link's update mode: audited whether or not it repaired anything.
    await writeAudit(tx, {
      actorId: input.userId, actorKind: 'user', action: 'item.reconnect', subjectUserId: input.userId, itemId: item.id,
      details: { repaired: broken, statusBefore: current!.status },
    });
    return { updated: written.row, repaired: broken ? current! : null, status: written.status };
  });
  // A link that met an item error after the exchange ends here: the person now has a working bank.
  if (updated.status === 'ACTIVE') await db.update(users).set({ status: 'ACTIVE' }).where(eq(users.id, input.userId));
  if (repaired) await track(db, itemRepairedEvent(repaired, { via: 'update-mode' }));
  await announceStatusChange(deps.send, status);
  await deps.send([appEvent(itemSyncRequested, { itemId: item.id, trigger: 'update-mode' })]);
  log?.info({ item_id: item.id, was_broken: repaired !== null }, 'Item updated through Link');
  return { repaired: repaired !== null, item: itemView(updated) };
}
