import { getDb } from '../../../db/client';
import { processDeps } from '../../../server/deps';
import { env } from '../../../server/env';
import { logger } from '../../../server/logger';
import { processContainer } from '../../../server/process/container';
import { readiness } from '../../../server/ops/readiness';
import { getKinesis } from '../../../server/streams/app-kinesis';

const CACHE_MS = 15_000;

/**
 * Readiness: database, Plaid, durable functions (runner or Inngest) and Kinesis; 503 when any
 * fails. The route is public, so results are cached briefly (probing it cannot spend Plaid's
 * rate limit) and a failure's detail goes to the log, not to the caller.
 */
export async function GET() {
  const now = Date.now();
  const c = processContainer();
  if (!c.ready || now - c.ready.at > CACHE_MS) {
    c.ready = { at: now, result: probe() };
  }
  const result = await c.ready.result;
  const checks = result.checks.map((c) => (c.ok ? c : { name: c.name, ok: false, ms: c.ms, detail: 'unavailable' }));
  return Response.json({ ok: result.ok, checks }, { status: result.ok ? 200 : 503 });
}

async function probe() {
  const result = await readiness(getDb().db, processDeps(), {
    jobs: async () => {
      if (env().inngestMode !== 'embedded') return 'Inngest configured';
      const { startEmbeddedInngest } = await import('../../../inngest/embedded');
      const runner = await startEmbeddedInngest();
      if (!runner) throw new Error('embedded runner not running');
      return `embedded runner, ${runner.functions().length} functions`;
    },
    kinesis: async () => (await getKinesis()).client,
  });
  for (const c of result.checks) if (!c.ok) logger().error({ check: c.name, detail: c.detail }, 'Readiness check failed');
  return result;
}
