import { parseCron } from './cron';
import { parseDuration } from './durations';
import type { RawFunctionConfig } from './protocol';

/** A function as the runner schedules it. */
export interface RunnerFunction {
  id: string;
  name: string;
  events: Array<{ event: string; expression: string | null }>;
  crons: string[];
  maxAttempts: number;
  concurrency: Array<{ limit: number; key: string | null; scope: 'fn' | 'env' | 'account' }>;
  debounce: { key: string | null; periodMs: number; timeoutMs: number | null } | null;
  /** Failure handlers (`<id>-failure`) run on `inngest/function.failed`; their own failure emits nothing. */
  isFailureHandler: boolean;
  /** Configured options this runner does not honour (logged at start). */
  ignored: string[];
}

const unsupported = ['idempotency', 'batchEvents', 'rateLimit', 'throttle', 'priority', 'timeouts', 'singleton', 'cancel'];

const defaultRetries = 3;

export function toRunnerFunction(raw: RawFunctionConfig): RunnerFunction {
  const constraints = raw.concurrency === undefined ? [] : Array.isArray(raw.concurrency) ? raw.concurrency : [raw.concurrency];
  const crons = raw.triggers.flatMap((t) => (t.cron ? [t.cron] : []));
  for (const cron of crons) parseCron(cron); // fail at start, not at the first tick
  return {
    id: raw.id,
    name: raw.name ?? raw.id,
    events: raw.triggers.flatMap((t) => (t.event ? [{ event: t.event, expression: t.expression ?? null }] : [])),
    crons,
    maxAttempts: (raw.steps.step?.retries?.attempts ?? defaultRetries) + 1,
    concurrency: constraints
      .map((c) => (typeof c === 'number' ? { limit: c } : c))
      .filter((c) => c.limit > 0)
      .map((c) => ({ limit: c.limit, key: c.key ?? null, scope: (c.scope ?? 'fn') as 'fn' | 'env' | 'account' })),
    debounce: raw.debounce
      ? {
          key: raw.debounce.key ?? null,
          periodMs: parseDuration(raw.debounce.period),
          timeoutMs: raw.debounce.timeout ? parseDuration(raw.debounce.timeout) : null,
        }
      : null,
    isFailureHandler: raw.triggers.some((t) => t.event === 'inngest/function.failed'),
    ignored: unsupported.filter((option) => raw[option] !== undefined && raw[option] !== null),
  };
}

/** Event names match exactly, or by a trailing wildcard (`item/*`). */
export function eventNameMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  return pattern.endsWith('*') && name.startsWith(pattern.slice(0, -1));
}
