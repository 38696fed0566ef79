import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';

export const opsWindows = { hour: { minutes: 60, bucketMinutes: 5 }, day: { minutes: 24 * 60, bucketMinutes: 60 } } as const;
export type OpsWindow = keyof typeof opsWindows;

export interface OpsFigures {
  /** Bucket starts, oldest first. */
  buckets: Date[];
  /** Mean seconds from a webhook's receipt to its handling, per bucket (null: none handled). */
  syncLagSeconds: (number | null)[];
  /** Failed Plaid calls per bucket, by error code (the codes seen in the window, most frequent first). */
  plaidErrors: { code: string; counts: number[] }[];
  /** Plaid calls per bucket (all outcomes): what the error counts are out of. */
  plaidCalls: number[];
  /** Outbox rows not yet accepted by Kinesis at each bucket's end. */
  outboxBacklog: number[];
}

/**
 * The operations page's figures over the last hour (5-minute buckets) or day (hourly), from the
 * database — webhooks, Plaid calls, the stream outbox — so they outlive a restart and are the
 * same on every instance. The backlog counts records queued in the outbox then, and the
 * transaction changes logged by then and still waiting now (two records each): a change sent
 * straight from the log leaves no trace of how long it waited (seconds, when Kinesis is up). Bucket edges are computed here and bound as text (postgres.js binds
 * no Date inside raw sql).
 */
export async function opsFigures(db: Db, window: OpsWindow, now = new Date()): Promise<OpsFigures> {
  const { minutes, bucketMinutes } = opsWindows[window];
  const step = bucketMinutes * 60_000;
  const end = Math.ceil(now.getTime() / step) * step;
  const n = minutes / bucketMinutes;
  const buckets = Array.from({ length: n }, (_, i) => new Date(end - (n - i) * step));
  const from = buckets[0]!.toISOString();
  const stepSeconds = step / 1000;
  const bucketOf = (col: string) => sql.raw(`floor(extract(epoch from ${col} - '${from}'::timestamptz) / ${stepSeconds})::int`);

  const lag = rowsOf<{ b: number; secs: number }>(await db.execute(sql`
    select ${bucketOf('processed_at')} as b, avg(extract(epoch from processed_at - received_at))::float8 as secs
    from plaid_webhooks where processed_at >= ${from}::timestamptz and verified group by 1`));
  const calls = rowsOf<{ b: number; code: string | null; n: number }>(await db.execute(sql`
    select ${bucketOf('created_at')} as b, error_code as code, count(*)::int as n
    from plaid_api_calls where created_at >= ${from}::timestamptz group by 1, 2`));
  const edges = buckets.map((b) => new Date(b.getTime() + step).toISOString());
  const backlog = rowsOf<{ i: number; n: number }>(await db.execute(sql`
    select e.i::int as i, (select count(*)::int from stream_outbox o
      where o.created_at <= e.at and (o.published_at is null or o.published_at > e.at))
      + 2 * (select count(*)::int from transaction_changes c where c.created_at <= e.at) as n
    from unnest(${sql.raw(`array[${edges.map((e) => `'${e}'`).join(',')}]`)}::timestamptz[]) with ordinality as e(at, i)`));

  const syncLagSeconds: (number | null)[] = buckets.map(() => null);
  for (const r of lag) if (r.b >= 0 && r.b < n) syncLagSeconds[r.b] = Number(r.secs);
  const plaidCalls = buckets.map(() => 0);
  const byCode = new Map<string, number[]>();
  for (const r of calls) {
    if (r.b < 0 || r.b >= n) continue;
    plaidCalls[r.b]! += r.n;
    if (!r.code) continue;
    const counts = byCode.get(r.code) ?? buckets.map(() => 0);
    counts[r.b]! += r.n;
    byCode.set(r.code, counts);
  }
  const plaidErrors = [...byCode].map(([code, counts]) => ({ code, counts })).sort((a, b) => sum(b.counts) - sum(a.counts));
  const outboxBacklog = buckets.map(() => 0);
  for (const r of backlog) outboxBacklog[r.i - 1] = r.n;
  return { buckets, syncLagSeconds, plaidErrors, plaidCalls, outboxBacklog };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
