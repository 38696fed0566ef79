import { getDb } from '../db/client';
import { runMigrations } from '../db/migrate';
import { auth } from './auth';
import { seedDemoUsers } from './auth/demo-users';
import { keyring } from './crypto';
import { EnvError, env } from './env';
import { logger } from './logger';

/**
 * Start-up, once per server process (called from instrumentation.ts): validate the environment,
 * migrate, load the keyring, and in emulator mode seed the demo accounts.
 */
export async function boot(): Promise<void> {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      // The logger itself is configured from env, so this one message goes straight to stderr.
      console.error(`Tributary cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const e = env();
  const log = logger();
  const started = Date.now();
  const handle = getDb();
  await runMigrations(handle);
  keyring();
  if (e.plaidEnv === 'emulator') await seedDemoUsers(handle.db, auth());
  log.info(
    { plaid_env: e.plaidEnv, database: handle.driver, inngest: e.inngestMode, ms: Date.now() - started },
    'Tributary booted',
  );
}
