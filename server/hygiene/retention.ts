import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { jobRuns, plaidApiCalls, plaidWebhooks, streamOutbox } from '../../db/schema';

/** How long each kind of operational record is kept (days). See docs/DATA-POLICY.md. */
export interface RetentionPolicy {
  /** stream_outbox rows, counted from when Kinesis accepted them. Unpublished rows are never deleted. */
  streamOutboxDays: number;
  /** job_runs (embedded Inngest runner) that finished: COMPLETED, FAILED or CANCELLED. */
  jobRunsDays: number;
  /** plaid_api_calls rows (one per Plaid call). */
  apiCallsDays: number;
  /** plaid_webhooks that were handled (PROCESSED or IGNORED). RECEIVED, QUEUED, FAILED and REJECTED ones are kept. */
  webhookDays: number;
}

export const retentionTables = ['streamOutbox', 'jobRuns', 'apiCalls', 'webhooks'] as const;
export type RetentionTable = (typeof retentionTables)[number];
export type RetentionCounts = Record<RetentionTable, number>;

/** Every table at zero rows deleted, to count into. */
export const noRowsDeleted = (): RetentionCounts => Object.fromEntries(retentionTables.map((t) => [t, 0])) as RetentionCounts;

/** Rows deleted per statement: small enough that no statement holds its row locks for long. */
export const RETENTION_BATCH_SIZE = 5000;

interface Rule {
  table: PgTable;
  key: PgColumn;
  days: (p: RetentionPolicy) => number;
  /** The rows past the cut-off that may go; everything else is never touched. */
  expired: (cutoff: string) => SQL;
}

// Cut-offs are bound as ISO strings with a cast: postgres.js binds no Date inside raw sql.
const rules: Record<RetentionTable, Rule> = {
  streamOutbox: {
    table: streamOutbox,
    key: streamOutbox.seq,
    days: (p) => p.streamOutboxDays,
    // published_at < x is false for a null published_at: an unpublished row never matches.
    expired: (cutoff) => sql`${streamOutbox.publishedAt} < ${cutoff}::timestamptz`,
  },
  jobRuns: {
    table: jobRuns,
    key: jobRuns.id,
    days: (p) => p.jobRunsDays,
    expired: (cutoff) => sql`${jobRuns.status} in ('COMPLETED', 'FAILED', 'CANCELLED') and ${jobRuns.finishedAt} < ${cutoff}::timestamptz`,
  },
  apiCalls: {
    table: plaidApiCalls,
    key: plaidApiCalls.id,
    days: (p) => p.apiCallsDays,
    expired: (cutoff) => sql`${plaidApiCalls.createdAt} < ${cutoff}::timestamptz`,
  },
  webhooks: {
    table: plaidWebhooks,
    key: plaidWebhooks.id,
    days: (p) => p.webhookDays,
    // Counted from the last thing that happened to it: a webhook handled late is kept as long.
    expired: (cutoff) =>
      sql`${plaidWebhooks.state} in ('PROCESSED', 'IGNORED') and coalesce(${plaidWebhooks.processedAt}, ${plaidWebhooks.receivedAt}) < ${cutoff}::timestamptz`,
  },
};

export interface PruneOptions {
  now?: Date;
  batchSize?: number;
  /** Statements per call; `more` says whether rows past the cut-off may remain. */
  maxBatches?: number;
}

/**
 * Deletes one table's expired rows in batches of `batchSize` (one short statement each; rows
 * another transaction holds are skipped, not waited for), at most `maxBatches` statements.
 */
export async function pruneTable(
  db: Db,
  table: RetentionTable,
  policy: RetentionPolicy,
  o: PruneOptions = {},
): Promise<{ deleted: number; more: boolean }> {
  const rule = rules[table];
  const batchSize = o.batchSize ?? RETENTION_BATCH_SIZE;
  const maxBatches = o.maxBatches ?? 20;
  const cutoff = new Date((o.now ?? new Date()).getTime() - rule.days(policy) * 86_400_000).toISOString();
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await db.execute(sql`
      with doomed as (
        select ${rule.key} as key from ${rule.table} where ${rule.expired(cutoff)} limit ${batchSize} for update skip locked
      ),
      gone as (delete from ${rule.table} where ${rule.key} in (select key from doomed) returning 1)
      select count(*)::int as n from gone`);
    const n = Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
    deleted += n;
    if (n < batchSize) return { deleted, more: false };
  }
  return { deleted, more: true };
}
