import { z } from 'zod';
import { processContainer } from './process/container';

/**
 * The only reader of process.env. Every setting is parsed here; a missing or bad value stops
 * start-up with a message naming the variable.
 */
const csv = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));

const intFrom = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: intFrom(3000),
  APP_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** On SIGTERM/SIGINT: how long requests and job steps in flight may take to finish before they are cut. */
  SHUTDOWN_GRACE_MS: intFrom(10_000),

  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('.data'),

  PLAID_ENV: z.enum(['emulator', 'sandbox', 'production']).optional(),
  PLAID_CLIENT_ID: z.string().min(1).optional(),
  PLAID_SECRET: z.string().min(1).optional(),
  PLAID_REDIRECT_URI: z.url().optional(),
  PLAID_WEBHOOK_URL: z.url().optional(),
  PLAID_EMULATOR_URL: z.url().optional(),
  PLAID_EMULATOR_CLIENT_ID: z.string().min(1).optional(),
  PLAID_EMULATOR_SECRET: z.string().min(1).optional(),

  ENCRYPTION_KEYS: z.string().min(1).optional(),
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  SERVICE_API_KEYS: z.string().min(1).optional(),
  /** Bearer token GET /metrics requires outside the embedded default (unset there: /metrics answers 404). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Sign-in (and sign-up) attempts allowed per client IP per minute before 429. */
  SIGN_IN_RATE_LIMIT_PER_MINUTE: intFrom(10),
  /** Failed sign-ins within 15 minutes that lock an account for SIGN_IN_LOCKOUT_MINUTES. */
  SIGN_IN_LOCKOUT_THRESHOLD: intFrom(5),
  SIGN_IN_LOCKOUT_MINUTES: intFrom(15),

  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY: z.string().min(1).optional(),
  INNGEST_DEV: z.string().min(1).optional(),
  INNGEST_BASE_URL: z.url().optional(),
  INSTITUTION_POLL_CRON: z.string().min(1).default('0 */6 * * *'),
  FRESHNESS_THRESHOLD_HOURS: z.coerce.number().positive().default(6),
  /** Transaction syncs running at once, all items together (4 saturates 2 cores; raise with the machines). */
  SYNC_CONCURRENCY: intFrom(4),
  HYGIENE_CRON: z.string().min(1).default('30 3 * * *'),
  HYGIENE_INACTIVE_DAYS: intFrom(60),
  HYGIENE_ERROR_DAYS: intFrom(30),
  /** Retention, in days, run by the hygiene job (docs/DATA-POLICY.md). */
  STREAM_OUTBOX_RETENTION_DAYS: intFrom(7),
  JOB_RUNS_RETENTION_DAYS: intFrom(14),
  API_CALLS_RETENTION_DAYS: intFrom(30),
  WEBHOOK_RETENTION_DAYS: intFrom(90),
  /** Hourly sweep re-requesting syncs of ACTIVE items whose last sync failed or is older than STALE_SYNC_HOURS. */
  RESYNC_SWEEP_CRON: z.string().min(1).default('15 * * * *'),
  STALE_SYNC_HOURS: z.coerce.number().positive().default(6),
  RESYNC_SWEEP_LIMIT: intFrom(500),

  KINESIS_ENDPOINT: z.url().optional(),
  KINESIS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  KINESIS_STREAM_RAW_TRANSACTIONS: z.string().min(1).default('tributary-raw-transactions'),
  KINESIS_STREAM_RAW_ACCOUNTS: z.string().min(1).default('tributary-raw-accounts'),
  KINESIS_STREAM_REFINED_TRANSACTIONS: z.string().min(1).default('tributary-refined-transactions'),
  KINESIS_STREAM_REFINED_ACCOUNTS: z.string().min(1).default('tributary-refined-accounts'),

  /** Outgoing mail: smtp://user:pass@host:587 or smtps://...; unset = the embedded SMTP inbox on 127.0.0.1 (not in production). */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Tributary <notifications@tributary.local>'),
  /** Port of the embedded SMTP inbox (0 = any free port). */
  EMBEDDED_SMTP_PORT: z.coerce.number().int().min(0).default(0),
  /** Reminders after the first email about one problem (days 3 and 7, then weekly). */
  NOTIFY_MAX_REMINDERS: z.coerce.number().int().min(0).default(5),
  /** Banks that break within this many seconds of each other go out in one email. */
  NOTIFY_DIGEST_WINDOW_SECONDS: z.coerce.number().int().min(0).default(60),
  /** How long an email's button works. */
  NOTIFY_LINK_TTL_HOURS: intFrom(72),
  /** Hygiene: a user who left this many notifications in a row unanswered is a removal candidate. */
  HYGIENE_UNANSWERED_NOTIFICATIONS: intFrom(10),

  SEGMENT_WRITE_KEY: z.string().min(1).optional(),
  SEGMENT_ENDPOINT: z.url().optional(),

  /**
   * Traces (OpenTelemetry): off unless one of these asks for an exporter. The SDK reads the rest of
   * the standard OTEL_* variables itself (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_PROTOCOL, headers, sampler...).
   */
  OTEL_SDK_DISABLED: z.enum(['true', 'false', 'TRUE', 'FALSE', '']).optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
});

