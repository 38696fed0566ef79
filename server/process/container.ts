import type { Runner } from '@tributary/inngest-embedded';
import type { Emulator } from '@tributary/plaid-emulator';
import type { PlaidApi } from 'plaid';
import type { DbHandle } from '../../db/client';
import type { Auth } from '../auth/auth';
import type { Keyring } from '../crypto/cipher';
import type { SendEvents } from '../deps';
import type { Env } from '../env';
import type { NodeHandler } from '../http/node-route';
import type { Logger } from '../logger';
import type { AppMetrics } from '../metrics/registry';
import type { Mailer } from '../notifications/mailer';
import type { SmtpInbox } from '../notifications/smtp-inbox';
import type { readiness } from '../ops/readiness';
import type { PlaidWebhookKey } from '../plaid/webhook-verify';
import type { AppKinesis } from '../streams/app-kinesis';
import type { createPlaidWebhookRoute } from '../webhooks/receive-route';

/** The stages of a graceful stop, installed at boot and called by the production front (scripts/serve.mjs). */
export interface ProcessShutdown {
  /** Stops the embedded runner: in-flight steps get up to graceMs, then its claims are released. */
  stopJobs(graceMs: number): Promise<void>;
  /** Closes Kinesis, the mounted emulator and the database, then flushes the log. */
  close(): Promise<void>;
}

/**
 * Everything one server process holds: the parsed environment, the database, the log, the
 * keyring, the clients, the runner... Each member is made when first asked for, by its accessor
 * (`env()`, `getDb()`, `logger()`, `keyring()`, `plaid()`, `getKinesis()`...), which stays the only
 * way in. It lives in one globalThis slot because Next loads our modules in several bundles
 * (instrumentation, each route) within one process, and all of them must share one of each; the
 * production front (scripts/serve.mjs, outside the bundles) reads `frontRoutes`, `drainExempt`,
 * `env` and `shutdown` from it too. Tests replace a member by assigning it (`setEnvForTests`).
 */
export interface ProcessContainer {
  /** When boot() started, or null while nothing has booted (tests, scripts). */
  bootedAt: number | null;
  env?: Env;
  db?: DbHandle;
  log?: Logger;
  keyring?: Keyring;
  auth?: Auth;
  plaid?: PlaidApi;
  /** Installed at boot: the Inngest client's send (to the embedded runner or Inngest). */
  send?: SendEvents;
  /** The embedded Inngest runner, once started (embedded mode only). */
  runner?: Promise<Runner>;
  kinesis?: Promise<AppKinesis>;
  /** Outgoing mail (SMTP_URL, or the embedded inbox) and, in the embedded default, that inbox. */
  mailer?: Promise<Mailer>;
  smtpInbox?: Promise<SmtpInbox>;
  /** The Plaid emulator mounted in the app (emulator mode without a standalone emulator). */
  emulator?: Emulator;
  /** Routes the production front answers before Next, keyed "METHOD /path" (server/http/front-routes.ts). */
  frontRoutes: Map<string, NodeHandler>;
  /**
   * Path prefixes the front still serves while it drains: the app's own in-flight jobs call the
   * mounted emulator through the server, and must be able to finish their step.
   */
  drainExempt: string[];
  webhookRoute?: ReturnType<typeof createPlaidWebhookRoute>;
  webhookKeys?: (kid: string) => Promise<PlaidWebhookKey>;
  /** /api/ready's cached probe. */
  ready?: { at: number; result: ReturnType<typeof readiness> };
  shutdown?: ProcessShutdown;
  /** The Prometheus registry and the app's metrics (server/metrics/registry.ts), shared by every bundle. */
  metrics?: AppMetrics;
  /** The OpenTelemetry SDK, when traces are on (server/telemetry/start-tracing.ts). */
  tracing?: { shutdown(): Promise<void> };
}

const slot = globalThis as unknown as { __tributary?: ProcessContainer };

/** The process's container, made on first use (boot, or the first accessor a test or script calls). */
export function processContainer(): ProcessContainer {
  slot.__tributary ??= { bootedAt: null, frontRoutes: new Map(), drainExempt: [] };
  return slot.__tributary;
}
