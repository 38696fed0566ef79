import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import type { AppDeps } from '../deps';
import type { Logger } from '../logger';
import { plaidCall, PlaidCallError } from '../plaid/call';
import { plaidFailureToAppError } from '../plaid/errors';
import { accessTokenOf, type ItemRow } from './item-access';

/**
 * Runs a Plaid call for an item with its decrypted access token. ITEM_LOGIN_REQUIRED flips the
 * item to ERROR (the user repairs it in Link update mode) and every failure becomes a typed
 * AppError: login required, retry later, rate limited, bad input.
 */
export async function callForItem<T extends { data: { request_id?: string } }>(
  db: Db,
  deps: Pick<AppDeps, 'keyring'>,
  item: ItemRow,
  endpoint: string,
  call: (accessToken: string) => Promise<T>,
  log?: Logger,
): Promise<T['data']> {
  try {
    return await plaidCall(db, { endpoint, itemId: item.id, log }, () => call(accessTokenOf(deps.keyring, item)));
  } catch (err) {
    if (!(err instanceof PlaidCallError)) throw err;
    if (err.failure.kind === 'login_required') await markLoginRequired(db, item.id, err.failure.error);
    throw plaidFailureToAppError(err.failure, endpoint);
  }
}

export async function markLoginRequired(
  db: Db,
  itemId: string,
  error: { error_code?: string; error_message?: string; display_message?: string | null } | null,
) {
  await db
    .update(plaidItems)
    .set({
      status: 'ERROR',
      errorCode: error?.error_code ?? 'ITEM_LOGIN_REQUIRED',
      errorMessage: error?.error_message ?? 'the login details of this item have changed',
      errorDisplayMessage: error?.display_message ?? null,
      erroredAt: new Date(),
    })
    .where(eq(plaidItems.id, itemId));
}
