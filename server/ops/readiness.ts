import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { sql } from 'drizzle-orm';
import { CountryCode } from 'plaid';
import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';

export interface Check {
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

async function timed(name: string, fn: () => Promise<string | undefined>, timeoutMs = 3000): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name, ok: true, ms: Math.round(performance.now() - started), ...(detail ? { detail } : {}) };
  } catch (err) {
    return { name, ok: false, ms: Math.round(performance.now() - started), detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness: the database answers, Plaid (or the emulator) answers, durable functions can run,
 * Kinesis answers. Details are operator-facing and carry no secrets.
 */
export async function readiness(
  db: Db,
  deps: Pick<AppDeps, 'plaid'>,
  probes: { jobs: () => Promise<string>; kinesis: () => Promise<{ send: (c: ListStreamsCommand) => Promise<{ StreamNames?: string[] }> }> },
): Promise<{ ok: boolean; checks: Check[] }> {
  const checks = await Promise.all([
    timed('database', async () => {
      await db.execute(sql`select 1`);
      return undefined;
    }),
    timed('plaid', async () => {
      // Cheap, item-less and side-effect free.
      await deps.plaid.institutionsGetById({ institution_id: 'ins_109508', country_codes: [CountryCode.Us] });
      return undefined;
    }),
    timed('jobs', probes.jobs),
    timed('kinesis', async () => {
      const client = await probes.kinesis();
      const out = await client.send(new ListStreamsCommand({ Limit: 10 }));
      return `${out.StreamNames?.length ?? 0} streams`;
    }),
  ]);
  return { ok: checks.every((c) => c.ok), checks };
}
