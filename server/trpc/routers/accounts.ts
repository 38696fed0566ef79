import { z } from 'zod';
import { cachedAccounts, liveAccounts, realTimeBalances } from '../../accounts/account-queries';
import { balanceHistory } from '../../accounts/balance-history';
import { router, userProcedure } from '../init';
import { itemId, plaidId } from '../schemas';
import { balanceHistoryOutput, balancesOutput, cachedAccountsOutput, liveAccountsOutput } from '../outputs/accounts';

export const accountsRouter = router({
  /** Stored accounts and balances (masks only, never numbers). */
  cached: userProcedure
    .input(z.object({ itemId: itemId.optional() }).default({}))
    .output(cachedAccountsOutput)
    .query(({ ctx, input }) => cachedAccounts(ctx.db, { userId: ctx.user.id, ...input })),

  /** /accounts/get: Plaid's cached balances, fine for display. */
  live: userProcedure
    .input(z.object({ itemId }))
    .output(liveAccountsOutput)
    .query(({ ctx, input }) => liveAccounts(ctx.db, ctx.deps, { userId: ctx.user.id, itemId: input.itemId }, ctx.log)),

  /** Net worth day by day over the last `days` days, from the stored daily balances (the dashboard chart). */
  balanceHistory: userProcedure
    .input(z.object({ days: z.number().int().min(7).max(366).default(90) }).default({ days: 90 }))
    .output(balanceHistoryOutput)
    .query(({ ctx, input }) => balanceHistory(ctx.db, { userId: ctx.user.id, days: input.days })),

  /** /accounts/balance/get: real-time balances, for payment decisions. */
  balance: userProcedure
    .input(z.object({ itemId, accountIds: z.array(plaidId).max(50).optional() }))
    .output(balancesOutput)
    .query(({ ctx, input }) => realTimeBalances(ctx.db, ctx.deps, { userId: ctx.user.id, ...input }, ctx.log)),
});
