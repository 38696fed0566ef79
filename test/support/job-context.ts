import { quietLog } from '@tributary/inngest-embedded/testing';
import type { Db } from '../../db/client';
import type { AppDeps } from '../../server/deps';
import type { JobContext, JobSettings } from '../../server/jobs/context';

/** Settings as the process's defaults have them (env.ts), for tests that do not care. */
export const defaultJobSettings: JobSettings = {
  freshnessThresholdHours: 6,
  hygiene: { inactiveDays: 60, errorDays: 30, unansweredNotifications: 10 },
  retention: { streamOutboxDays: 7, jobRunsDays: 14, apiCallsDays: 30, webhookDays: 90 },
  resync: { staleHours: 6, limit: 500 },
};

/** Something a test's context left out: a step that reaches for it fails and says what. */
const missing = <T>(what: string): T =>
  new Proxy({}, { get: (_t, prop) => { if (prop === 'then') return undefined; throw new Error(`This test's job context has no ${what} (asked for .${String(prop)})`); } }) as T;

/**
 * A job context for tests: the database, plus whatever the test passes; everything else either a
 * harmless default (quiet log, analytics to the table, default settings) or a stand-in that throws
 * when a step uses it, naming what is missing.
 */
export function testJobContext(o: { db: Db } & Partial<Omit<JobContext, 'db' | 'deps' | 'settings'>> & { deps?: Partial<AppDeps>; settings?: Partial<JobSettings> }): JobContext {
  const deps: AppDeps = {
    plaid: o.deps?.plaid ?? missing('Plaid client'),
    keyring: o.deps?.keyring ?? missing('keyring'),
    send: o.deps?.send ?? (async () => {}),
    config: o.deps?.config ?? { plaidEnv: 'emulator', webhookUrl: 'http://127.0.0.1/hook', redirectUri: null, clientName: 'Tributary' },
  };
  return {
    db: o.db,
    deps,
    log: o.log ?? quietLog as unknown as JobContext['log'],
    analytics: o.analytics ?? { kind: 'table' },
    kinesis: o.kinesis ?? (() => Promise.reject(new Error("This test's job context has no Kinesis"))),
    notifier: o.notifier ?? (() => Promise.reject(new Error("This test's job context has no notifier (mailer)"))),
    settings: { ...defaultJobSettings, ...o.settings },
  };
}
