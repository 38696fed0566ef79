import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const jobRunStatuses = ['QUEUED', 'RUNNING', 'SLEEPING', 'WAITING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type JobRunStatus = (typeof jobRunStatuses)[number];

/** One evaluated concurrency constraint of a run: at most `limit` RUNNING runs share `key`. */
export interface JobConcurrency {
  key: string;
  limit: number;
}

/** The step a parked run waits on: a sleep (`event` null) or step.waitForEvent with its `if` expression. */
export interface JobWaitFor {
  stepId: string;
  event: string | null;
  if: string | null;
}

/** One failed attempt, kept for operators to read (bounded; newest last). */
export interface JobAttemptError {
  at: string;
  attempt: number;
  step: string | null;
  error: { name?: string; message?: string };
}

/**
 * Embedded Inngest runner state: one row per function run, with its memoized steps.
 * `run_at` is when the run is next due (queued, retry backoff, sleep end, wait timeout, debounce end).
 * `locked_by`/`locked_until` is the lease of the runner executing it: a RUNNING row whose lease
 * has expired belonged to a process that died and may be claimed again.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: text('id').primaryKey(), // run id (ULID-like)
    functionId: text('function_id').notNull(),
    eventName: text('event_name').notNull(),
    event: jsonb('event').notNull(),
    events: jsonb('events').notNull(),
    status: text('status', { enum: jobRunStatuses }).notNull().default('QUEUED'),
    attempt: integer('attempt').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(4),
    steps: jsonb('steps').notNull().default({}),
    stack: jsonb('stack').$type<string[]>().notNull().default([]),
    concurrencyKey: text('concurrency_key'), // the first keyed constraint, for support queries
    concurrency: jsonb('concurrency').$type<JobConcurrency[]>().notNull().default([]),
    debounceKey: text('debounce_key'),
    waitFor: jsonb('wait_for').$type<JobWaitFor>(),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    output: jsonb('output'),
    error: jsonb('error'),
    attemptErrors: jsonb('attempt_errors').$type<JobAttemptError[]>().notNull().default([]),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('job_runs_due_idx').on(t.status, t.runAt),
    index('job_runs_concurrency_idx').on(t.functionId, t.concurrencyKey, t.status),
    index('job_runs_function_idx').on(t.functionId, t.createdAt),
    // Retention (server/hygiene/retention.ts): finished runs, oldest first.
    index('job_runs_finished_idx').on(t.finishedAt).where(sql`status in ('COMPLETED', 'FAILED', 'CANCELLED')`),
    // At most one pending (not yet started) debounced run per key: bursts update it in place.
    uniqueIndex('job_runs_debounce_pending_idx')
      .on(t.debounceKey)
      .where(sql`status = 'QUEUED' and started_at is null and debounce_key is not null`),
  ],
);
