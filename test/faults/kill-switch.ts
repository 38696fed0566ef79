import type { Db } from '../../db/client';

/** Database calls that write (or may): each is a kill point. Reads are not counted. */
const WRITES = new Set(['insert', 'update', 'delete', 'execute', 'transaction']);

/** A promise-like that never settles, whatever is chained on it: what a dead process's calls get. */
const hang: unknown = new Proxy(function never() {}, {
  get: (_t, p) => (p === 'then' ? () => undefined : hang),
  apply: () => hang,
});

/** Small seeded PRNG (mulberry32): the same seed picks the same kill point. */
export function seededRandom(seed: number): () => number {
  let a = Math.imul(seed, 0x9e3779b1) >>> 0; // spread nearby seeds apart
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A database that dies at its `killAt`-th write: that call throws (so a surrounding transaction
 * rolls back, as it would when the connection drops), and from then on every call through it —
 * reads included — never returns, like a process that is gone (inside an open transaction it
 * throws, see below). Writes inside transactions count
 * too. With `killAt` unset it only counts, to measure how many kill points a flow has.
 */
export function killSwitch(real: Db, killAt = Number.POSITIVE_INFINITY) {
  let writes = 0;
  let dead = false;
  let onKill!: () => void;
  const killed = new Promise<void>((r) => (onKill = r));

  const tick = () => {
    writes++;
    if (writes === killAt) {
      dead = true;
      onKill();
      throw new Error(`process killed at write ${killAt}`);
    }
  };

  // Inside a transaction a dead process's call throws instead, so the transaction rolls back and
  // frees the connection (PGlite has one; Postgres would abort it when the connection drops).
  function wrap<T extends object>(target: T, inTransaction = false): T {
    return new Proxy(target, {
      get(t, p) {
        const v: unknown = Reflect.get(t, p, t);
        if (typeof v !== 'function') return v;
        const fn = v as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          if (dead && inTransaction) throw new Error('process killed');
          if (dead) return hang;
          if (typeof p === 'string' && WRITES.has(p)) tick();
          if (p === 'transaction' && typeof args[0] === 'function') {
            const body = args[0] as (tx: object) => unknown;
            return fn.call(t, (tx: object) => body(wrap(tx, true)), ...args.slice(1));
          }
          return fn.apply(t, args);
        };
      },
    });
  }

  return {
    db: wrap(real),
    killed,
    writes: () => writes,
    isDead: () => dead,
  };
}
