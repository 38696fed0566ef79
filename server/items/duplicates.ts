import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidAccounts, plaidItems } from '../../db/schema';
import type { ItemRow } from './item-access';
import { DEAD_ITEM_STATUSES } from './lifecycle';
import type { LinkMetadata } from './link-item';

/**
 * Plaid's advice against duplicate items: before exchanging, compare the institution and the
 * accounts' names and masks with the user's live items. Same institution with an account of the
 * same name and mask — or with no accounts stored to compare — is a duplicate. A REVOKED or
 * REMOVED item is not live (its access token no longer works): linking that bank again makes a
 * new item, and the old one's history stays readable.
 */
export async function findDuplicateItem(db: Db, userId: string, metadata: LinkMetadata): Promise<ItemRow | null> {
  const institutionId = metadata.institution?.institution_id;
  if (!institutionId) return null;
  const candidates = await db
    .select()
    .from(plaidItems)
    .where(and(eq(plaidItems.userId, userId), eq(plaidItems.institutionId, institutionId), notInArray(plaidItems.status, [...DEAD_ITEM_STATUSES])));
  if (candidates.length === 0) return null;
  const accounts = await db
    .select({ itemId: plaidAccounts.itemId, name: plaidAccounts.name, mask: plaidAccounts.mask })
    .from(plaidAccounts)
    .where(inArray(plaidAccounts.itemId, candidates.map((c) => c.id)));
  const incoming = new Set(metadata.accounts.map((a) => `${a.name}|${a.mask ?? ''}`));
  for (const item of candidates) {
    const known = accounts.filter((a) => a.itemId === item.id);
    if (known.length === 0 || incoming.size === 0) return item;
    if (known.some((a) => incoming.has(`${a.name}|${a.mask ?? ''}`))) return item;
  }
  return null;
}

/**
 * For Link's onSuccess, before anything is exchanged or shown: whether this link would duplicate
 * a live item, so the person gets one clear message instead of "connecting…" and then a refusal.
 * (items.link checks again; this only decides what the person sees first.)
 */
export async function checkDuplicateLink(db: Db, userId: string, metadata: LinkMetadata) {
  const item = await findDuplicateItem(db, userId, metadata);
  return { duplicate: item ? { itemId: item.id, institutionName: item.institutionName, linkedAt: item.createdAt } : null };
}
