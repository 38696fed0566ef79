import { Inngest, type InngestFunction } from 'inngest';
import type { Db } from '../../db/client';
import { jobRuns } from '../../db/schema';
import { createLogger } from '../../server/logger';
import { createEmbeddedFetch } from './registry';
import { createRunner, type Runner, type RunnerOptions } from './runner';

/** Test-only helpers: a toy Inngest client wired to the embedded runner, and a quick-retry runner. */
export const quietLog = createLogger({ level: 'silent' });

export function toyClient(id = 'toy'): Inngest {
  return new Inngest({ id, isDev: true, fetch: createEmbeddedFetch(id), logger: quietLog });
}

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
