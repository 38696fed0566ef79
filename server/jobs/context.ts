import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { type Db, getDb } from '../../db/client';
import { type AnalyticsSink, analyticsSinkFromEnv } from '../analytics/track';
import { type AppDeps, processDeps } from '../deps';
import { env } from '../env';
import type { HygienePolicy } from '../hygiene/hygiene-candidates';
import type { PruneOptions, RetentionPolicy } from '../hygiene/retention';
import type { ResyncPolicy } from '../items/resync-candidates';
import { type Logger, logger } from '../logger';
import type { Notifier } from '../notifications/deliver';
import { processNotifier } from '../notifications/app-notifier';
import { getKinesis } from '../streams/app-kinesis';
import type { StreamNames } from '../streams/kinesis-client';

/** Settings the durable functions read (from env in the process; chosen by tests). */
export interface JobSettings {
  freshnessThresholdHours: number;
  hygiene: HygienePolicy;
  retention: RetentionPolicy;
  resync: ResyncPolicy;
  /** Tests: smaller batches, to see a table pruned over several steps. */
  pruneBatches?: Pick<PruneOptions, 'batchSize' | 'maxBatches'>;
}

/**
 * What every Inngest function's steps need, resolved when a step runs (not at import): the
 * process's singletons in the app, a test database and emulator-backed deps in tests. One type
 * for every function (test/support/job-context.ts builds one for tests).
 */
export interface JobContext {
  db: Db;
  deps: AppDeps;
  log: Logger;
  analytics: AnalyticsSink;
  kinesis: () => Promise<{ client: KinesisClient; streams: StreamNames }>;
  /** Email: the mailer, link signing, cadence settings and the clock sends are dated by. */
  notifier: () => Promise<Notifier>;
  settings: JobSettings;
}

export type ResolveJobContext = () => JobContext;

/** The process's job context. Plaid and the keyring are built when a step first asks for them. */
export const processJobContext: ResolveJobContext = () => {
  const e = env();
  return {
    db: getDb().db,
    get deps() {
      return processDeps();
    },
    log: logger(),
    analytics: analyticsSinkFromEnv(),
    kinesis: getKinesis,
    notifier: processNotifier,
    settings: {
      freshnessThresholdHours: e.FRESHNESS_THRESHOLD_HOURS,
      hygiene: { inactiveDays: e.HYGIENE_INACTIVE_DAYS, errorDays: e.HYGIENE_ERROR_DAYS, unansweredNotifications: e.HYGIENE_UNANSWERED_NOTIFICATIONS },
      retention: {
        streamOutboxDays: e.STREAM_OUTBOX_RETENTION_DAYS,
        jobRunsDays: e.JOB_RUNS_RETENTION_DAYS,
        apiCallsDays: e.API_CALLS_RETENTION_DAYS,
        webhookDays: e.WEBHOOK_RETENTION_DAYS,
      },
      resync: { staleHours: e.STALE_SYNC_HOURS, limit: e.RESYNC_SWEEP_LIMIT },
    },
  };
};
