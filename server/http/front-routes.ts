import { processContainer } from '../process/container';
import type { NodeHandler } from './node-route';

/**
 * Routes the production front (scripts/serve.mjs) answers itself, before Next's request pipeline,
 * keyed "METHOD /path" (no query). Next's routing, rendering and per-request objects cost a hot,
 * tiny endpoint most of its latency and its GC pauses under load; the webhook receiver is one.
 * Registered at boot (instrumentation, so inside Next's bundle) and read by the front from the
 * process container (`globalThis.__tributary.frontRoutes`), the one object both share. Under
 * `next dev` there is no front, and Next's own route for the same path serves instead, so every
 * front route must also exist as an App Router route.
 */
export function registerFrontRoute(method: 'POST' | 'GET', path: string, handler: NodeHandler): void {
  processContainer().frontRoutes.set(`${method} ${path}`, handler);
}
