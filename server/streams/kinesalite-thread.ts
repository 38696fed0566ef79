import { Worker } from 'node:worker_threads';
import { env } from '../env';
import { logger } from '../logger';
import { createLocalStreams, kinesaliteStreams, type LocalKinesis, type StartKinesaliteOptions, startKinesalite } from './kinesalite';

/**
 * The worker. In the Next server (NEXT_RUNTIME is set) the bundler has seen
 * `new Worker(new URL(...))` and hands it the compiled kinesalite-worker; run from source (tests,
 * tsx scripts), the worker registers tsx before it imports the TypeScript file.
 */
function spawn(options: { port?: number; shardLimit: number }): Worker {
  if (!process.env.NEXT_RUNTIME) {
    const source = JSON.stringify(new URL('./kinesalite-worker.ts', import.meta.url).href);
    return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); })`, { eval: true, workerData: options });
  }
  return new Worker(new URL('./kinesalite-worker.ts', import.meta.url), { workerData: options });
}

type Reply = { endpoint: string; port: number } | { error: string } | { closed: true };

/**
 * Kinesalite on a worker thread of this process (127.0.0.1, in memory); the streams are ACTIVE when
 * this resolves — created from this thread, which has the settings (and the AWS SDK) already.
 * close() stops it (at once if it has already died; a second call gets the first's promise).
 */
export async function startKinesaliteThread(options: StartKinesaliteOptions = {}, onDied: () => void = () => {}): Promise<LocalKinesis & { worker: Worker }> {
  const local = await listenOnThread({ port: options.port, shardLimit: kinesaliteStreams(options).shardLimit }, onDied);
  await createLocalStreams(local, { ...options, region: options.region ?? env().KINESIS_REGION });
  return local;
}

function listenOnThread(options: { port?: number; shardLimit: number }, onDied: () => void): Promise<LocalKinesis & { worker: Worker }> {
  return new Promise((resolve, reject) => {
    const worker = spawn(options);
    let state: 'starting' | 'running' | 'closing' | 'gone' = 'starting';
    let closed: Promise<void> | null = null;
    let onGone = () => {};
    const gone = (error: Error) => {
      const was = state;
      if (was === 'gone') return;
      state = 'gone';
      onGone();
      if (was === 'starting') reject(error);
      else if (was === 'running') {
        logger().error({ reason: error.message }, 'embedded kinesalite stopped; a new one starts on the next use (the streams it held are gone)');
        onDied();
      }
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`kinesalite worker exited with code ${code}`)));
    worker.on('message', (reply: Reply) => {
      if ('error' in reply) {
        gone(new Error(reply.error));
        void worker.terminate();
      } else if ('closed' in reply) {
        void worker.terminate();
      } else {
        // Only open connections keep the app up, not an idle local Kinesis.
        worker.unref();
        state = 'running';
        const close = () => {
          closed ??= state === 'gone' ? Promise.resolve() : new Promise<void>((done) => {
            state = 'closing';
            onGone = done;
            worker.ref();
            worker.postMessage('close');
          });
          return closed;
        };
        resolve({ endpoint: reply.endpoint, port: reply.port, close, worker });
      }
    });
  });
}

/**
 * The embedded Kinesis: kinesalite on a worker thread, or — when a worker cannot start here — in
 * this thread, as before. `onDied` runs if the worker dies while in use (not on close()).
 */
export async function startEmbeddedKinesis(options: StartKinesaliteOptions = {}, onDied?: () => void): Promise<LocalKinesis & { thread: 'worker' | 'main'; worker?: Worker }> {
  try {
    return { ...(await startKinesaliteThread(options, onDied)), thread: 'worker' };
  } catch (error) {
    logger().warn({ reason: error instanceof Error ? error.message : String(error) }, 'kinesalite worker unavailable; running kinesalite on the main thread');
    return { ...(await startKinesalite(options)), thread: 'main' };
  }
}
