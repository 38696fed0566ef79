import { sql } from 'drizzle-orm';
import type { Institution } from 'plaid';
import type { Db } from '../../db/client';
import { institutions } from '../../db/schema';

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

/**
 * Institutions in one statement (a catalogue page, or the one from get_by_id): a field Plaid
 * left out (no optional metadata, no status) keeps what we already had, so the catalogue never
 * wipes a logo or a health fetched with /institutions/get_by_id.
 */
export async function upsertInstitutions(db: Db, page: Institution[]): Promise<number> {
  // Plaid's catalogue has been seen to repeat an id across a page boundary; one row per id per statement.
  const unique = [...new Map(page.map((i) => [i.institution_id, i])).values()];
  if (unique.length === 0) return 0;
  const now = new Date();
  await db
    .insert(institutions)
    .values(
      unique.map((inst) => ({
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
        refreshedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: institutions.id,
      set: {
        name: sql`excluded.name`,
        logo: sql`coalesce(excluded.logo, ${institutions.logo})`,
        primaryColor: sql`coalesce(excluded.primary_color, ${institutions.primaryColor})`,
        url: sql`coalesce(excluded.url, ${institutions.url})`,
        products: sql`excluded.products`,
        countryCodes: sql`excluded.country_codes`,
        oauth: sql`excluded.oauth`,
        health: sql`case when excluded.status is null then ${institutions.health} else excluded.health end`,
        status: sql`coalesce(excluded.status, ${institutions.status})`,
        refreshedAt: sql`excluded.refreshed_at`,
      },
    });
  return unique.length;
}
