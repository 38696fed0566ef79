import type { AddressInfo } from 'node:net';
import kinesalite from 'kinesalite';
import { createKinesisClient, ensureStreams, localCredentials } from './kinesis-client';
import { env } from '../env';

export interface LocalKinesis {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export interface StartKinesaliteOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Streams to create and wait ACTIVE; defaults to the four configured names. */
  streams?: readonly string[];
  shardCount?: number;
}

/**
 * Starts kinesalite in this process, in memory (memdown, no native code), listening on 127.0.0.1
 * only — its CLI binds every interface, so it is never used. The streams exist and are ACTIVE when
 * this resolves. Stop it with close(); open keep-alive sockets are cut so close() does not hang.
 */
export async function startKinesalite(options: StartKinesaliteOptions = {}): Promise<LocalKinesis> {
  const streams = options.streams ?? Object.values(env().streams);
  const shardCount = options.shardCount ?? 1;
  const server = kinesalite({
    createStreamMs: 5,
    deleteStreamMs: 5,
    updateStreamMs: 5,
    shardLimit: Math.max(10, streams.length * shardCount),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  const client = createKinesisClient({ endpoint, credentials: localCredentials, maxAttempts: 1 });
  try {
    await ensureStreams(client, streams, { shardCount });
  } catch (error) {
    await close();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, close };
}
