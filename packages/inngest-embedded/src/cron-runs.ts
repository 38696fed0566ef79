import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Logger } from './host';
import { jobRuns } from './schema';
import { nextCronTime } from './cron';
import type { RunnerFunction } from './functions';
import { buildRun, normalizeEvent } from './intake';
import { insertRun } from './store';

export const cronEventName = 'inngest/scheduled.timer';

/**
 * Each cron trigger keeps one queued run for its next fire time. The run id is derived from
 * (function, cron, fire time), so every runner and every restart agrees and none is doubled.
 */
export async function scheduleNextCron(db: Db, fn: RunnerFunction, cron: string, after: number, log: Logger): Promise<void> {
  const fireAt = nextCronTime(cron, after);
  const hash = createHash('sha256').update(`${fn.id}\n${cron}\n${fireAt}`).digest('hex').slice(0, 24);
  const event = normalizeEvent({ name: cronEventName, data: { cron }, id: `cron-${hash}`, ts: fireAt }, fireAt);
  const run = buildRun(fn, event, fireAt, log, `cron-${hash}`);
  await insertRun(db, { ...run, runAt: new Date(fireAt), createdAt: new Date(after), updatedAt: new Date(after) });
}

/** On start: drop queued cron runs whose schedule is gone, and make sure every cron has its next run. */
export async function syncCronRuns(db: Db, fns: RunnerFunction[], now: number, log: Logger): Promise<void> {
  const pending = await db
    .select({ id: jobRuns.id, functionId: jobRuns.functionId, cron: sql<string>`${jobRuns.event}->'data'->>'cron'` })
    .from(jobRuns)
    .where(and(eq(jobRuns.eventName, cronEventName), eq(jobRuns.status, 'QUEUED'), isNull(jobRuns.startedAt)));
  for (const row of pending) {
    const fn = fns.find((f) => f.id === row.functionId);
    if (!fn || !fn.crons.includes(row.cron)) await db.delete(jobRuns).where(eq(jobRuns.id, row.id));
  }
  for (const fn of fns) for (const cron of fn.crons) await scheduleNextCron(db, fn, cron, now, log);
}
