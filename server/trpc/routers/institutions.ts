import { z } from 'zod';
import { institutionById } from '../../institutions/institution-by-id';
import { router, userProcedure } from '../init';
import { plaidId } from '../schemas';
import { institutionOutput } from '../outputs/institutions';

export const institutionsRouter = router({
  /** The stored institution, or (live) refreshed from Plaid first, with its health status. */
  byId: userProcedure
    .input(z.object({ institutionId: plaidId, live: z.boolean().optional() }))
    .output(institutionOutput)
    .query(({ ctx, input }) => institutionById(ctx.db, ctx.deps, input, ctx.log)),
});
