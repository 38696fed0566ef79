import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import type { Inngest, InngestFunction } from 'inngest';
import { serve } from 'inngest/next';
import type { Db, Logger } from './host';
import { scheduleNextCron, syncCronRuns, cronEventName } from './cron-runs';
import { executeRun } from './execute';
import { toRunnerFunction, type RunnerFunction } from './functions';
import { newId } from './ids';
import { acceptEvent, type EventInput, normalizeEvent } from './intake';
import { discoverFunctions, type ServeHandler } from './protocol';
import { type ListRunsFilter, listRuns, type RunSummary, waitForRun } from './queries';
import { registerRunner, unregisterRunner } from './registry';
import { claimDueRuns, type Claimed, extendLeases, type JobRun, nextDueAt, releaseClaims } from './store';

export interface RunnerOptions {
  db: Db;
  client: Inngest.Any;
  /** The app's functions; used to build a serve() handler when `serveHandler` is not given. */
  functions?: InngestFunction.Any[];
  /** The app's own serve() handler (what /api/inngest exports). Its client must be in dev mode. */
  serveHandler?: ServeHandler;
  log: Logger;
  /** Milliseconds since the epoch; tests may shift time. */
  clock?: () => number;
  /** Longest idle wait between database polls (other runners' work is seen this late). */
  pollIntervalMs?: number;
  /** How long a claim holds without renewal before another runner may take the run over. */
  leaseMs?: number;
  maxConcurrentRuns?: number;
  /** Multiplies every retry delay: tests use ~0.01 for fast retries. */
  backoffScale?: number;
  /** Receive `inngest.send` from the client's embedded fetch (default true). */
  registerEventEndpoint?: boolean;
}

export interface Runner {
  readonly id: string;
  start(): Promise<void>;
  /** Stops polling; waits up to graceMs for executing runs to save, then hands the rest back to the queue. */
  stop(options?: { graceMs?: number; release?: boolean }): Promise<void>;
  /** Accepts events: `ids` are the event ids, `runIds` the runs they started, resumed or joined. */
  send(events: EventInput | EventInput[]): Promise<{ ids: string[]; runIds: string[] }>;
  /** Resolves once nothing is executing and nothing is due now. */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  waitForRun(runId: string, options?: { timeoutMs?: number }): Promise<JobRun>;
  listRuns(filter?: ListRunsFilter): Promise<RunSummary[]>;
  functions(): RunnerFunction[];
}

/** Retry delay before attempt n (1-based): 1 s, 2 s, 4 s ... capped at 10 minutes. */
export const defaultBackoffMs = (attempt: number) => Math.min(1000 * 2 ** Math.max(0, attempt - 1), 600_000);

