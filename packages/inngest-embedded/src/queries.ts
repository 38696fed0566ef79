import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from './host';
import { type JobAttemptError, type JobRunStatus, jobRuns } from './schema';
import { getRun, type JobRun } from './store';

/** Filters for an operator's run list (e.g. a support console). */
export interface ListRunsFilter {
  functionId?: string;
  status?: JobRunStatus;
  /** Runs whose event carries this `data.itemId`. */
  itemId?: string;
  /** Keyset paging: runs created before this one. */
  before?: Date;
  limit?: number;
}

/** A run as an operator's list shows it: no event payload beyond its name and `data.itemId`. */
export interface RunSummary {
  id: string;
  functionId: string;
  eventName: string;
  itemId: string | null;
  status: JobRunStatus;
  attempt: number;
  maxAttempts: number;
  stepsDone: number;
  error: { name?: string; message?: string } | null;
  attemptErrors: JobAttemptError[];
  runAt: Date;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export async function listRuns(db: Db, filter: ListRunsFilter = {}): Promise<RunSummary[]> {
  const where: SQL[] = [];
  if (filter.functionId) where.push(eq(jobRuns.functionId, filter.functionId));
  if (filter.status) where.push(eq(jobRuns.status, filter.status));
  if (filter.itemId) where.push(sql`${jobRuns.event}->'data'->>'itemId' = ${filter.itemId}`);
  if (filter.before) where.push(lt(jobRuns.createdAt, filter.before));
  const rows = await db
    .select({
      id: jobRuns.id,
      functionId: jobRuns.functionId,
      eventName: jobRuns.eventName,
      itemId: sql<string | null>`${jobRuns.event}->'data'->>'itemId'`,
      status: jobRuns.status,
      attempt: jobRuns.attempt,
      maxAttempts: jobRuns.maxAttempts,
      stepsDone: sql<number>`jsonb_array_length(${jobRuns.stack})::int`,
      error: sql<RunSummary['error']>`case when ${jobRuns.error} is null then null
        else jsonb_build_object('name', ${jobRuns.error}->>'name', 'message', ${jobRuns.error}->>'message') end`,
      attemptErrors: jobRuns.attemptErrors,
      runAt: jobRuns.runAt,
      createdAt: jobRuns.createdAt,
      startedAt: jobRuns.startedAt,
      finishedAt: jobRuns.finishedAt,
    })
    .from(jobRuns)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
    .limit(Math.min(filter.limit ?? 50, 500));
  return rows;
}

const terminal = new Set<JobRunStatus>(['COMPLETED', 'FAILED', 'CANCELLED']);

/** Polls until the run finishes (COMPLETED, FAILED or CANCELLED). For tests and scripts. */
export async function waitForRun(db: Db, runId: string, { timeoutMs = 30_000 } = {}): Promise<JobRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(db, runId);
    if (run && terminal.has(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish in ${timeoutMs} ms (status ${run?.status ?? 'missing'})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Operator action: cancels a run that has not finished. A parked run stops at once; a run that is
 * executing finishes its current step, then finds it can no longer write and goes no further.
 */
export async function cancelRun(db: Db, runId: string, now = new Date()): Promise<boolean> {
  const rows = await db
    .update(jobRuns)
    .set({ status: 'CANCELLED', lockedBy: null, lockedUntil: null, waitFor: null, finishedAt: now, updatedAt: now })
    .where(and(eq(jobRuns.id, runId), inArray(jobRuns.status, ['QUEUED', 'SLEEPING', 'WAITING', 'RUNNING'])))
    .returning({ id: jobRuns.id });
  return rows.length > 0;
}

/**
 * Operator action: runs a FAILED run again with fresh attempts, keeping the steps that succeeded
 * and forgetting the ones that failed (so they execute again).
 */
export async function retryRun(db: Db, runId: string, now = new Date()): Promise<boolean> {
  const run = await getRun(db, runId);
  if (!run || run.status !== 'FAILED') return false;
  const steps = Object.fromEntries(
    Object.entries(run.steps as Record<string, { type: string }>).filter(([, step]) => step.type === 'data'),
  );
  const rows = await db
    .update(jobRuns)
    .set({
      status: 'QUEUED', attempt: 0, error: null, finishedAt: null, runAt: now, updatedAt: now,
      steps, stack: run.stack.filter((id) => id in steps),
    })
    .where(and(eq(jobRuns.id, runId), eq(jobRuns.status, 'FAILED')))
    .returning({ id: jobRuns.id });
  return rows.length > 0;
}
