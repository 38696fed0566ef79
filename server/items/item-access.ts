import { and, eq, ne, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import { decrypt, type Keyring } from '../crypto';
import { AppError } from '../errors';
import { DEAD_ITEM_STATUSES, itemHealth } from './lifecycle';

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

/**
 * For each of the user's dead (REVOKED or REMOVED) items, the live item of the same bank linked
 * after it, if any: once the person linked the bank again, the old connection stops asking them to.
 */
export async function replacementsOf(db: Db, userId: string, items: ItemRow[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const dead = items.filter((i) => DEAD_ITEM_STATUSES.includes(i.status) && i.institutionId);
  if (dead.length === 0) return out;
  const live = await db
    .select({ id: plaidItems.id, institutionId: plaidItems.institutionId, createdAt: plaidItems.createdAt })
    .from(plaidItems)
    .where(and(eq(plaidItems.userId, userId), notInArray(plaidItems.status, [...DEAD_ITEM_STATUSES])))
    .orderBy(plaidItems.createdAt);
  for (const old of dead) {
    const next = live.filter((l) => l.institutionId === old.institutionId && l.createdAt >= old.createdAt).at(-1);
    if (next) out.set(old.id, next.id);
  }
  return out;
}

/** One item's view with its replacement (see replacementsOf). */
export async function itemViewFor(db: Db, item: ItemRow) {
  return itemView(item, (await replacementsOf(db, item.userId, [item])).get(item.id) ?? null);
}

/**
 * Public view of an item: everything a browser may see (no token, no cursor). `replacedBy`: the
 * live connection that took a dead one's place (replacementsOf).
 */
export function itemView(item: ItemRow, replacedBy: string | null = null) {
  const health = itemHealth({ ...item, replacedBy });
  return {
    id: item.id,
    institutionId: item.institutionId,
    institutionName: item.institutionName,
    status: item.status,
    errorCode: item.errorCode,
    /** The lifecycle's words for the person (never Plaid's developer text). */
    errorMessage: health.message,
    /** What the person can do: update_mode, fix_at_bank, link_again, link_another_bank, wait or none. */
    action: health.action,
    /** The live connection to the same bank that replaced this dead one, if any. */
    replacedBy,
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
