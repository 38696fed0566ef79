import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { appEvent, itemAccountsRefreshRequested } from '../events';
import type { Logger } from '../logger';
import { getUserItem } from './item-access';
import { callForItem } from './item-plaid';
import { itemHealth, SYNCING_STATUSES } from './lifecycle';

/**
 * One refresh per item per this long. Plaid's sandbox allows 2 /transactions/refresh per item per
 * minute and production bills each call, so a person's impatience must not multiply them.
 */
export const REFRESH_NOW_INTERVAL_MS = 5 * 60_000;

/**
 * "Refresh now": asks the bank, through Plaid's /transactions/refresh, for anything new. Plaid
 * answers with webhooks (SYNC_UPDATES_AVAILABLE, DEFAULT_UPDATE, …) that sync as any webhook does;
 * balances are refreshed at once by refresh-accounts. The limit is kept on the item's row with one
 * conditional update, so every app instance shares it; a failed call gives the turn back.
 */
export async function refreshItemNow(db: Db, deps: AppDeps, input: { userId: string; itemId: string }, log?: Logger) {
  const item = await getUserItem(db, input.userId, input.itemId);
  if (!SYNCING_STATUSES.includes(item.status)) {
    const health = itemHealth(item);
    throw new AppError('PRECONDITION_FAILED', `refresh refused: item is ${item.status}`, {
      displayMessage: health.message ?? 'This bank connection cannot be refreshed.',
    });
  }
  const now = new Date();
  const [claimed] = await db
    .update(plaidItems)
    .set({ refreshRequestedAt: now })
    .where(
      and(
        eq(plaidItems.id, item.id),
        or(isNull(plaidItems.refreshRequestedAt), lt(plaidItems.refreshRequestedAt, new Date(now.getTime() - REFRESH_NOW_INTERVAL_MS))),
      ),
    )
    .returning({ id: plaidItems.id });
  if (!claimed) {
    const [row] = await db.select({ at: plaidItems.refreshRequestedAt }).from(plaidItems).where(eq(plaidItems.id, item.id));
    const retryAfterSeconds = Math.max(1, Math.ceil(((row?.at?.getTime() ?? 0) + REFRESH_NOW_INTERVAL_MS - now.getTime()) / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    throw new AppError('TOO_MANY_REQUESTS', `refresh-now limit for item ${item.id}`, {
      retryAfterSeconds,
      displayMessage: `We asked your bank for news a moment ago. You can ask again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    });
  }
  try {
    await callForItem(db, deps, item, '/transactions/refresh', (access_token) => deps.plaid.transactionsRefresh({ access_token }), log);
  } catch (err) {
    // Not counted against the person: Plaid did not take the request.
    await db.update(plaidItems).set({ refreshRequestedAt: item.refreshRequestedAt }).where(eq(plaidItems.id, item.id));
    throw err;
  }
  await deps.send([appEvent(itemAccountsRefreshRequested, { itemId: item.id }, { id: `refresh-now:${item.id}:${now.toISOString()}` })]);
  log?.info({ item_id: item.id }, 'Refresh now requested at Plaid');
  return { requested: true, nextAllowedAt: new Date(now.getTime() + REFRESH_NOW_INTERVAL_MS) };
}
