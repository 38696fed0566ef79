import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client';
import { scrapeMetrics } from './scrape';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics, Prometheus text. Open on the embedded default (one machine, 127.0.0.1); elsewhere
 * it needs `Authorization: Bearer $METRICS_TOKEN` (401 without it), and answers 404 when no token
 * is configured, so an instance never exposes its figures by omission.
 */
export async function serveMetrics(req: Request, o: { db: Db; embedded: boolean; token: string | undefined }): Promise<Response> {
  if (!o.embedded) {
    if (!o.token) return new Response('Not found', { status: 404 });
    const given = /^Bearer (.+)$/.exec(req.headers.get('authorization') ?? '')?.[1] ?? '';
    // Compared as digests: equal lengths, and no timing hint about the token.
    if (!timingSafeEqual(digest(given), digest(o.token))) {
      return new Response('Unauthorized', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    }
  }
  const { contentType, body } = await scrapeMetrics(o.db);
  return new Response(body, { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
