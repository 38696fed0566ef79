import type { AppEvent, SendEvents } from './deps';

export interface CoalesceOptions {
  /** Events in one call to the underlying sender (Inngest's event API takes arrays). */
  maxBatch: number;
  /** Calls to the underlying sender at once; while they are busy, new events wait and group up. */
  maxInFlight: number;
  /** Events waiting or in flight past which a send is refused at once instead of queued. */
  maxPending: number;
  /**
   * Least time between two rounds of calls. A send after a quiet spell goes out at once; under
   * load the calls are spaced out and each carries what gathered meanwhile, so the cost of calling
   * stays bounded however many events come in.
   */
  minIntervalMs: number;
}

export const DEFAULT_COALESCE: CoalesceOptions = { maxBatch: 100, maxInFlight: 2, maxPending: 10_000, minIntervalMs: 20 };

/** Thrown to a caller whose events found the queue full; nothing of theirs was sent. */
export class EventBacklogFullError extends Error {
  constructor(pending: number) {
    super(`event backlog full (${pending} events waiting); not sent`);
  }
}

/**
 * Groups concurrent sends into one call of `send`: each call of the Inngest SDK's `send` costs
 * far more than one more event in it (per-call headers, an HTTP request, its answer), and under
 * load many callers send at once. Sends made in the same turn of the event loop, while
 * `maxInFlight` calls are busy, or within `minIntervalMs` of the last round go out together.
 * Each caller's promise settles with its batch:
 * resolved once the batch was accepted, rejected with the batch's error. A caller's events are
 * never split across batches and keep their order.
 */
export function coalesceSends(send: SendEvents, options: CoalesceOptions = DEFAULT_COALESCE): SendEvents {
  const queue: Array<{ events: AppEvent[]; resolve: () => void; reject: (err: unknown) => void }> = [];
  let pending = 0;
  let inFlight = 0;
  let scheduled = false;
  let lastRound = Number.NEGATIVE_INFINITY;

  const flush = () => {
    scheduled = false;
    lastRound = performance.now();
    while (queue.length > 0 && inFlight < options.maxInFlight) {
      const batch = [queue.shift()!];
      let size = batch[0]!.events.length;
      while (queue.length > 0 && size + queue[0]!.events.length <= options.maxBatch) {
        size += queue[0]!.events.length;
        batch.push(queue.shift()!);
      }
      inFlight++;
      const settle = (ok: boolean, err?: unknown) => {
        inFlight--;
        pending -= size;
        for (const b of batch) (ok ? b.resolve() : b.reject(err));
        if (queue.length > 0) schedule();
      };
      let sent: Promise<void>;
      try {
        sent = send(batch.flatMap((b) => b.events));
      } catch (err) {
        sent = Promise.reject(err);
      }
      sent.then(() => settle(true), (err: unknown) => settle(false, err));
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    const wait = lastRound + options.minIntervalMs - performance.now();
    if (wait > 0) setTimeout(flush, wait);
    else setImmediate(flush);
  };

  return (events) =>
    new Promise<void>((resolve, reject) => {
      if (events.length === 0) return resolve();
      if (pending + events.length > options.maxPending) return reject(new EventBacklogFullError(pending));
      pending += events.length;
      queue.push({ events, resolve, reject });
      schedule();
    });
}
