import { setItemError } from '@tributary/plaid-emulator/testing';
import { eq } from 'drizzle-orm';
import { plaidItems } from '../../db/schema';
import { ITEM_ERROR_RULES, SYNCING_STATUSES, type ItemErrorCode } from '../../server/items/lifecycle';
import type { Harness } from './harness';
import type { startWebhookFlow } from './webhook-flow';

/** Every state of the lifecycle table an item can be put in after linking (docs/ITEM-LIFECYCLE.md). */
export const LIFECYCLE_STATE_CODES = [
  'ITEM_LOGIN_REQUIRED', 'ITEM_LOCKED', 'USER_SETUP_REQUIRED', 'MFA_NOT_SUPPORTED', 'NO_ACCOUNTS', 'ACCESS_NOT_GRANTED',
  'INSUFFICIENT_CREDENTIALS', 'INSTITUTION_NO_LONGER_SUPPORTED', 'USER_PERMISSION_REVOKED', 'ITEM_NOT_FOUND',
  'INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'PRODUCT_NOT_READY', 'PENDING_EXPIRATION', 'PENDING_DISCONNECT',
] as const satisfies readonly ItemErrorCode[];
export type LifecycleState = (typeof LIFECYCLE_STATE_CODES)[number] | 'healthy' | 'removed';

/** The status the table gives the state. */
export function statusOf(state: LifecycleState) {
  if (state === 'healthy') return 'ACTIVE';
  if (state === 'removed') return 'REMOVED';
  return ITEM_ERROR_RULES[state].status ?? 'ACTIVE';
}

/** Whether the table says the item keeps syncing in this state. */
export function keepsSyncing(state: LifecycleState): boolean {
  if (state === 'healthy') return true;
  if (state === 'removed') return false;
  return ITEM_ERROR_RULES[state].syncContinues && SYNCING_STATUSES.includes(statusOf(state));
}

/**
 * Links a bank for a new user and puts the item into `state` through real doors: the person's
 * live accounts call meeting the emulator's item error, Plaid's PENDING_* webhook through the
 * receiver and handle-plaid-webhook (`flow`), or the person removing the bank.
 */
export async function linkInState(h: Harness, flow: Awaited<ReturnType<typeof startWebhookFlow>>, state: LifecycleState) {
  const user = await h.createUser();
  const { item } = await h.linkBank(user);
  const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
  if (state === 'removed') await h.caller(user).items.remove({ itemId: item.id });
  else if (state === 'PENDING_EXPIRATION' || state === 'PENDING_DISCONNECT') {
    await setItemError(h.emu.url, { item_id: row!.plaidItemId }, state, { webhook: true });
    await flow.deliver(row!.plaidItemId, state);
  } else if (state !== 'healthy') {
    await setItemError(h.emu.url, { item_id: row!.plaidItemId }, state, { webhook: false });
    await h.caller(user).accounts.live({ itemId: item.id }).catch(() => undefined);
  }
  const [now] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
  if (now!.status !== statusOf(state)) throw new Error(`${state}: the item is ${now!.status}, the table says ${statusOf(state)}`);
  return { user, item: now! };
}
