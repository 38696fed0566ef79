import { listenKinesalite, type LocalKinesis } from './kinesalite-listen';
import { createKinesisClient, ensureStreams, localCredentials } from './kinesis-client';
import { env } from '../env';

export type { LocalKinesis };

export interface StartKinesaliteOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Streams to create and wait ACTIVE; defaults to the four configured names. */
  streams?: readonly string[];
  shardCount?: number;
  /** The region the streams are created with; defaults to KINESIS_REGION. */
  region?: string;
}

/** The streams and the shard limit for them (defaults: the four configured names, one shard each). */
export function kinesaliteStreams(options: StartKinesaliteOptions) {
  const streams = options.streams ?? Object.values(env().streams);
  const shardCount = options.shardCount ?? 1;
  return { streams, shardCount, shardLimit: Math.max(10, streams.length * shardCount) };
}

/** Creates the streams on a fresh local kinesalite and waits until they are ACTIVE; closes it if that fails. */
export async function createLocalStreams(local: LocalKinesis, options: StartKinesaliteOptions): Promise<LocalKinesis> {
  const { streams, shardCount } = kinesaliteStreams(options);
  const client = createKinesisClient({ endpoint: local.endpoint, credentials: localCredentials, maxAttempts: 1, region: options.region });
  try {
    await ensureStreams(client, streams, { shardCount });
  } catch (error) {
    await local.close();
    throw error;
  } finally {
    client.destroy();
  }
  return local;
}

/**
 * Starts kinesalite on this thread (listenKinesalite) with the streams created and ACTIVE when
 * this resolves. Stop it with close().
 */
export async function startKinesalite(options: StartKinesaliteOptions = {}): Promise<LocalKinesis> {
  const local = await listenKinesalite({ port: options.port, shardLimit: kinesaliteStreams(options).shardLimit });
  return createLocalStreams(local, options);
}
