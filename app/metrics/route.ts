import { getDb } from '../../db/client';
import { env } from '../../server/env';
import { serveMetrics } from '../../server/metrics/metrics-route';

export const dynamic = 'force-dynamic';

/** Prometheus scrape: open on the embedded default, else behind METRICS_TOKEN (server/metrics/metrics-route.ts). */
export const GET = (req: Request) => {
  const e = env();
  return serveMetrics(req, { db: getDb().db, embedded: e.embedded, token: e.METRICS_TOKEN });
};
