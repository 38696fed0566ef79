import { createRunner, type Runner, type ServeHandler } from '@tributary/inngest-embedded';
import { getDb } from '../db/client';
import { env } from '../server/env';
import { logger } from '../server/logger';
import { processContainer } from '../server/process/container';
import { inngest } from './client';
import { serveHandler } from './serve';

/**
 * Starts the embedded Inngest runner once per process when Inngest is not configured (call at
 * boot, after migrations). Returns null when Inngest proper runs the functions.
 */
export async function startEmbeddedInngest(): Promise<Runner | null> {
  if (env().inngestMode !== 'embedded') return null;
  const c = processContainer();
  c.runner ??= (async () => {
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
  const started = c.runner;
  started.catch(() => {
    if (c.runner === started) c.runner = undefined;
  });
  return started;
}

/**
 * Stops the process's embedded runner: no new claims, in-flight steps get up to graceMs to finish
 * and be saved, then every run it still holds is handed back to the queue at once (not left for
 * its lease to expire), so the next process or another instance resumes it immediately.
 */
export async function stopEmbeddedInngest(options: { graceMs?: number } = {}): Promise<void> {
  const c = processContainer();
  const pending = c.runner;
  c.runner = undefined;
  const runner = await pending?.catch(() => null);
  await runner?.stop({ graceMs: options.graceMs, release: true });
}
