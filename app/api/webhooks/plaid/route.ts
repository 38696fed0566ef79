import { appWebhookRoute } from '../../../../server/webhooks/app-route';

/**
 * Plaid webhooks: body read within limits, verified, stored, handed to the durable functions;
 * answered fast. In production the front (scripts/serve.mjs) answers this path before Next does;
 * this route serves it under `next dev`.
 */
export const POST = (req: Request) => appWebhookRoute()(req);
