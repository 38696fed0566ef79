/**
 * Process settings for the embedded database (PGlite: Postgres compiled to WebAssembly, running in
 * this process). Where its memory went, measured with `npm run bench:sync` (the sync worker's peak
 * resident memory, side by side with glibc's defaults in the same run): glibc gives each thread that
 * mallocs an arena of its own (V8's compiler threads tiering PGlite's hot functions up, libuv's
 * pool) and keeps what is freed there, and it returns freed memory to the system only past a 128 kB
 * trim threshold. One arena and a 64 kB threshold took the worker's peak from 340–390 MB to
 * 285–295 MB at 100,000 transactions, at 0.98× the speed (alternated runs).
 *
 * glibc reads these only when a process starts, so `npm start` sets them (package.json, checked by
 * pglite-process.test.ts) and the bench gives them to its worker.
 */
export const PGLITE_MALLOC_ENV = { MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '65536' } as const;
