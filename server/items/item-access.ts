import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import { decrypt, type Keyring } from '../crypto';
import { AppError } from '../errors';
import { itemHealth } from './lifecycle';

export type ItemRow = typeof plaidItems.$inferSelect;


/** The user's own item, or NOT_FOUND — never a hint that someone else's exists. */
export async function getUserItem(db: Db, userId: string, itemId: string): Promise<ItemRow> {
  const [item] = await db
    .select()
    .from(plaidItems)
    .where(and(eq(plaidItems.id, itemId), eq(plaidItems.userId, userId)));
  if (!item) throw new AppError('NOT_FOUND', 'No such bank connection');
  return item;
}

export async function getItem(db: Db, itemId: string): Promise<ItemRow> {
  const [item] = await db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
  if (!item) throw new AppError('NOT_FOUND', 'No such bank connection');
  return item;
}

/** A live item (not removed): Plaid calls on a removed item would only answer ITEM_NOT_FOUND. */
export function assertNotRemoved(item: ItemRow): void {
  if (item.status === 'REMOVED') throw new AppError('PRECONDITION_FAILED', 'This bank connection has been removed');
}

export function accessTokenOf(keyring: Keyring, item: ItemRow): string {
  return decrypt(keyring, item.accessTokenEnc);
}

export async function userItems(db: Db, userId: string, opts: { includeRemoved?: boolean } = {}) {
  return db
    .select()
    .from(plaidItems)
    .where(and(eq(plaidItems.userId, userId), opts.includeRemoved ? undefined : ne(plaidItems.status, 'REMOVED')))
    .orderBy(plaidItems.createdAt);
}

/** Public view of an item: everything a browser may see (no token, no cursor). */
export function itemView(item: ItemRow) {
  return {
    id: item.id,
    institutionId: item.institutionId,
    institutionName: item.institutionName,
    status: item.status,
    errorCode: item.errorCode,
    /** The lifecycle's words for the person (never Plaid's developer text). */
    errorMessage: itemHealth(item).message,
    /** What the person can do: update_mode, fix_at_bank, link_again, link_another_bank, wait or none. */
    action: itemHealth(item).action,
    mainAccountId: item.mainAccountId,
    newAccountsAvailable: item.newAccountsAvailable,
    lastSyncedAt: item.lastSyncedAt,
    lastWebhookAt: item.lastWebhookAt,
    disconnectAt: item.disconnectAt,
    consentExpiresAt: item.consentExpiresAt,
    removedAt: item.removedAt,
    createdAt: item.createdAt,
  };
}
export type ItemView = ReturnType<typeof itemView>;
