import { Inngest } from 'inngest';
import { env } from '../server/env';
import { logger } from '../server/logger';
import { createEmbeddedFetch } from '@tributary/inngest-embedded';
import { TracingMiddleware } from './tracing';

export const inngestAppId = 'tributary';

const e = env();

/**
 * The app's Inngest client. With Inngest configured (INNGEST_EVENT_KEY, INNGEST_DEV or
 * INNGEST_BASE_URL) it talks to Inngest as usual. Embedded (the offline default) it is in dev
 * mode, so the serve handler takes the in-process runner's unsigned calls, and `send` is
 * answered by that runner through a custom fetch: no network, no Inngest server.
 */
export const inngest = new Inngest({
  id: inngestAppId,
  logger: logger(),
  middleware: [TracingMiddleware],
  ...(e.inngestMode === 'embedded'
    ? { isDev: true, fetch: createEmbeddedFetch(inngestAppId) }
    : { eventKey: e.INNGEST_EVENT_KEY, baseUrl: e.INNGEST_BASE_URL }),
});
