/**
 * The embedded kinesalite, in a worker thread (kinesalite-thread.ts starts it): its request
 * handling — mostly big-number arithmetic on sequence numbers — runs beside the app's event loop
 * instead of on it, the way a real Kinesis is another program. Sends its endpoint once it listens,
 * or the reason it could not start; stops on 'close'. It only listens: the app's thread creates
 * the streams, so this thread loads neither the AWS SDK nor the app's settings.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { listenKinesalite } from './kinesalite-listen';

try {
  const local = await listenKinesalite(workerData as { port?: number; shardLimit: number });
  parentPort!.on('message', (message: unknown) => {
    if (message !== 'close') return;
    void local.close().finally(() => parentPort!.postMessage({ closed: true }));
  });
  parentPort!.postMessage({ endpoint: local.endpoint, port: local.port });
} catch (error) {
  parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
