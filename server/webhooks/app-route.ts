import { getDb } from '../../db/client';
import { processDeps } from '../deps';
import { logger } from '../logger';
import { processContainer } from '../process/container';
import { webhookKeyCache } from './keys';
import { createPlaidWebhookRoute } from './receive-route';

type WebhookRoute = ReturnType<typeof createPlaidWebhookRoute>;

/**
 * The app's POST /api/webhooks/plaid, on its process singletons. They are gathered on the first
 * request and kept: the route runs for every webhook, and they never change in a process. Kept in
 * the process container: Next loads this module in more than one bundle (instrumentation and the
 * route), and the body slots and key-lookup ration must be one per process.
 */
export function appWebhookRoute(): WebhookRoute {
  let deps: ReturnType<Parameters<typeof createPlaidWebhookRoute>[0]> | undefined;
  const c = processContainer();
  c.webhookRoute ??= createPlaidWebhookRoute(() => {
    if (deps) return deps;
    const app = processDeps();
    deps = { db: getDb().db, getKey: webhookKeyCache(app.plaid), send: app.send, log: logger().child({ route: 'webhooks/plaid' }) };
    return deps;
  });
  return c.webhookRoute;
}
