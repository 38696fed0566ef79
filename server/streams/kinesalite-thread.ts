import { Worker } from 'node:worker_threads';
import { logger } from '../logger';
import { type LocalKinesis, type StartKinesaliteOptions, startKinesalite } from './kinesalite';

/**
 * The worker. In the Next server (NEXT_RUNTIME is set) the bundler has seen
 * `new Worker(new URL(...))` and hands it the compiled kinesalite-worker; run from source (tests,
 * tsx scripts), the worker registers tsx before it imports the TypeScript file.
 */
function spawn(options: StartKinesaliteOptions): Worker {
  // The AWS SDK's Node-version notice is the main thread's to give, once, not again per thread.
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  if (!process.env.NEXT_RUNTIME) {
    const source = JSON.stringify(new URL('./kinesalite-worker.ts', import.meta.url).href);
    return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); })`, { eval: true, workerData: options, env });
  }
  return new Worker(new URL('./kinesalite-worker.ts', import.meta.url), { workerData: options, env });
}

type Reply = { endpoint: string; port: number } | { error: string } | { closed: true };

/** Kinesalite on a worker thread of this process (127.0.0.1, in memory); the streams are ACTIVE when this resolves. */
export function startKinesaliteThread(options: StartKinesaliteOptions = {}): Promise<LocalKinesis> {
  return new Promise((resolve, reject) => {
    const worker = spawn(options);
    let started = false;
    let closing: (() => void) | null = null;
    const failed = (error: Error) => {
      if (closing) closing();
      else if (started) logger().error({ reason: error.message }, 'embedded kinesalite stopped; records wait in the outbox until the app restarts');
      else reject(error);
    };
    worker.on('error', failed);
    worker.on('exit', (code) => failed(new Error(`kinesalite worker exited with code ${code}`)));
    worker.on('message', (reply: Reply) => {
      if ('error' in reply) {
        failed(new Error(reply.error));
        void worker.terminate();
      } else if ('closed' in reply) {
        void worker.terminate();
      } else {
        // Only open connections keep the app up, not an idle local Kinesis.
        worker.unref();
        started = true;
        resolve({
          endpoint: reply.endpoint,
          port: reply.port,
          close: () => new Promise<void>((done) => {
            closing = done;
            worker.ref();
            worker.postMessage('close');
          }),
        });
      }
    });
  });
}

/**
 * The embedded Kinesis: kinesalite on a worker thread, or — when a worker cannot start here — in
 * this thread, as before.
 */
export async function startEmbeddedKinesis(options: StartKinesaliteOptions = {}): Promise<LocalKinesis & { thread: 'worker' | 'main' }> {
  try {
    return { ...(await startKinesaliteThread(options)), thread: 'worker' };
  } catch (error) {
    logger().warn({ reason: error instanceof Error ? error.message : String(error) }, 'kinesalite worker unavailable; running kinesalite on the main thread');
    return { ...(await startKinesalite(options)), thread: 'main' };
  }
}
