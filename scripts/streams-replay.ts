// `npm run streams:replay -- --to <DATABASE_URL>`: the reference consumer. Reads the four Kinesis
// streams from TRIM_HORIZON with the app's Kinesis settings (KINESIS_ENDPOINT, KINESIS_REGION,
// AWS_*, KINESIS_STREAM_*) and rebuilds items, accounts and transactions into the database at
// --to (replica_* tables), idempotently: running it again changes nothing. See docs/streams.md.
import { parseArgs } from 'node:util';
import { openDb } from '../db/client';
import { createKinesisClient, streamNames } from '../server/streams/kinesis-client';
import { replayStreams } from '../server/streams/replay';

const { values } = parseArgs({ options: { to: { type: 'string' } } });
if (!values.to) {
  console.error('Usage: npm run streams:replay -- --to <DATABASE_URL>');
  process.exit(2);
}
const target = openDb({ url: values.to });
const kinesis = createKinesisClient();
try {
  const result = await replayStreams(target.db, kinesis, streamNames());
  console.log(`Replayed ${result.read} records (${result.applied} applied, ${result.duplicates} duplicates dropped).`);
  if (result.gaps.length > 0) {
    console.error(`Missing records (item stream sequences): ${result.gaps.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  kinesis.destroy();
  await target.close();
}
