import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { institutions } from '../../db/schema';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { refreshInstitution } from '../items/store-institution';
import type { Logger } from '../logger';
import { PlaidCallError } from '../plaid/call';
import { plaidFailureToAppError } from '../plaid/errors';

/**
 * An institution as the app shows it. `live` first refreshes it from Plaid (with its health
 * status) into the table; either way the answer is the stored row, so both read alike.
 */
export async function institutionById(db: Db, deps: Pick<AppDeps, 'plaid'>, input: { institutionId: string; live?: boolean }, log?: Logger) {
  if (input.live) {
    try {
      await refreshInstitution(db, deps, input.institutionId, log);
    } catch (err) {
      if (!(err instanceof PlaidCallError)) throw err;
      if (err.failure.error?.error_code === 'INVALID_INSTITUTION') throw new AppError('NOT_FOUND', 'No such institution');
      throw plaidFailureToAppError(err.failure, '/institutions/get_by_id');
    }
  }
  const [row] = await db.select().from(institutions).where(eq(institutions.id, input.institutionId));
  if (!row) throw new AppError('NOT_FOUND', 'No such institution');
  return { id: row.id, name: row.name, logo: row.logo, primaryColor: row.primaryColor, url: row.url, products: row.products, health: row.health, status: row.status };
}
