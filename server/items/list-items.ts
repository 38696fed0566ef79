import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { institutions, type ItemStatus, plaidAccounts, plaidItems } from '../../db/schema';
import { accountView } from '../accounts/account-queries';
import { itemView, replacementsOf } from './item-access';

export interface ListItemsInput {
  userId: string;
  status?: ItemStatus;
  include?: { accounts?: boolean; logos?: boolean };
}

/** A user's items (all statuses unless filtered), optionally with accounts and bank branding. */
export async function listItems(db: Db, input: ListItemsInput) {
  const items = await db
    .select()
    .from(plaidItems)
    .where(and(eq(plaidItems.userId, input.userId), input.status ? eq(plaidItems.status, input.status) : undefined))
    .orderBy(plaidItems.createdAt);
  const ids = items.map((i) => i.id);
  const replaced = await replacementsOf(db, input.userId, items);
  const accounts =
    input.include?.accounts && ids.length
      ? await db.select().from(plaidAccounts).where(and(inArray(plaidAccounts.itemId, ids), isNull(plaidAccounts.removedAt)))
      : [];
  const instIds = [...new Set(items.map((i) => i.institutionId).filter((x): x is string => Boolean(x)))];
  const brands =
    input.include?.logos && instIds.length
      ? await db
          .select({ id: institutions.id, logo: institutions.logo, primaryColor: institutions.primaryColor, url: institutions.url, health: institutions.health })
          .from(institutions)
          .where(inArray(institutions.id, instIds))
      : [];
  return items.map((item) => ({
    ...itemView(item, replaced.get(item.id) ?? null),
    ...(input.include?.accounts
      ? { accounts: accounts.filter((a) => a.itemId === item.id).map((a) => accountView(a, item.mainAccountId)) }
      : {}),
    ...(input.include?.logos ? { institution: brands.find((b) => b.id === item.institutionId) ?? null } : {}),
  }));
}
