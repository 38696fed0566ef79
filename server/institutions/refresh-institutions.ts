import { and, gte, isNotNull, ne } from 'drizzle-orm';
import { CountryCode } from 'plaid';
import type { Db } from '../../db/client';
import { linkEvents, plaidItems } from '../../db/schema';
import type { AppDeps } from '../deps';
import type { Logger } from '../logger';
import { plaidCall, PlaidCallError } from '../plaid/call';
import { refreshInstitution } from '../items/store-institution';
import { upsertInstitutions } from './upsert-institutions';

/** Plaid's largest page for /institutions/get. */
export const CATALOGUE_PAGE = 500;

/** How far back a bank chosen in Link still counts as one our users try. */
const TRIED_IN_LINK_DAYS = 30;

/**
 * Institutions of every item not removed, and those people chose in Link lately (a bank that is
 * down never becomes an item, yet support must see it as down): the ones whose health our users feel.
 */
export async function institutionsInUse(db: Db, now = new Date()): Promise<string[]> {
  const [items, tried] = await Promise.all([
    db
      .selectDistinct({ id: plaidItems.institutionId })
      .from(plaidItems)
      .where(and(isNotNull(plaidItems.institutionId), ne(plaidItems.status, 'REMOVED'))),
    db
      .selectDistinct({ id: linkEvents.institutionId })
      .from(linkEvents)
      .where(and(isNotNull(linkEvents.institutionId), gte(linkEvents.createdAt, new Date(now.getTime() - TRIED_IN_LINK_DAYS * 86_400_000)))),
  ]);
  return [...new Set([...items, ...tried].map((r) => r.id!))].sort();
}

export interface InUseResult {
  refreshed: number;
  /** Institutions Plaid no longer knows (INVALID_INSTITUTION and the like): logged, not retried. */
  unknown: string[];
}

/**
 * /institutions/get_by_id with status and optional metadata for each institution in use. One
 * institution Plaid refuses does not stop the others; a transient failure (rate limit, Plaid or
 * network fault) is thrown after the rest are done, so the durable step retries.
 */
export async function refreshInstitutionsInUse(db: Db, deps: Pick<AppDeps, 'plaid'>, log: Logger): Promise<InUseResult> {
  const ids = await institutionsInUse(db);
  const result: InUseResult = { refreshed: 0, unknown: [] };
  let transient: unknown = null;
  for (const id of ids) {
    try {
      await refreshInstitution(db, deps, id, log);
      result.refreshed++;
    } catch (err) {
      if (err instanceof PlaidCallError && err.failure.kind === 'bad_input') {
        log.warn({ institution_id: id, plaid_error: err.failure.error?.error_code }, 'Plaid does not know an institution in use');
        result.unknown.push(id);
      } else {
        transient ??= err;
      }
    }
  }
  if (transient) throw transient;
  return result;
}

/** One page of the catalogue (/institutions/get, optional metadata), upserted. */
export async function refreshCataloguePage(
  db: Db,
  deps: Pick<AppDeps, 'plaid'>,
  offset: number,
  log?: Logger,
  count = CATALOGUE_PAGE,
): Promise<{ stored: number; total: number; nextOffset: number | null }> {
  const data = await plaidCall(db, { endpoint: '/institutions/get', log }, () =>
    deps.plaid.institutionsGet({
      count,
      offset,
      country_codes: [CountryCode.Us],
      options: { include_optional_metadata: true },
    }),
  );
  const stored = await upsertInstitutions(db, data.institutions);
  const next = offset + data.institutions.length;
  // An empty page ends the walk even if `total` promised more (the catalogue shrank meanwhile).
  return { stored, total: data.total, nextOffset: data.institutions.length > 0 && next < data.total ? next : null };
}
