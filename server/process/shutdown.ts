import { closeDb } from '../../db/client';
import { logger } from '../logger';
import { closeMountedEmulator } from '../plaid/mounted-emulator';
import { safeErrorMessage } from '../safe-error';
import { closeKinesis } from '../streams/app-kinesis';
import { closeMail } from '../notifications/app-notifier';
import { stopTracing } from '../telemetry/start-tracing';
import { type ProcessShutdown, processContainer } from './container';

/**
 * The process's side of a graceful stop (the HTTP side is the front's, scripts/serve.mjs). One log
 * line per phase; a phase that fails is logged and the next one still runs, so a stuck Kinesis
 * cannot keep the database from being closed.
 */
export const processShutdown: ProcessShutdown = {
  async stopJobs(graceMs) {
    const c = processContainer();
    const pending = c.runner;
    if (!pending) return;
    c.runner = undefined;
    const log = logger();
    const started = Date.now();
    log.info({ phase: 'jobs', graceMs }, 'shutdown: stopping the embedded Inngest runner and releasing its claims');
    // No new claims; steps in flight get graceMs to finish and be saved; then every run this
    // runner still holds goes back to the queue at once, not when its lease would have expired
    // (inngest/embedded.ts stopEmbeddedInngest does the same; not imported here, since the Inngest
    // client module it loads reads the environment, and a shutdown should load nothing new).
    await phase('jobs', async () => (await pending.catch(() => null))?.stop({ graceMs, release: true }));
    log.info({ phase: 'jobs', ms: Date.now() - started }, 'shutdown: embedded Inngest runner stopped');
  },

  async close() {
    const c = processContainer();
    const log = logger();
    if (c.kinesis) {
      const embedded = Boolean((await c.kinesis.catch(() => null))?.local);
      await phase('kinesis', closeKinesis);
      await phase('mail', closeMail);
      log.info({ phase: 'kinesis', embedded }, embedded ? 'shutdown: Kinesis client closed, kinesalite stopped' : 'shutdown: Kinesis client closed');
    }
    if (c.emulator) {
      await phase('emulator', closeMountedEmulator);
      log.info({ phase: 'emulator' }, 'shutdown: mounted Plaid emulator closed (state saved)');
    }
    if (c.tracing) {
      // After the jobs and Kinesis: their last spans are exported too.
      await phase('traces', stopTracing);
      log.info({ phase: 'traces' }, 'shutdown: buffered spans exported');
    }
    if (c.db) {
      const driver = c.db.driver;
      await phase('database', closeDb);
      log.info({ phase: 'database', driver }, 'shutdown: database closed');
    }
    log.info({ phase: 'done' }, 'shutdown: complete');
    await new Promise<void>((resolve) => log.flush(() => resolve()));
  },
};

async function phase(name: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    logger().error({ phase: name, err: safeErrorMessage(err) }, 'shutdown: phase failed');
  }
}

/** Called by boot: the front finds the stop it must run in the process container. */
export function installProcessShutdown(): void {
  processContainer().shutdown = processShutdown;
}
