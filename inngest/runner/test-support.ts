import { Inngest, type InngestFunction } from 'inngest';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { jobRuns } from '../../db/schema';
import { createLogger } from '../../server/logger';
import { createTestDb } from '../../test/db';
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

/**
 * A runner test file's world: a fresh migrated database for the file, runs cleared before each
 * test, and every runner started through `start` stopped after the test.
 */
export function runnerTestWorld() {
  let handle: DbHandle | undefined;
  const started: Runner[] = [];
  const world = {
    get db(): Db {
      if (!handle) throw new Error('runnerTestWorld: the database is opened in beforeAll');
      return handle.db;
    },
    async start(client: Inngest, functions: InngestFunction.Any[], overrides: Partial<RunnerOptions> = {}): Promise<Runner> {
      const runner = await startRunner(world.db, client, functions, overrides);
      started.push(runner);
      return runner;
    },
  };
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(() => handle?.close());
  beforeEach(() => clearRuns(world.db));
  afterEach(async () => {
    for (const r of started.splice(0)) await r.stop({ graceMs: 0 });
  });
  return world;
}

/** A promise with its resolver, for holding a step open. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
