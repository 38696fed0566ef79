import { sql } from 'drizzle-orm';
import { CountryCode, type Institution } from 'plaid';
import type { Db } from '../../db/client';
import { institutions } from '../../db/schema';
import type { AppDeps } from '../deps';
import type { Logger } from '../logger';
import { plaidCall } from '../plaid/call';

type Health = 'HEALTHY' | 'DEGRADED' | 'DOWN' | 'UNKNOWN';

/** The worst product status Plaid reports for the institution: what a person would call its health. */
export function institutionHealth(inst: Institution): Health {
  const status = inst.status as Record<string, { status?: string } | null | undefined> | null | undefined;
  if (!status) return 'UNKNOWN';
  const all = Object.values(status).map((s) => s?.status).filter(Boolean);
  if (all.includes('DOWN')) return 'DOWN';
  if (all.includes('DEGRADED')) return 'DEGRADED';
  return all.length > 0 ? 'HEALTHY' : 'UNKNOWN';
}

export async function upsertInstitution(db: Db, inst: Institution): Promise<void> {
  const row = {
    id: inst.institution_id,
    name: inst.name,
    logo: inst.logo ?? null,
    primaryColor: inst.primary_color ?? null,
    url: inst.url ?? null,
    products: inst.products,
    countryCodes: inst.country_codes,
    oauth: String(inst.oauth),
    health: institutionHealth(inst),
    status: inst.status ?? null,
    refreshedAt: new Date(),
  };
  await db
    .insert(institutions)
    .values(row)
    .onConflictDoUpdate({
      target: institutions.id,
      set: {
        name: row.name,
        // The catalogue (/institutions/get without metadata) must not wipe a logo we already have.
        logo: sql`coalesce(excluded.logo, ${institutions.logo})`,
        primaryColor: sql`coalesce(excluded.primary_color, ${institutions.primaryColor})`,
        url: sql`coalesce(excluded.url, ${institutions.url})`,
        products: row.products,
        countryCodes: row.countryCodes,
        oauth: row.oauth,
        health: inst.status ? row.health : sql`${institutions.health}`,
        status: sql`coalesce(excluded.status, ${institutions.status})`,
        refreshedAt: row.refreshedAt,
      },
    });
}

/** /institutions/get_by_id with optional metadata and status, stored. */
export async function refreshInstitution(db: Db, deps: Pick<AppDeps, 'plaid'>, institutionId: string, log?: Logger) {
  const data = await plaidCall(db, { endpoint: '/institutions/get_by_id', log }, () =>
    deps.plaid.institutionsGetById({
      institution_id: institutionId,
      country_codes: [CountryCode.Us],
      options: { include_optional_metadata: true, include_status: true },
    }),
  );
  await upsertInstitution(db, data.institution);
  return data.institution;
}
