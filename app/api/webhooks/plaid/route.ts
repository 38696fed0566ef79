import { getDb } from '../../../../db/client';
import { processDeps } from '../../../../server/deps';
import { logger } from '../../../../server/logger';
import { BodyLimitError, readBodyWithLimits } from '../../../../server/webhooks/read-body';
import { webhookKeyCache } from '../../../../server/webhooks/keys';
import { receivePlaidWebhook } from '../../../../server/webhooks/receive';

const MAX_BODY_BYTES = 256 * 1024; // Plaid's webhooks are a few KB
const BODY_TIMEOUT_MS = 5_000;

/** Plaid webhooks: verified, stored, handed to the durable functions; answered fast. */
export async function POST(req: Request) {
  const log = logger().child({ route: 'webhooks/plaid' });
  let rawBody: Uint8Array;
  try {
    rawBody = await readBodyWithLimits(req, MAX_BODY_BYTES, BODY_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof BodyLimitError) return Response.json({ ok: false, error: err.message }, { status: err.status });
    throw err;
  }
  const deps = processDeps();
  const result = await receivePlaidWebhook(
    { db: getDb().db, getKey: webhookKeyCache(deps.plaid), send: deps.send, log },
    { rawBody, headers: req.headers },
  );
  return Response.json(result.body, { status: result.status });
}
