import { createHash } from 'node:crypto';
import type { Db, Logger } from './host';
import { evaluate, evaluateKey } from './expressions';
import { eventNameMatches, type RunnerFunction } from './functions';
import { newId } from './ids';
import { findWaitingRuns, insertRun, type NewJobRun, resumeWaitingRun, upsertDebouncedRun } from './store';

/** An event as the runner stores it and hands to functions. */
export interface RunnerEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  [key: string]: unknown;
}

export type EventInput = { name: string; data?: unknown; id?: string; ts?: number; [key: string]: unknown };

export function normalizeEvent(input: EventInput, now: number): RunnerEvent {
  if (!input || typeof input.name !== 'string' || !input.name) throw new Error('An event needs a name');
  const data = input.data && typeof input.data === 'object' ? (input.data as Record<string, unknown>) : {};
  return { ...input, id: input.id ?? newId(now), name: input.name, data, ts: input.ts ?? now };
}

/**
 * When the sender chose the event id, the run id derives from it: like Inngest's event
 * idempotency, sending the same id again starts no second run of a function.
 */
function runIdFor(fn: RunnerFunction, event: RunnerEvent, senderChoseId: boolean, now: number): string {
  if (!senderChoseId || fn.debounce) return newId(now);
  return `evt-${createHash('sha256').update(`${fn.id}\n${event.id}`).digest('hex').slice(0, 26)}`;
}

/** A failed expression is treated as false (and logged), as Inngest does. */
function truthy(expression: string, context: Record<string, unknown>, log: Logger): boolean {
  try {
    return Boolean(evaluate(expression, context));
  } catch (err) {
    log.warn({ expression, err }, 'inngest expression could not be evaluated');
    return false;
  }
}

function key(expression: string | null, event: RunnerEvent, log: Logger): string {
  if (!expression) return '';
  try {
    return evaluateKey(expression, { event });
  } catch (err) {
    log.warn({ expression, err }, 'inngest key expression could not be evaluated');
    return '';
  }
}

/** The queued run of `fn` for `event`, with its concurrency and debounce keys evaluated. */
export function buildRun(fn: RunnerFunction, event: RunnerEvent, now: number, log: Logger, id = newId(now)): NewJobRun {
  const concurrency = fn.concurrency.map((c) => ({
    key: `${c.scope === 'fn' ? fn.id : c.scope}:${key(c.key, event, log)}`,
    limit: c.limit,
  }));
  const at = new Date(now);
  return {
    id,
    functionId: fn.id,
    eventName: event.name,
    event,
    events: [event],
    status: 'QUEUED',
    maxAttempts: fn.maxAttempts,
    concurrency,
    concurrencyKey: concurrency.find((_, i) => fn.concurrency[i]?.key)?.key ?? null,
    debounceKey: fn.debounce ? `${fn.id}:${key(fn.debounce.key, event, log)}` : null,
    runAt: fn.debounce ? new Date(now + fn.debounce.periodMs) : at,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Accepts one event: resumes runs waiting for it, then opens a run for every function it
 * triggers (debounced functions fold it into their pending run). Returns the run ids touched.
 */
export async function acceptEvent(
  db: Db,
  fns: RunnerFunction[],
  event: RunnerEvent,
  o: { now: number; log: Logger; senderChoseId: boolean },
): Promise<string[]> {
  const { now, log } = o;
  const touched: string[] = [];
  for (const run of await findWaitingRuns(db, event.name)) {
    const condition = run.waitFor?.if;
    if (condition && !truthy(condition, { event: run.event, async: event }, log)) continue;
    if (await resumeWaitingRun(db, run, event, now)) touched.push(run.id);
  }
  for (const fn of fns) {
    const trigger = fn.events.find((t) => eventNameMatches(t.event, event.name) && (!t.expression || truthy(t.expression, { event }, log)));
    if (!trigger) continue;
    const run = buildRun(fn, event, now, log, runIdFor(fn, event, o.senderChoseId, now));
    const id = fn.debounce ? await upsertDebouncedRun(db, run, fn.debounce.timeoutMs) : await insertRun(db, run);
    if (id) touched.push(id);
  }
  return touched;
}
