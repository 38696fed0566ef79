import { Inngest, type InngestFunction } from 'inngest';
import type { Db, Logger } from './host';
import { createEmbeddedFetch } from './registry';
import { createRunner, type Runner, type RunnerOptions } from './runner';
import { jobRuns } from './schema';

/**
 * Helpers for tests that drive functions through the embedded runner: a toy Inngest client wired
 * to it, a runner with quick retries, and small timing tools. Tests only; nothing here is for
 * production code.
 */

/** A logger that drops everything (also fits the Inngest client's `logger` option). */
export const quietLog: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => quietLog,
};

/** A dev-mode Inngest client whose `send` goes to the runner started for the same client id. */
export function toyClient(id = 'toy'): Inngest {
  return new Inngest({ id, isDev: true, fetch: createEmbeddedFetch(id), logger: quietLog });
}

/** Starts a runner that polls often and retries ~100 times faster than the default backoff. */
export async function startRunner(
  db: Db,
  client: Inngest,
  functions: InngestFunction.Any[],
  overrides: Partial<RunnerOptions> = {},
): Promise<Runner> {
  const runner = createRunner({ db, client, functions, log: quietLog, pollIntervalMs: 200, backoffScale: 0.01, ...overrides });
  await runner.start();
  return runner;
}

/** Deletes every run (between tests sharing one database). */
export async function clearRuns(db: Db): Promise<void> {
  await db.delete(jobRuns);
}

/** A promise with its resolver, for holding a step open. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
