import type { Db, Logger } from './host';
import type { JobAttemptError } from './schema';
import { retryAfterMs, sleepUntilMs } from './durations';
import type { RunnerFunction } from './functions';
import { callFunction, type MemoizedStep, type Op, type SerializedError, type ServeHandler } from './protocol';
import { type JobRun, type NewJobRun, saveRun } from './store';

export interface ExecuteContext {
  db: Db;
  handler: ServeHandler;
  runnerId: string;
  now: () => number;
  leaseMs: number;
  log: Logger;
  backoffMs: (attempt: number) => number;
  backoffScale: number;
  fn: RunnerFunction | undefined;
  /** True once the runner is stopping: finish the current request, save, and go no further. */
  stopping: () => boolean;
  /** False once the runner has given up its claims: nothing more may be written. */
  mayWrite: () => boolean;
  /** Sends `inngest/function.failed` so onFailure handlers run. */
  emitFailure: (run: JobRun, error: SerializedError) => Promise<void>;
}

type Step = { kind: 'progress' } | { kind: 'done' };

const maxAttemptErrors = 20;
const unsupportedOps = new Set(['InvokeFunction', 'AIGateway', 'Gateway', 'WaitForSignal', 'DeferAdd', 'DeferAbort']);

function briefError(error: unknown): JobAttemptError['error'] {
  const e = (error ?? {}) as SerializedError;
  return { name: typeof e.name === 'string' ? e.name : 'Error', message: typeof e.message === 'string' ? e.message : String(error) };
}

/**
 * Drives one claimed run through the serve handler until it completes, fails, parks (sleep, wait,
 * retry backoff) or this runner loses its claim. Progress is saved after every memoized step, so a
 * crash re-runs at most the step that was executing.
 */
