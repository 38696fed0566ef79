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

/**
 * Kinesalite on a worker thread of this process (127.0.0.1, in memory); the streams are ACTIVE when
 * this resolves. close() stops it (at once if it has already died; a second call gets the first's promise).
 */
export function startKinesaliteThread(options: StartKinesaliteOptions = {}): Promise<LocalKinesis & { worker: Worker }> {
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
      else if (was === 'running') logger().error({ reason: error.message }, 'embedded kinesalite stopped; records wait in the outbox until the app restarts');
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
 * this thread, as before.
 */
export async function startEmbeddedKinesis(options: StartKinesaliteOptions = {}): Promise<LocalKinesis & { thread: 'worker' | 'main' }> {
  try {
    const { worker: _, ...local } = await startKinesaliteThread(options);
    return { ...local, thread: 'worker' };
  } catch (error) {
    logger().warn({ reason: error instanceof Error ? error.message : String(error) }, 'kinesalite worker unavailable; running kinesalite on the main thread');
    return { ...(await startKinesalite(options)), thread: 'main' };
  }
}
