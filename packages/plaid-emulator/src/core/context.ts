import type { ItemIndex, ItemRecord, StateData } from './state';
import { buildIndex, emptyState } from './state';

/** Options of `createEmulator`; every one has a default that suits the embedded app. */
export interface EmulatorOptions {
  /** Seed for generated data: the same seed gives the same items, accounts and transactions. */
  seed?: string | number;
  /** When set, requests must carry exactly these; otherwise any non-empty pair is accepted. */
  clientId?: string;
  secret?: string;
  /** JSON file holding the state; omitted = memory only. */
  persistPath?: string;
  /** Per-item per-minute sandbox rate limits of PLAID.md (default on). */
  rateLimits?: boolean;
  /** Multiplies webhook retry delays (Plaid: ~30 s, then ×4); e.g. 0.001 in tests. */
  webhookTimeScale?: number;
  /** A webhook answer slower than this counts as failed (Plaid: 10 s). */
  webhookTimeoutMs?: number;
  /** Delay after linking before INITIAL_UPDATE (last 30 days) is available (default 1500 ms). */
  initialUpdateDelayMs?: number;
  /** Delay after linking before HISTORICAL_UPDATE is available (default 5000 ms). */
  historicalUpdateDelayMs?: number;
  /** Average random purchases per day in generated histories (default 3). */
  purchasesPerDay?: number;
  /** Prefix to strip from request paths when mounted inside an app, e.g. `/api/plaid-emulator`. */
  mountPath?: string;
  now?: () => Date;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface Ctx {
  opts: {
    seed: string;
    clientId: string | undefined;
    secret: string | undefined;
    persistPath: string | undefined;
    rateLimits: boolean;
    webhookTimeScale: number;
    webhookTimeoutMs: number;
    initialUpdateDelayMs: number;
    historicalUpdateDelayMs: number;
    purchasesPerDay: number;
    mountPath: string;
  };
  state: StateData;
  nowMs(): number;
  log(message: string, fields?: Record<string, unknown>): void;
  /** Called after every state change (persistence hooks in here). */
  changed(): void;
  /** A timer that close() cancels; unref'd so it never keeps a process alive. */
  schedule(ms: number, fn: () => void): void;
  /** In-flight async work (webhook attempts) that close() and controls wait for. */
  track<T>(p: Promise<T>): Promise<T>;
  inflight: Set<Promise<unknown>>;
  abort: AbortController;
  index(item: ItemRecord): ItemIndex;
  dropIndexes(): void;
  /** Pending fault and rate-limit state, keyed by endpoint / item+endpoint. */
  faults: Map<string, import('./faults').Fault[]>;
  rateWindows: Map<string, number[]>;
  closed: boolean;
  /** Cancels every scheduled timer (close, reset). */
  clearTimers(): void;
}

export function createContext(options: EmulatorOptions, state: StateData = emptyState()): Ctx {
  const timers = new Set<NodeJS.Timeout>();
  const indexes = new Map<string, ItemIndex>();
  const now = options.now ?? (() => new Date());
  const inflight = new Set<Promise<unknown>>();
  const ctx: Ctx = {
    opts: {
      seed: String(options.seed ?? 'tributary'),
      clientId: options.clientId,
      secret: options.secret,
      persistPath: options.persistPath,
      rateLimits: options.rateLimits ?? true,
      webhookTimeScale: options.webhookTimeScale ?? 1,
      webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
      initialUpdateDelayMs: options.initialUpdateDelayMs ?? 1500,
      historicalUpdateDelayMs: Math.max(options.historicalUpdateDelayMs ?? 5000, options.initialUpdateDelayMs ?? 0),
      purchasesPerDay: options.purchasesPerDay ?? 3,
      mountPath: (options.mountPath ?? '').replace(/\/+$/, ''),
    },
    state,
    nowMs: () => now().getTime(),
    log: options.log ?? (() => {}),
    changed: () => {},
    schedule(ms, fn) {
      if (ctx.closed) return;
      const t = setTimeout(() => {
        timers.delete(t);
        if (!ctx.closed) fn();
      }, Math.max(0, ms));
      t.unref();
      timers.add(t);
    },
    track(p) {
      inflight.add(p);
      const done = () => inflight.delete(p);
      p.then(done, done);
      return p;
    },
    inflight,
    abort: new AbortController(),
    index(item) {
      let idx = indexes.get(item.itemId);
      if (!idx) {
        idx = buildIndex(item);
        indexes.set(item.itemId, idx);
      }
      return idx;
    },
    dropIndexes: () => indexes.clear(),
    faults: new Map(),
    rateWindows: new Map(),
    closed: false,
    clearTimers() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
  return ctx;
}
