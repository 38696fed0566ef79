/**
 * The change-log publisher's renderer, in a worker thread (render-thread.ts starts it): renders
 * the batch it is given while the publisher's own thread sends the one before.
 */
import { parentPort } from 'node:worker_threads';
import { encodeRecords, type NumberedPart, numberedRecords } from './numbered-records';

parentPort!.on('message', ({ id, parts }: { id: number; parts: NumberedPart[] }) => {
  try {
    // The records' bytes travel in one buffer that is moved, not copied.
    const { records, buffer } = encodeRecords(parts.flatMap(numberedRecords));
    parentPort!.postMessage({ id, records }, [buffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
