import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { type Db, getDb } from '../../db/client';
import { type AppDeps, processDeps } from '../deps';
import { type Logger, logger } from '../logger';
import { getKinesis } from '../streams/app-kinesis';
import type { StreamNames } from '../streams/kinesis-client';

/** What the sync functions' steps need; the process provides singletons, tests their own. */
export interface JobContext {
  db: Db;
  deps: Pick<AppDeps, 'plaid' | 'keyring'>;
  log: Logger;
  kinesis: () => Promise<{ client: KinesisClient; streams: StreamNames }>;
}

export function processJobContext(): JobContext {
  return { db: getDb().db, deps: processDeps(), log: logger(), kinesis: getKinesis };
}
