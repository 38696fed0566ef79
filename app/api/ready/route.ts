import { getDb } from '../../../db/client';
import { processDeps } from '../../../server/deps';
import { env } from '../../../server/env';
import { readiness } from '../../../server/ops/readiness';
import { getKinesis } from '../../../server/streams/app-kinesis';

/** Readiness: database, Plaid, durable functions (runner or Inngest) and Kinesis. 503 when any fails. */
export async function GET() {
  const result = await readiness(getDb().db, processDeps(), {
    jobs: async () => {
      if (env().inngestMode !== 'embedded') return 'Inngest configured';
      const { startEmbeddedInngest } = await import('../../../inngest/embedded');
      const runner = await startEmbeddedInngest();
      if (!runner) throw new Error('embedded runner not running');
      return `embedded runner ${runner.id}, ${runner.functions().length} functions`;
    },
    kinesis: async () => (await getKinesis()).client,
  });
  return Response.json(result, { status: result.ok ? 200 : 503 });
}
