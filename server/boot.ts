import { appEvent, institutionsPollRequested, itemWebhooksMigrationRequested } from './events';
import { getDb } from '../db/client';
import { institutions } from '../db/schema';
import { runMigrations } from '../db/migrate';
import { auth } from './auth';
import { seedDemoUsers } from './auth/demo-users';
import { coalesceSends } from './coalesce-sends';
import { keyring } from './crypto';
import { setEventSender } from './deps';
import { EnvError, env } from './env';
import { registerFrontRoute } from './http/front-routes';
import { toNodeHandler } from './http/node-route';
import { logger } from './logger';
import { EMULATOR_MOUNT, mountedEmulator, mountsEmulator } from './plaid/mounted-emulator';
import { processContainer } from './process/container';
import { installProcessShutdown } from './process/shutdown';
import { safeErrorMessage } from './safe-error';
import { getKinesis, usesEmbeddedKinesis } from './streams/app-kinesis';
import { embeddedInbox, usesEmbeddedSmtp } from './notifications/app-notifier';
import { appWebhookRoute } from './webhooks/app-route';

/**
 * Start-up, once per server process (called from instrumentation.ts): validate the environment,
 * migrate, load the keyring, seed the demo accounts (emulator mode), then start what the mode
 * needs: the mounted emulator, the embedded Inngest runner, the embedded Kinesis; last, the routes
 * the production front answers itself, and the stop the front runs on SIGTERM.
 */
export async function boot(): Promise<void> {
  // The process container: every accessor below fills its member of it.
  const container = processContainer();
  container.bootedAt = Date.now();
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
  // What the front runs on SIGTERM/SIGINT once it has drained its requests (scripts/serve.mjs);
  // installed first, so that a boot that fails midway still closes what it opened.
  installProcessShutdown();
  const log = logger();
  const started = Date.now();
  const handle = getDb();
  await runMigrations(handle);
  keyring();
  if (mountsEmulator()) {
    mountedEmulator();
    // Jobs call Plaid through this server: while it drains they must still reach the emulator.
    container.drainExempt.push(`${EMULATOR_MOUNT}/`);
  }
  if (usesEmbeddedKinesis()) await getKinesis();
  // No SMTP_URL: mail goes to an SMTP inbox in this process (the mailbox page, /dev/mailbox).
  if (usesEmbeddedSmtp()) await embeddedInbox();

  // Imported here, not at the top: the Inngest client module reads the environment on load.
  const { inngest } = await import('../inngest/client');
  // Concurrent sends (a burst of webhooks) go out as one event API call each turn.
  setEventSender(
    coalesceSends(async (events) => {
      await inngest.send(events);
    }),
  );
  const { startEmbeddedInngest } = await import('../inngest/embedded');
  await startEmbeddedInngest();
  // After the runner: seeding signs the demo users up, and every sign-in sends user/signed-in.
  if (e.plaidEnv === 'emulator') await seedDemoUsers(handle.db, auth());
  // A fresh install would otherwise show no bank health until the first cron tick (hours away).
  const [known] = await handle.db.select({ id: institutions.id }).from(institutions).limit(1);
  if (!known) await inngest.send(appEvent(institutionsPollRequested, { reason: 'first boot' })).catch((err: unknown) => log.warn({ err }, 'Could not request the first institutions poll'));
  // Items linked while the app had another public URL get the current one (a no-op when none differ).
  await inngest
    .send(appEvent(itemWebhooksMigrationRequested, { webhookUrl: e.plaidWebhookUrl }))
    .catch((err: unknown) => log.warn({ err }, 'Could not request the webhook URL migration'));

  // Plaid's webhooks are answered by the front in production, ahead of Next (server/http/front-routes.ts).
  registerFrontRoute(
    'POST',
    '/api/webhooks/plaid',
    // The reason only: a failed query's message repeats every bound parameter (the whole body).
    toNodeHandler(appWebhookRoute(), (err) => log.error({ err: safeErrorMessage(err), route: 'webhooks/plaid' }, 'Webhook request failed')),
  );

  log.info(
    { plaid_env: e.plaidEnv, database: handle.driver, inngest: e.inngestMode, kinesis: usesEmbeddedKinesis() ? 'embedded' : 'configured', smtp: usesEmbeddedSmtp() ? 'embedded' : 'configured', ms: Date.now() - started },
    'Tributary booted',
  );
}