export function createRunner(options: RunnerOptions): Runner {
  const { db, client } = options;
  const clock = options.clock ?? Date.now;
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxConcurrent = options.maxConcurrentRuns ?? 8;
  const id = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  const log = options.log.child({ component: 'inngest-runner', runnerId: id });
  const handler: ServeHandler =
    options.serveHandler ?? (serve({ client, functions: options.functions ?? [] }) as unknown as ServeHandler);

  let fns: RunnerFunction[] = [];
  let state: 'new' | 'started' | 'stopped' = 'new';
  let writable = true;
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let polling = false;
  let pollAgain = false;
  const active = new Set<Promise<void>>();
  // Runs are the runner's own work, not part of whichever caller's send woke it: polls (and so the
  // runs they launch) start in the context the runner was made in, so nothing async-local of that
  // caller (a request's trace, say) leaks into unrelated runs.
  const detached = AsyncLocalStorage.snapshot();

  const runner: Runner = {
    id,
    functions: () => fns,
    async start() {
      if (state !== 'new') throw new Error('An embedded Inngest runner starts once');
      fns = (await discoverFunctions(handler)).map(toRunnerFunction);
      for (const f of fns.filter((x) => x.ignored.length)) {
        log.warn({ fn: f.id, ignored: f.ignored }, 'embedded inngest runner ignores these function options');
      }
      await syncCronRuns(db, fns, clock(), log);
      // Finished runs stay in job_runs: pruning them is the host app's policy, not the runner's.
      state = 'started';
      if (options.registerEventEndpoint !== false) registerRunner(client.id, runner);
      heartbeat = setInterval(() => {
        if (active.size) extendLeases(db, id, clock() + leaseMs).catch((err) => log.error({ err }, 'inngest lease renewal failed'));
      }, Math.max(50, Math.floor(leaseMs / 3)));
      heartbeat.unref();
      log.info({ functions: fns.map((f) => f.id) }, 'embedded inngest runner started');
      poke();
    },
    async stop({ graceMs = 5000, release = true } = {}) {
      if (state !== 'started') return;
      state = 'stopped';
      clearTimeout(timer);
      clearInterval(heartbeat);
      unregisterRunner(client.id, runner);
      const settled = Promise.allSettled([...active]);
      if (graceMs > 0) await Promise.race([settled, new Promise((r) => setTimeout(r, graceMs).unref())]);
      writable = false;
      const released = release ? await releaseClaims(db, id, clock()) : 0;
      log.info({ released, abandoned: active.size }, 'embedded inngest runner stopped');
    },
    async send(input) {
      const now = clock();
      const inputs = Array.isArray(input) ? input : [input];
      const events = inputs.map((e) => normalizeEvent(e, now));
      const runIds: string[] = [];
      for (const [i, event] of events.entries()) {
        const runs = await acceptEvent(db, fns, event, { now, log, senderChoseId: Boolean(inputs[i]?.id) });
        runIds.push(...runs);
        log.debug({ event: event.name, eventId: event.id, runs: runs.length }, 'inngest event received');
      }
      poke();
      return { ids: events.map((e) => e.id), runIds };
    },
    async waitForIdle({ timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const due = await nextDueAt(db);
        if (!active.size && !polling && (due === null || due > clock())) return;
        if (Date.now() > deadline) throw new Error('embedded inngest runner did not go idle in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    waitForRun: (runId, o) => waitForRun(db, runId, o),
    listRuns: (filter) => listRuns(db, filter),
  };

  function poke(): void {
    if (state !== 'started') return;
    if (polling) {
      pollAgain = true;
      return;
    }
    clearTimeout(timer);
    void detached(poll);
  }

  async function poll(): Promise<void> {
    polling = true;
    let delay = pollIntervalMs;
    try {
      let claimedAny = false;
      do {
        pollAgain = false;
        const claimed = await claimDueRuns(db, { runnerId: id, now: clock(), leaseMs, limit: maxConcurrent - active.size });
        for (const c of claimed) launch(c);
        claimedAny ||= claimed.length > 0;
      } while (pollAgain && state === 'started');
      const due = await nextDueAt(db);
      // A run that is due but not claimable (slots full, concurrency key busy) waits for a
      // local run to finish (which pokes) or for the next regular poll: never a busy loop.
      if (due !== null && due > clock()) delay = Math.min(due - clock(), pollIntervalMs);
      else if (due !== null && claimedAny && active.size < maxConcurrent) delay = 0;
    } catch (err) {
      log.error({ err }, 'embedded inngest runner poll failed');
    } finally {
      polling = false;
    }
    if (state !== 'started') return;
    if (pollAgain) return poke();
    timer = setTimeout(poll, delay);
    timer.unref();
  }

  function launch({ run, firstClaim }: Claimed): void {
    const fn = fns.find((f) => f.id === run.functionId);
    const task = (async () => {
      if (firstClaim && run.eventName === cronEventName && fn) {
        const cron = (run.event as { data?: { cron?: string } }).data?.cron;
        if (cron && fn.crons.includes(cron)) await scheduleNextCron(db, fn, cron, Math.max(clock(), run.runAt.getTime()), log);
      }
      await executeRun(
        {
          db, handler, runnerId: id, now: clock, leaseMs, log, fn,
          stopping: () => state !== 'started',
          mayWrite: () => writable,
          backoffMs: defaultBackoffMs,
          backoffScale: options.backoffScale ?? 1,
          emitFailure: async (failed, error) => {
            await runner.send({
              name: 'inngest/function.failed',
              data: { function_id: failed.functionId, run_id: failed.id, error, event: failed.event },
            });
          },
        },
        run,
      );
    })()
      .catch((err) => log.error({ err, runId: run.id }, 'embedded inngest run crashed; its claim will expire'))
      .finally(() => {
        active.delete(task);
        poke();
      });
    active.add(task);
  }

  return runner;
}
