import { getDb } from '../../../db/client';
import type { Db } from '../../../db/client';
import { type AnalyticsSink, analyticsSinkFromEnv } from '../../analytics/track';
import { type AppDeps, processDeps } from '../../deps';
import { env } from '../../env';
import { type Logger, logger } from '../../logger';

/**
 * What an Inngest function's steps need, resolved when a step runs (not at import): the process's
 * singletons in the app, a test database and emulator-backed deps in tests.
 */
export interface FunctionContext {
  db: Db;
  deps: Pick<AppDeps, 'plaid' | 'keyring' | 'send' | 'config'>;
  log: Logger;
  analytics: AnalyticsSink;
  freshnessThresholdHours: number;
}

export type ResolveContext = () => FunctionContext;

export const processContext: ResolveContext = () => ({
  db: getDb().db,
  deps: processDeps(),
  log: logger(),
  analytics: analyticsSinkFromEnv(),
  freshnessThresholdHours: env().FRESHNESS_THRESHOLD_HOURS,
});
