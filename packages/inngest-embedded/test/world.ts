import type { Inngest, InngestFunction } from 'inngest';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Db } from '../src/host';
import type { Runner, RunnerOptions } from '../src/runner';
import { clearRuns, startRunner } from '../src/testing';
import { createTestDb, type TestDb } from './db';

/**
 * A runner test file's world: a fresh database for the file, runs cleared before each test, and
 * every runner started through `start` stopped after the test.
 */
export function runnerTestWorld() {
  let handle: TestDb | undefined;
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
