import type { AddressInfo } from 'node:net';
import kinesalite from 'kinesalite';

export interface LocalKinesis {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Kinesalite listening on 127.0.0.1 only (its CLI binds every interface, so it is never used), in
 * memory (memdown, no native code), with no streams yet. close() cuts open keep-alive sockets so
 * it does not hang. What the worker thread runs (kinesalite-worker.ts): no AWS SDK, no environment.
 */
export async function listenKinesalite(options: { port?: number; shardLimit: number }): Promise<LocalKinesis> {
  const server = kinesalite({ createStreamMs: 5, deleteStreamMs: 5, updateStreamMs: 5, shardLimit: options.shardLimit });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return { endpoint: `http://127.0.0.1:${port}`, port, close };
}
