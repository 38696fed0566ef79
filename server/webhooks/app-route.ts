import { getDb } from '../../db/client';
import { processDeps } from '../deps';
import { logger } from '../logger';
import { webhookKeyCache } from './keys';
import { createPlaidWebhookRoute } from './receive-route';

type WebhookRoute = ReturnType<typeof createPlaidWebhookRoute>;
// On globalThis: Next loads this module in more than one bundle (instrumentation and the route),
// and the body slots and key-lookup ration must be one per process.
const holder = globalThis as unknown as { __tributaryWebhookRoute?: WebhookRoute };

/** The app's POST /api/webhooks/plaid, on its process singletons. */
export function appWebhookRoute(): WebhookRoute {
  holder.__tributaryWebhookRoute ??= createPlaidWebhookRoute(() => {
    const deps = processDeps();
    return { db: getDb().db, getKey: webhookKeyCache(deps.plaid), send: deps.send, log: logger().child({ route: 'webhooks/plaid' }) };
  });
  return holder.__tributaryWebhookRoute;
}
