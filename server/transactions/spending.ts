import { and, desc, eq, gt, gte, inArray, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems, plaidTransactions } from '../../db/schema';

/**
 * Money moved between the user's own accounts, not spent: paying the credit card (whose purchases
 * are already counted) and transfers to savings or investments.
 */
export const OWN_ACCOUNT_MOVES = [
  'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT',
  'TRANSFER_OUT_SAVINGS',
  'TRANSFER_OUT_INVESTMENT_AND_RETIREMENT_FUNDS',
  'TRANSFER_OUT_ACCOUNT_TRANSFER',
];

/**
 * Money out by category over the last `days` days (Plaid's sign: positive = out), per currency,
 * biggest first. Transfers in and refunds (negative amounts) are not spending and are left out,
 * and so are moves between the user's own accounts (counting a card payment would count the
 * card's purchases twice).
 */
export async function spendingByCategory(db: Db, input: { userId: string; days: number; now?: Date }) {
  const since = new Date((input.now ?? new Date()).getTime() - input.days * 86_400_000).toISOString().slice(0, 10);
  const items = await db
    .select({ id: plaidItems.id })
    .from(plaidItems)
    .where(and(eq(plaidItems.userId, input.userId), ne(plaidItems.status, 'REMOVED')));
  if (items.length === 0) return { since, categories: [] };
  const total = sql<string>`sum(${plaidTransactions.amount})`;
  const currency = sql<string>`coalesce(${plaidTransactions.isoCurrencyCode}, ${plaidTransactions.unofficialCurrencyCode}, 'USD')`;
  const category = sql<string>`coalesce(${plaidTransactions.categoryPrimary}, 'OTHER')`;
  const rows = await db
    .select({ category, currency, total, count: sql<number>`count(*)::int` })
    .from(plaidTransactions)
    .where(
      and(
        inArray(plaidTransactions.itemId, items.map((i) => i.id)),
        gte(plaidTransactions.date, since),
        gt(plaidTransactions.amount, '0'),
        isNull(plaidTransactions.removedAt),
        or(isNull(plaidTransactions.categoryDetailed), notInArray(plaidTransactions.categoryDetailed, OWN_ACCOUNT_MOVES)),
      ),
    )
    .groupBy(category, currency)
    .orderBy(desc(total));
  return { since, categories: rows.map((r) => ({ category: r.category, currency: r.currency, total: Number(r.total), count: r.count })) };
}
