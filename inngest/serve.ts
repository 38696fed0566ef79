import { serve } from 'inngest/next';
import { env } from '../server/env';
import { inngest } from './client';
import { functions } from './index';

/** The app's Inngest endpoint: Inngest calls it over HTTP, the embedded runner calls it in-process. */
export const serveHandler = serve({ client: inngest, functions });

const notServed = () =>
  Response.json({ error: 'Inngest is embedded in this server; /api/inngest is not exposed' }, { status: 404 });

/**
 * What app/api/inngest/route.ts exports. Embedded, the client is in dev mode (no request
 * signatures), so the route is closed: only the in-process runner may execute functions.
 */
export const inngestRoute =
  env().inngestMode === 'embedded' ? { GET: notServed, POST: notServed, PUT: notServed } : serveHandler;
