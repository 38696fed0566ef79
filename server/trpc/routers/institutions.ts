import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { institutions } from '../../../db/schema';
import { AppError } from '../../errors';
import { institutionHealth } from '../../institutions/upsert-institutions';
import { refreshInstitution } from '../../items/store-institution';
import { PlaidCallError } from '../../plaid/call';
import { plaidFailureToAppError } from '../../plaid/errors';
import { router, userProcedure } from '../init';
import { plaidId } from '../schemas';

export const institutionsRouter = router({
  /** The stored institution, or (live) fresh from Plaid with its health status. */
  byId: userProcedure.input(z.object({ institutionId: plaidId, live: z.boolean().optional() })).query(async ({ ctx, input }) => {
    if (input.live) {
      try {
        const inst = await refreshInstitution(ctx.db, ctx.deps, input.institutionId, ctx.log);
        return { id: inst.institution_id, name: inst.name, logo: inst.logo ?? null, primaryColor: inst.primary_color ?? null, url: inst.url ?? null, products: inst.products, health: institutionHealth(inst), status: inst.status ?? null };
      } catch (err) {
        if (err instanceof PlaidCallError) {
          if (err.failure.error?.error_code === 'INVALID_INSTITUTION') throw new AppError('NOT_FOUND', 'No such institution');
          throw plaidFailureToAppError(err.failure, '/institutions/get_by_id');
        }
        throw err;
      }
    }
    const [row] = await ctx.db.select().from(institutions).where(eq(institutions.id, input.institutionId));
    if (!row) throw new AppError('NOT_FOUND', 'No such institution');
    return { id: row.id, name: row.name, logo: row.logo, primaryColor: row.primaryColor, url: row.url, products: row.products, health: row.health, status: row.status };
  }),
});
