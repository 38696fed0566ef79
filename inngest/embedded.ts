import { createRunner, type Runner, type ServeHandler } from '@tributary/inngest-embedded';
import { getDb } from '../db/client';
import { env } from '../server/env';
import { logger } from '../server/logger';
import { inngest } from './client';
import { serveHandler } from './serve';

const holder = globalThis as unknown as { __tributaryInngestRunner?: Promise<Runner> };

/**
 * Starts the embedded Inngest runner once per process when Inngest is not configured (call at
 * boot, after migrations). Returns null when Inngest proper runs the functions.
 */
export async function startEmbeddedInngest(): Promise<Runner | null> {
  if (env().inngestMode !== 'embedded') return null;
  holder.__tributaryInngestRunner ??= (async () => {
    const runner = createRunner({
      db: getDb().db,
      client: inngest,
      serveHandler: serveHandler as unknown as ServeHandler,
      log: logger(),
    });
    await runner.start();
    return runner;
  })();
  // A failed start may be tried again (e.g. the next boot attempt).
  holder.__tributaryInngestRunner.catch(() => (holder.__tributaryInngestRunner = undefined));
  return holder.__tributaryInngestRunner;
}

/** Stops the process's embedded runner, handing unfinished runs back to the queue. */
export async function stopEmbeddedInngest(): Promise<void> {
  const runner = await holder.__tributaryInngestRunner;
  holder.__tributaryInngestRunner = undefined;
  await runner?.stop();
}
