/**
 * The embedded kinesalite, in a worker thread (kinesalite-thread.ts starts it): its request
 * handling — mostly big-number arithmetic on sequence numbers — runs beside the app's event loop
 * instead of on it, the way a real Kinesis is another program. Sends its endpoint once the streams
 * are ACTIVE, or the reason it could not start; stops on 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type StartKinesaliteOptions, startKinesalite } from './kinesalite';

try {
  const local = await startKinesalite(workerData as StartKinesaliteOptions);
  parentPort!.on('message', (message: unknown) => {
    if (message !== 'close') return;
    void local.close().finally(() => parentPort!.postMessage({ closed: true }));
  });
  parentPort!.postMessage({ endpoint: local.endpoint, port: local.port });
} catch (error) {
  parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
