import { z } from 'zod';
import { AppError } from '../../errors';
import { cachedTransactions, countTransactions } from '../../transactions/cached-transactions';
import { liveTransactions } from '../../transactions/live-transactions';
import { monthSummary } from '../../transactions/month-summary';
import { spendingByCategory } from '../../transactions/spending';
import { router, userProcedure } from '../init';
import { isoDate, itemId, plaidId } from '../schemas';
import { cachedTransactionsOutput, liveTransactionsOutput, monthSummaryOutput, spendingOutput, transactionCountOutput } from '../outputs/transactions';

const dateRange = <T extends { from?: string; to?: string }>(input: T) => {
  if (input.from && input.to && input.from > input.to) throw new AppError('BAD_REQUEST', 'The start date must not be after the end date.');
  return input;
};

const txFilters = z.object({
  itemId: itemId.optional(),
  accountId: plaidId.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  search: z.string().trim().min(1).max(100).optional(),
  includeRemoved: z.boolean().optional(),
});

export const transactionsRouter = router({
  /** How many stored transactions match the filters (the same filters as `cached`). */
  count: userProcedure
    .input(txFilters.default({}))
    .output(transactionCountOutput)
    .query(({ ctx, input }) => countTransactions(ctx.db, { userId: ctx.user.id, ...dateRange(input) })),

  /** Stored transactions, newest first, keyset-paged. */
  cached: userProcedure
    .input(
      txFilters
        .extend({
          cursor: z.string().max(200).optional(),
          limit: z.number().int().min(1).max(500).default(50),
        })
        .default({ limit: 50 }),
    )
    .output(cachedTransactionsOutput)
    .query(({ ctx, input }) => cachedTransactions(ctx.db, { userId: ctx.user.id, ...dateRange(input) })),

  /** Straight from the bank via /transactions/get (paged by 500); nothing stored. */
  live: userProcedure
    .input(z.object({ itemId, from: isoDate, to: isoDate, accountIds: z.array(plaidId).max(50).optional() }))
    .output(liveTransactionsOutput)
    .query(({ ctx, input }) => liveTransactions(ctx.db, ctx.deps, { userId: ctx.user.id, ...dateRange(input) }, ctx.log)),

  /** Money out by category over the last `days` days (the dashboard chart). */
  spending: userProcedure
    .input(z.object({ days: z.number().int().min(1).max(366).default(30) }).default({ days: 30 }))
    .output(spendingOutput)
    .query(({ ctx, input }) => spendingByCategory(ctx.db, { userId: ctx.user.id, days: input.days })),

  /** Money in vs money out this month; moves between own accounts count as neither. */
  month: userProcedure.output(monthSummaryOutput).query(({ ctx }) => monthSummary(ctx.db, { userId: ctx.user.id })),
});
