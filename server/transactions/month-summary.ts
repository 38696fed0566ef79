import { and, eq, gte, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems, plaidTransactions } from '../../db/schema';
import { OWN_ACCOUNT_MOVES } from './spending';

/** Money arriving from the user's own accounts: not income (the other side is not spending either). */
export const OWN_ACCOUNT_MOVES_IN = [
  'TRANSFER_IN_ACCOUNT_TRANSFER',
  'TRANSFER_IN_SAVINGS',
  'TRANSFER_IN_INVESTMENT_AND_RETIREMENT_FUNDS',
];

/**
 * Money in and money out since the first of the month (UTC), per currency, over the user's banks that
 * are not removed. Moves between the user's own accounts, card payments included, count as neither.
 */
export async function monthSummary(db: Db, input: { userId: string; now?: Date }) {
  const now = input.now ?? new Date();
  const since = `${now.toISOString().slice(0, 7)}-01`;
  const currency = sql<string>`coalesce(${plaidTransactions.isoCurrencyCode}, ${plaidTransactions.unofficialCurrencyCode}, 'USD')`;
  const rows = await db
    .select({
      currency,
      moneyIn: sql<string>`coalesce(sum(case when ${plaidTransactions.amount} < 0 then -${plaidTransactions.amount} else 0 end), 0)`,
      moneyOut: sql<string>`coalesce(sum(case when ${plaidTransactions.amount} > 0 then ${plaidTransactions.amount} else 0 end), 0)`,
    })
    .from(plaidTransactions)
    .innerJoin(plaidItems, eq(plaidItems.id, plaidTransactions.itemId))
    .where(
      and(
        eq(plaidItems.userId, input.userId),
        ne(plaidItems.status, 'REMOVED'),
        gte(plaidTransactions.date, since),
        isNull(plaidTransactions.removedAt),
        or(isNull(plaidTransactions.categoryDetailed), notInArray(plaidTransactions.categoryDetailed, [...OWN_ACCOUNT_MOVES, ...OWN_ACCOUNT_MOVES_IN])),
      ),
    )
    .groupBy(currency);
  return { since, totals: rows.map((r) => ({ currency: r.currency, moneyIn: Number(r.moneyIn), moneyOut: Number(r.moneyOut) })) };
}
