import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const jobRunStatuses = ['QUEUED', 'RUNNING', 'SLEEPING', 'WAITING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type JobRunStatus = (typeof jobRunStatuses)[number];

/** Embedded Inngest runner state: one row per function run, with its memoized steps. */
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
    stack: jsonb('stack').notNull().default([]),
    concurrencyKey: text('concurrency_key'),
    debounceKey: text('debounce_key'),
    waitFor: jsonb('wait_for'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    output: jsonb('output'),
    error: jsonb('error'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('job_runs_due_idx').on(t.status, t.runAt),
    index('job_runs_concurrency_idx').on(t.functionId, t.concurrencyKey, t.status),
  ],
);
