import { Worker } from 'node:worker_threads';
import { logger } from '../logger';
import { type EncodedRecord, encodeRecords, type NumberedPart, numberedRecords } from './numbered-records';

interface Waiting { parts: NumberedPart[]; resolve: (records: EncodedRecord[]) => void; reject: (error: Error) => void }

let worker: Worker | null = null;
let unavailable = false;
let nextId = 1;
const waiting = new Map<number, Waiting>();

/** No worker (it could not start, or died): what was waiting for it is rendered here instead. */
function giveUp(reason: string) {
  if (!unavailable) logger().warn({ reason }, 'stream rendering worker unavailable; rendering on the main thread');
  unavailable = true;
  worker = null;
  for (const [id, w] of waiting) {
    waiting.delete(id);
    try {
      w.resolve(encodeRecords(w.parts.flatMap(numberedRecords)).records);
    } catch (error) {
      w.reject(error as Error);
    }
  }
}

/**
 * The worker. In the Next server (NEXT_RUNTIME is set) the bundler has seen
 * `new Worker(new URL(...))` and hands it the compiled render-worker; run from source (tests, tsx
 * scripts), the worker registers tsx before it imports the TypeScript file.
 */
function spawn(): Worker {
  if (!process.env.NEXT_RUNTIME) {
    const source = JSON.stringify(new URL('./render-worker.ts', import.meta.url).href);
    return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); })`, { eval: true });
  }
  return new Worker(new URL('./render-worker.ts', import.meta.url));
}

function start(): Worker | null {
  if (worker || unavailable) return worker;
  try {
    const w = spawn();
    w.unref();
    w.on('message', ({ id, records, error }: { id: number; records?: EncodedRecord[]; error?: string }) => {
      const entry = waiting.get(id);
      if (!entry) return;
      waiting.delete(id);
      if (waiting.size === 0) w.unref();
      if (error !== undefined) entry.reject(new Error(error));
      else entry.resolve(records!);
    });
    w.once('online', () => logger().info({ threadId: w.threadId }, 'stream rendering worker started'));
    w.on('error', (error) => giveUp(error.message));
    w.on('messageerror', (error) => {
      giveUp(`a reply could not be read: ${error.message}`);
      void w.terminate();
    });
    w.on('exit', (code) => giveUp(`exited with code ${code}`));
    worker = w;
  } catch (error) {
    giveUp(error instanceof Error ? error.message : String(error));
  }
  return worker;
}

/**
 * Renders batches of logged changes into numbered records (their JSON as bytes) on a worker thread, so the publisher's
 * thread (which also runs the Kinesis client, and in the embedded default kinesalite and PGlite)
 * sends one batch while the next is rendered. The same function runs here if the worker cannot.
 */
export function renderOffThread(parts: NumberedPart[]): Promise<EncodedRecord[]> {
  const w = start();
  if (!w) return Promise.resolve(encodeRecords(parts.flatMap(numberedRecords)).records);
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { parts, resolve, reject });
    w.ref(); // a request in flight keeps the process up; an idle worker does not
    try {
      w.postMessage({ id, parts });
    } catch (error) {
      waiting.delete(id);
      if (waiting.size === 0) w.unref();
      reject(error as Error);
    }
  });
}

/** Where batches are rendered now: on the worker, on this thread (the worker could not run), or not yet decided. */
export function renderThread(): 'worker' | 'main' | 'not started' {
  return worker ? 'worker' : unavailable ? 'main' : 'not started';
}
