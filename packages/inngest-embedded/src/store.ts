import { and, asc, eq, gt, inArray, lt, lte, min, ne, or, sql } from 'drizzle-orm';
import type { Db } from './host';
import { jobRuns } from './schema';

/**
 * Every read and write of `job_runs` the runner makes. Claims are row-locked with
 * `FOR UPDATE SKIP LOCKED` and concurrency keys are checked under a transaction-scoped advisory
 * lock, so two runners sharing one Postgres never run the same run, nor overfill a key.
 */
export type JobRun = typeof jobRuns.$inferSelect;
export type NewJobRun = typeof jobRuns.$inferInsert;

const parked = ['QUEUED', 'SLEEPING', 'WAITING'] as const;

export async function insertRun(db: Db, run: NewJobRun): Promise<string | null> {
  const rows = await db.insert(jobRuns).values(run).onConflictDoNothing().returning({ id: jobRuns.id });
  return rows[0]?.id ?? null;
}

/** Adds the event to the pending debounced run of its key (pushing its start back), or opens one. */
export async function upsertDebouncedRun(db: Db, run: NewJobRun, timeoutMs: number | null): Promise<string> {
  const capped = timeoutMs === null
    ? sql`excluded.run_at`
    : sql`least(excluded.run_at, ${jobRuns.createdAt} + ${timeoutMs} * interval '1 millisecond')`;
  const rows = await db
    .insert(jobRuns)
    .values(run)
    .onConflictDoUpdate({
      target: jobRuns.debounceKey,
      targetWhere: sql`status = 'QUEUED' and started_at is null and debounce_key is not null`,
      set: { event: sql`excluded.event`, events: sql`excluded.events`, runAt: capped, updatedAt: sql`excluded.updated_at` },
    })
    .returning({ id: jobRuns.id });
  return rows[0]!.id;
}

export interface Claimed {
  run: JobRun;
  /** The status the run was parked in (RUNNING when taken over from a dead runner). */
  from: JobRun['status'];
  firstClaim: boolean;
}

export async function claimDueRuns(
  db: Db,
  o: { runnerId: string; now: number; leaseMs: number; limit: number },
): Promise<Claimed[]> {
  if (o.limit <= 0) return [];
  const now = new Date(o.now);
  return db.transaction(async (tx) => {
    const candidates = await tx
      .select()
      .from(jobRuns)
      .where(
        or(
          and(inArray(jobRuns.status, [...parked]), lte(jobRuns.runAt, now)),
          and(eq(jobRuns.status, 'RUNNING'), lt(jobRuns.lockedUntil, now)),
        ),
      )
      .orderBy(asc(jobRuns.runAt))
      .limit(Math.max(50, o.limit * 4))
      .for('update', { skipLocked: true });
    const claimed: Claimed[] = [];
    for (const row of candidates) {
      if (claimed.length >= o.limit) break;
      let free = true;
      for (const c of row.concurrency) {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${c.key}))`);
        const [held] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(jobRuns)
          .where(
            and(
              eq(jobRuns.status, 'RUNNING'),
              gt(jobRuns.lockedUntil, now),
              ne(jobRuns.id, row.id),
              sql`${jobRuns.concurrency} @> ${JSON.stringify([{ key: c.key }])}::jsonb`,
            ),
          );
        if ((held?.n ?? 0) >= c.limit) free = false;
      }
      if (!free) continue;
      const [run] = await tx
        .update(jobRuns)
        .set({
          status: 'RUNNING',
          lockedBy: o.runnerId,
          lockedUntil: new Date(o.now + o.leaseMs),
          startedAt: row.startedAt ?? now,
          updatedAt: now,
        })
        .where(eq(jobRuns.id, row.id))
        .returning();
      if (run) claimed.push({ run, from: row.status, firstClaim: row.startedAt === null });
    }
    return claimed;
  });
}

/** Writes a claimed run's progress; false when this runner no longer holds it (lease lost or released). */
export async function saveRun(db: Db, id: string, runnerId: string, patch: Partial<NewJobRun>): Promise<boolean> {
  const rows = await db
    .update(jobRuns)
    .set(patch)
    .where(and(eq(jobRuns.id, id), eq(jobRuns.lockedBy, runnerId), eq(jobRuns.status, 'RUNNING')))
    .returning({ id: jobRuns.id });
  return rows.length > 0;
}

export async function extendLeases(db: Db, runnerId: string, until: number): Promise<void> {
  await db
    .update(jobRuns)
    .set({ lockedUntil: new Date(until) })
    .where(and(eq(jobRuns.lockedBy, runnerId), eq(jobRuns.status, 'RUNNING')));
}

/** Hands this runner's unfinished runs back to the queue (clean shutdown). */
export async function releaseClaims(db: Db, runnerId: string, now: number): Promise<number> {
  const rows = await db
    .update(jobRuns)
    .set({ status: 'QUEUED', lockedBy: null, lockedUntil: null, runAt: new Date(now), updatedAt: new Date(now) })
    .where(and(eq(jobRuns.lockedBy, runnerId), eq(jobRuns.status, 'RUNNING')))
    .returning({ id: jobRuns.id });
  return rows.length;
}

/** When the next parked run falls due, or another runner's lease runs out. */
export async function nextDueAt(db: Db): Promise<number | null> {
  const [parkedAt] = await db.select({ at: min(jobRuns.runAt) }).from(jobRuns).where(inArray(jobRuns.status, [...parked]));
  const [leaseAt] = await db.select({ at: min(jobRuns.lockedUntil) }).from(jobRuns).where(eq(jobRuns.status, 'RUNNING'));
  const times = [parkedAt?.at, leaseAt?.at].filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length ? Math.min(...times) : null;
}

export async function findWaitingRuns(db: Db, eventName: string): Promise<JobRun[]> {
  return db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.status, 'WAITING'), sql`${jobRuns.waitFor}->>'event' = ${eventName}`));
}

/**
 * Resumes a waiting run with the event it waited for; false if it already resumed or timed out.
 * While a run waits on one step its memoized state cannot change, so `run` may be slightly stale.
 */
export async function resumeWaitingRun(db: Db, run: JobRun, event: unknown, now: number): Promise<boolean> {
  const stepId = run.waitFor!.stepId;
  const rows = await db
    .update(jobRuns)
    .set({
      status: 'QUEUED',
      steps: { ...(run.steps as Record<string, unknown>), [stepId]: { type: 'data', data: event } },
      stack: [...run.stack, stepId],
      waitFor: null,
      runAt: new Date(now),
      updatedAt: new Date(now),
    })
    .where(and(eq(jobRuns.id, run.id), eq(jobRuns.status, 'WAITING'), sql`${jobRuns.waitFor}->>'stepId' = ${stepId}`))
    .returning({ id: jobRuns.id });
  return rows.length > 0;
}

export async function getRun(db: Db, id: string): Promise<JobRun | null> {
  const [row] = await db.select().from(jobRuns).where(eq(jobRuns.id, id));
  return row ?? null;
}
