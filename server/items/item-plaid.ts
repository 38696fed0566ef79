import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';
import type { Logger } from '../logger';
import { plaidCall, PlaidCallError } from '../plaid/call';
import { plaidFailureToAppError } from '../plaid/errors';
import { accessTokenOf, type ItemRow } from './item-access';
import { recordItemFailure } from './item-status';

/**
 * Runs a Plaid call for an item with its decrypted access token. An item error moves the item as
 * the lifecycle says (server/items/lifecycle.ts: ITEM_LOGIN_REQUIRED → ERROR, USER_PERMISSION_REVOKED
 * → REVOKED, …; announced as item/status.changed) and every failure becomes a typed AppError
 * carrying the lifecycle's words for the person.
 */
export async function callForItem<T extends { data: { request_id?: string } }>(
  db: Db,
  deps: Pick<AppDeps, 'keyring' | 'send'>,
  item: ItemRow,
  endpoint: string,
  call: (accessToken: string) => Promise<T>,
  log?: Logger,
): Promise<T['data']> {
  try {
    return await plaidCall(db, { endpoint, itemId: item.id, log }, () => call(accessTokenOf(deps.keyring, item)));
  } catch (err) {
    if (!(err instanceof PlaidCallError)) throw err;
    if (err.failure.kind === 'item_state') await recordItemFailure(db, deps, item.id, err.failure, endpoint);
    throw plaidFailureToAppError(err.failure, endpoint);
  }
}
