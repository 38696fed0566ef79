import { and, desc, eq, gte, ilike, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems, plaidTransactions } from '../../db/schema';
import { AppError } from '../errors';
import { containsPattern } from '../../db/like';

export interface CachedTransactionsInput {
  userId: string;
  itemId?: string;
  accountId?: string;
  from?: string; // YYYY-MM-DD
  to?: string;
  search?: string;
  /** Also transactions Plaid removed (a pending one that posted under a new id, a reversed one). */
  includeRemoved?: boolean;
  cursor?: string;
  limit: number;
}

type TxRow = typeof plaidTransactions.$inferSelect;

export function transactionView(t: TxRow) {
  return {
    id: t.id,
    itemId: t.itemId,
    accountId: t.accountId,
    amount: t.amount, // Plaid's sign: positive = money out
    isoCurrencyCode: t.isoCurrencyCode ?? t.unofficialCurrencyCode,
    date: t.date,
    authorizedDate: t.authorizedDate,
    name: t.name,
    merchantName: t.merchantName,
    pending: t.pending,
    pendingTransactionId: t.pendingTransactionId,
    category: t.categoryPrimary,
    categoryDetailed: t.categoryDetailed,
    paymentChannel: t.paymentChannel,
    logoUrl: t.logoUrl,
    removedAt: t.removedAt,
  };
}

export const encodeCursor = (t: { date: string; id: string }) => Buffer.from(JSON.stringify([t.date, t.id])).toString('base64url');

function decodeCursor(cursor: string): { date: string; id: string } {
  try {
    const [date, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && typeof id === 'string') return { date, id };
  } catch {
    // fall through
  }
  throw new AppError('BAD_REQUEST', 'Invalid cursor');
}


/**
 * The user's stored transactions, newest first, keyset-paged on (date desc, id desc) — the index
 * plaid_transactions_item_date_idx serves it without an offset scan.
 */
export async function cachedTransactions(db: Db, input: CachedTransactionsInput) {
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const items = await userItemIds(db, input);
  if (items.length === 0) return { transactions: [], nextCursor: null };
  const rows = await transactionsPageQuery(db, input, items, after);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    transactions: page.map(transactionView),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null,
  };
}

/**
 * One page of the given items' transactions (limit + 1 rows, to tell whether more follow). Naming
 * the items prunes the scan to their partitions (partition-pruning.db.test.ts explains it).
 */
export function transactionsPageQuery(db: Db, input: CachedTransactionsInput, itemIds: string[], after: { date: string; id: string } | null) {
  return db
    .select()
    .from(plaidTransactions)
    .where(
      and(
        filterOf(input, itemIds),
        after
          ? or(lt(plaidTransactions.date, after.date), and(eq(plaidTransactions.date, after.date), lt(plaidTransactions.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(plaidTransactions.date), desc(plaidTransactions.id))
    .limit(input.limit + 1);
}

/** How many stored transactions match the same filters (for "page 2 of 31"). */
export async function countTransactions(db: Db, input: Omit<CachedTransactionsInput, 'cursor' | 'limit'>) {
  const items = await userItemIds(db, input);
  if (items.length === 0) return { total: 0 };
  const [row] = await db.select({ total: sql<number>`count(*)::int` }).from(plaidTransactions).where(filterOf(input, items));
  return { total: Number(row?.total ?? 0) };
}

/**
 * Every bank connection of the user, removed ones included: removing a bank stops fetching its
 * data, but its past transactions are kept and stay listed (what the remove dialog promises).
 * (`includeRemoved` is about transactions Plaid removed, not about removed banks.)
 */
async function userItemIds(db: Db, input: Pick<CachedTransactionsInput, 'userId' | 'itemId'>) {
  const items = await db
    .select({ id: plaidItems.id })
    .from(plaidItems)
    .where(and(eq(plaidItems.userId, input.userId), input.itemId ? eq(plaidItems.id, input.itemId) : undefined));
  if (input.itemId && items.length === 0) throw new AppError('NOT_FOUND', 'No such bank connection');
  return items.map((i) => i.id);
}

function filterOf(input: Omit<CachedTransactionsInput, 'cursor' | 'limit'>, itemIds: string[]) {
  return and(
    inArray(plaidTransactions.itemId, itemIds),
    input.accountId ? eq(plaidTransactions.accountId, input.accountId) : undefined,
    input.from ? gte(plaidTransactions.date, input.from) : undefined,
    input.to ? lte(plaidTransactions.date, input.to) : undefined,
    input.includeRemoved ? undefined : isNull(plaidTransactions.removedAt),
    input.search
      ? or(ilike(plaidTransactions.name, containsPattern(input.search)), ilike(plaidTransactions.merchantName, containsPattern(input.search)))
      : undefined,
  );
}
