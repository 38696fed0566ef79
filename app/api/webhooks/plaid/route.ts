import { getDb } from '../../../../db/client';
import { processDeps } from '../../../../server/deps';
import { logger } from '../../../../server/logger';
import { webhookKeyCache } from '../../../../server/webhooks/keys';
import { createPlaidWebhookRoute } from '../../../../server/webhooks/receive-route';

/** Plaid webhooks: body read within limits, verified, stored, handed to the durable functions; answered fast. */
export const POST = createPlaidWebhookRoute(() => {
  const deps = processDeps();
  return { db: getDb().db, getKey: webhookKeyCache(deps.plaid), send: deps.send, log: logger().child({ route: 'webhooks/plaid' }) };
});