export class EnvError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid environment: ${variable} ${problem}`);
    this.name = 'EnvError';
  }
}

function parsePairs(variable: string, raw: string | undefined): Array<{ id: string; value: string }> {
  if (!raw) return [];
  return raw.split(',').map((pair) => {
    const at = pair.indexOf(':');
    const id = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (at <= 0 || !value) throw new EnvError(variable, 'must be comma-separated name:value pairs');
    return { id, value };
  });
}

export function loadEnv(source: Record<string, string | undefined> = process.env) {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EnvError(String(issue.path[0] ?? 'environment'), `is invalid: ${issue.message}`);
  }
  const e = parsed.data;
  const hasPlaidCredentials = Boolean(e.PLAID_CLIENT_ID && e.PLAID_SECRET);
  const plaidEnv = e.PLAID_ENV ?? (hasPlaidCredentials ? 'sandbox' : 'emulator');
  if (plaidEnv !== 'emulator') {
    if (!e.PLAID_CLIENT_ID) throw new EnvError('PLAID_CLIENT_ID', `is required when PLAID_ENV=${plaidEnv}`);
    if (!e.PLAID_SECRET) throw new EnvError('PLAID_SECRET', `is required when PLAID_ENV=${plaidEnv}`);
  }
  /** Embedded = the offline single-machine default: secrets may be generated into DATA_DIR. */
  const embedded = plaidEnv === 'emulator' && !e.DATABASE_URL;
  if (plaidEnv === 'production') {
    if (!e.ENCRYPTION_KEYS) throw new EnvError('ENCRYPTION_KEYS', 'is required when PLAID_ENV=production');
    if (!e.BETTER_AUTH_SECRET) throw new EnvError('BETTER_AUTH_SECRET', 'is required when PLAID_ENV=production');
    if (!e.SMTP_URL) throw new EnvError('SMTP_URL', 'is required when PLAID_ENV=production');
  }
  if (!embedded && !e.ENCRYPTION_KEYS) {
    throw new EnvError('ENCRYPTION_KEYS', 'is required outside the embedded default (no DATABASE_URL, PLAID_ENV=emulator)');
  }
  const encryptionKeys = parsePairs('ENCRYPTION_KEYS', e.ENCRYPTION_KEYS).map(({ id, value }) => {
    const key = Buffer.from(value, 'base64');
    if (key.length !== 32) throw new EnvError('ENCRYPTION_KEYS', `key "${id}" must be 32 bytes of base64`);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new EnvError('ENCRYPTION_KEYS', `key id "${id}" must be [A-Za-z0-9_-]`);
    return { id, key };
  });
  const serviceApiKeys = parsePairs('SERVICE_API_KEYS', e.SERVICE_API_KEYS).map(({ id, value }) => ({ name: id, key: value }));
  const appUrl = e.APP_URL ?? `http://127.0.0.1:${e.PORT}`;
  // The spec's default exporter is OTLP; ours is none, so an unconfigured install pays nothing.
  const tracesExporter = (e.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
  const tracing = e.OTEL_SDK_DISABLED?.toLowerCase() !== 'true'
    && (tracesExporter.length > 0 || Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT))
    && e.OTEL_TRACES_EXPORTER?.trim() !== 'none';
  const inngestMode = e.INNGEST_EVENT_KEY || e.INNGEST_DEV || e.INNGEST_BASE_URL ? 'inngest' : 'embedded';
  return {
    ...e,
    appUrl,
    plaidEnv,
    embedded,
    encryptionKeys,
    serviceApiKeys,
    inngestMode: inngestMode as 'inngest' | 'embedded',
    /** Whether the OpenTelemetry SDK starts (server/telemetry/start-tracing.ts). */
    tracing,
    plaidWebhookUrl: e.PLAID_WEBHOOK_URL ?? `${appUrl}/api/webhooks/plaid`,
    // OAuth banks need a redirect_uri. Against the emulator the app's own return page always works;
    // with real Plaid it must be one registered in the dashboard, so it is never guessed there.
    plaidRedirectUri: e.PLAID_REDIRECT_URI ?? (plaidEnv === 'emulator' ? `${appUrl}/oauth-return` : null),
    streams: {
      'raw-transactions': e.KINESIS_STREAM_RAW_TRANSACTIONS,
      'raw-accounts': e.KINESIS_STREAM_RAW_ACCOUNTS,
      'refined-transactions': e.KINESIS_STREAM_REFINED_TRANSACTIONS,
      'refined-accounts': e.KINESIS_STREAM_REFINED_ACCOUNTS,
    },
    testDatabaseUrl: source.TEST_DATABASE_URL,
  };
}

export type Env = ReturnType<typeof loadEnv>;

/** The process's parsed environment (parsed once). */
export function env(): Env {
  const c = processContainer();
  c.env ??= loadEnv();
  return c.env;
}