export async function executeRun(ctx: ExecuteContext, claimed: JobRun): Promise<void> {
  const run = claimed;
  const steps = { ...(run.steps as Record<string, MemoizedStep>) };
  const stack = [...run.stack];
  let attempt = run.attempt;
  const attemptErrors = [...run.attemptErrors];
  const log = ctx.log.child({ runId: run.id, fn: run.functionId });
  const maxAttempts = ctx.fn?.maxAttempts ?? run.maxAttempts;

  // Claimed off a sleep or a wait that timed out: that step resolves to null.
  if (run.waitFor && !(run.waitFor.stepId in steps)) {
    steps[run.waitFor.stepId] = { type: 'data', data: null };
    stack.push(run.waitFor.stepId);
  }

  const save = async (patch: Partial<NewJobRun>) => {
    if (!ctx.mayWrite()) return false;
    const now = ctx.now();
    return saveRun(ctx.db, run.id, ctx.runnerId, {
      steps, stack, attempt, attemptErrors, waitFor: null, updatedAt: new Date(now), ...patch,
    });
  };
  const park = (patch: Partial<NewJobRun>) => save({ lockedBy: null, lockedUntil: null, ...patch });

  const noteError = (step: string | null, error: unknown) => {
    attemptErrors.push({ at: new Date(ctx.now()).toISOString(), attempt, step, error: briefError(error) });
    if (attemptErrors.length > maxAttemptErrors) attemptErrors.splice(0, attemptErrors.length - maxAttemptErrors);
  };

  /** A retriable failure: try again after backoff, or fail the run once attempts are spent. */
  const failOrRetry = async (error: SerializedError, retriable: boolean, retryAfter: string | null, step: string | null): Promise<Step> => {
    noteError(step, error);
    const now = ctx.now();
    if (retriable && attempt + 1 < maxAttempts) {
      const hinted = retryAfter ? retryAfterMs(retryAfter, now) : null;
      const delay = Math.round((hinted ?? ctx.backoffMs(attempt + 1)) * ctx.backoffScale);
      log.warn({ attempt: attempt + 1, maxAttempts, step, err: briefError(error), delayMs: delay }, 'inngest run attempt failed; retrying');
      attempt += 1;
      await park({ status: 'QUEUED', runAt: new Date(now + delay) });
      return { kind: 'done' };
    }
    log.error({ attempt: attempt + 1, step, err: briefError(error) }, 'inngest run failed');
    const saved = await park({ status: 'FAILED', error, finishedAt: new Date(now) });
    if (saved && !ctx.fn?.isFailureHandler) await ctx.emitFailure(run, error);
    return { kind: 'done' };
  };

  /** Applies one step's op; returns a terminal Step when the run must stop here. */
  const applyOp = async (op: Op): Promise<Step | null> => {
    const name = op.displayName ?? op.name ?? op.id;
    switch (op.op) {
      case 'StepRun':
        steps[op.id] = { type: 'data', data: op.data ?? null };
        stack.push(op.id);
        attempt = 0;
        log.debug({ step: name }, 'inngest step ran');
        return null;
      case 'StepFailed':
        noteError(name, op.error);
        steps[op.id] = { type: 'error', error: op.error ?? { name: 'Error', message: 'step failed' } };
        stack.push(op.id);
        attempt = 0;
        log.warn({ step: name, err: briefError(op.error) }, 'inngest step failed after its retries');
        return null;
      case 'StepError':
        return failOrRetry(op.error ?? { name: 'Error', message: 'step error' }, true, null, name);
      default:
        if (unsupportedOps.has(op.op)) {
          return failOrRetry({ name: 'NonRetriableError', message: `The embedded Inngest runner does not support ${op.op} (step "${name}")` }, false, null, name);
        }
        return null;
    }
  };

  while (!ctx.stopping()) {
    const base = { runId: run.id, functionId: run.functionId, event: run.event, events: run.events as unknown[], maxAttempts };
    const outcome = await callFunction(ctx.handler, { ...base, stepId: 'step', steps, stack, attempt });
    if (outcome.kind === 'completed') {
      log.info({ steps: stack.length }, 'inngest run completed');
      await park({ status: 'COMPLETED', output: outcome.output ?? null, error: null, finishedAt: new Date(ctx.now()) });
      return;
    }
    if (outcome.kind === 'error') {
      await failOrRetry(outcome.error, outcome.retriable, outcome.retryAfter, null);
      return;
    }

    let progressed = false;
    const waits: Op[] = [];
    for (const op of outcome.ops) {
      if (op.op === 'Sleep' || op.op === 'WaitForEvent') {
        waits.push(op);
        continue;
      }
      if (op.op === 'StepPlanned') {
        // Parallel steps: run each one on its own request, as Inngest would.
        const planned = await callFunction(ctx.handler, { ...base, stepId: op.id, steps, stack, attempt });
        if (planned.kind === 'error') return void (await failOrRetry(planned.error, planned.retriable, planned.retryAfter, op.displayName ?? op.id));
        if (planned.kind === 'completed') continue;
        for (const ran of planned.ops) {
          const stop = await applyOp(ran);
          if (stop) return;
          progressed ||= ran.op === 'StepRun' || ran.op === 'StepFailed';
        }
        continue;
      }
      const stop = await applyOp(op);
      if (stop) return;
      progressed ||= op.op === 'StepRun' || op.op === 'StepFailed';
    }

    if (progressed) {
      if (!(await save({ lockedUntil: new Date(ctx.now() + ctx.leaseMs) }))) return void log.warn('inngest run claim lost; leaving it');
      continue;
    }
    const wait = waits[0];
    if (!wait) {
      await failOrRetry({ name: 'Error', message: 'The function reported no step to run' }, true, null, null);
      return;
    }
    const now = ctx.now();
    if (wait.op === 'Sleep') {
      const until = sleepUntilMs(wait.name ?? '0s', now);
      log.debug({ step: wait.displayName, until: new Date(until).toISOString() }, 'inngest run sleeping');
      await park({ status: 'SLEEPING', runAt: new Date(until), waitFor: { stepId: wait.id, event: null, if: null } });
    } else {
      const opts = (wait.opts ?? {}) as { timeout?: string; if?: string };
      const until = sleepUntilMs(opts.timeout ?? '0s', now);
      await park({ status: 'WAITING', runAt: new Date(until), waitFor: { stepId: wait.id, event: wait.name ?? '', if: opts.if ?? null } });
    }
    return;
  }
}
