import { sql } from 'drizzle-orm';
import { Gauge, Registry } from 'prom-client';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { outboxBacklog } from '../streams/outbox';
import { metrics } from './registry';

/**
 * The Prometheus text for one scrape: the process's counters and histograms, then gauges read
 * from the database at this moment (shared by every instance, so any instance's scrape tells the
 * same): items by status, records waiting for Kinesis per stream (outbox and change log), webhooks waiting to be
 * handled and the oldest one's age, and finished sync runs of the last hour by outcome.
 */
export async function scrapeMetrics(db: Db): Promise<{ contentType: string; body: string }> {
  const app = metrics();
  const now = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [now] });

  const items = gauge('tributary_items', 'Plaid items by status', ['status']);
  for (const r of rowsOf<{ status: string; n: number }>(await db.execute(sql`select status, count(*)::int as n from plaid_items group by status`))) {
    items.set({ status: r.status }, r.n);
  }
  const backlog = gauge('tributary_outbox_backlog', 'Stream records not yet accepted by Kinesis (queued in the outbox, or transaction changes waiting in the change log), per stream', ['stream']);
  for (const b of await outboxBacklog(db)) backlog.set({ stream: b.stream }, b.unpublished);
  const published = gauge('tributary_outbox_published_last_hour', 'Stream records Kinesis accepted in the last hour, per stream', ['stream']);
  for (const r of rowsOf<{ stream: string; n: number }>(await db.execute(sql`select stream, sum(n)::int as n from (select stream, count(*) as n from stream_outbox where published_at > now() - interval '1 hour' group by stream union all select stream, sum(records) from stream_published_minutes where minute > now() - interval '1 hour' group by stream) p group by stream`))) {
    published.set({ stream: r.stream }, r.n);
  }
  const [waiting] = rowsOf<{ n: number; oldest: number | null }>(
    await db.execute(sql`select count(*)::int as n, extract(epoch from now() - min(received_at))::float8 as oldest from plaid_webhooks where state in ('RECEIVED', 'QUEUED')`),
  );
  gauge('tributary_webhooks_pending', 'Accepted webhooks not yet handled').set(waiting?.n ?? 0);
  gauge('tributary_webhook_oldest_pending_seconds', 'Age of the oldest accepted webhook not yet handled (webhook-to-synced lag)').set(Number(waiting?.oldest ?? 0));
  const runs = gauge('tributary_sync_runs_last_hour', 'Sync runs finished in the last hour, by outcome', ['outcome']);
  const pages = gauge('tributary_sync_pages_last_hour', 'Sync pages applied in the last hour, by outcome', ['outcome']);
  const rows = gauge('tributary_sync_rows_last_hour', 'Transactions added, modified or removed by syncs in the last hour, by outcome', ['outcome']);
  const duration = gauge('tributary_sync_duration_seconds_avg_last_hour', 'Mean sync run duration in the last hour, by outcome', ['outcome']);
  for (const r of rowsOf<{ status: string; n: number; pages: number; rows: number; secs: number | null }>(
    await db.execute(sql`
      select status, count(*)::int as n, sum(pages)::int as pages, sum(added + modified + removed)::int as rows,
        avg(extract(epoch from finished_at - started_at))::float8 as secs
      from sync_runs where finished_at > now() - interval '1 hour' group by status`),
  )) {
    const outcome = r.status.toLowerCase();
    runs.set({ outcome }, r.n);
    pages.set({ outcome }, r.pages);
    rows.set({ outcome }, r.rows);
    duration.set({ outcome }, Number(r.secs ?? 0));
  }
  const jobs = gauge('tributary_job_runs_last_hour', 'Durable function runs (embedded runner) finished in the last hour, by function and outcome', ['function', 'outcome']);
  for (const r of rowsOf<{ fn: string; status: string; n: number }>(
    await db.execute(sql`select function_id as fn, status, count(*)::int as n from job_runs where finished_at > now() - interval '1 hour' group by 1, 2`),
  )) {
    jobs.set({ function: r.fn, outcome: r.status.toLowerCase() }, r.n);
  }
  return { contentType: app.registry.contentType, body: (await app.registry.metrics()) + (await now.metrics()) };
}
