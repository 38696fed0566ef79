import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { env } from '../server/env';
import { processContainer } from '../server/process/container';
import * as schema from './schema';

/** Either driver's drizzle database: domain code takes this as its first argument. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface DbHandle {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** The Postgres URL it was opened with (postgres only): db/migrate.ts opens a session of its own with it. */
  url?: string;
  close(): Promise<void>;
}

export type DbTarget = { url: string } | { dataDir: string } | { memory: true };

/**
 * PGlite's engine settings. Its WebAssembly memory only grows, and Postgres' default 128 MB of
 * shared buffers is filled by any sync (every page touched lands there): that alone was ~130 MB of
 * the process. One in-process user needs far fewer; the OS page cache still holds the data files.
 * PGLITE_SHARED_BUFFERS overrides (e.g. `64MB`).
 */
function pgliteOptions() {
  const sharedBuffers = process.env.PGLITE_SHARED_BUFFERS ?? '16MB';
  return { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] };
}

/** Opens a database: postgres.js for a URL, else PGlite on disk (or in memory, for tests). */
export function openDb(target: DbTarget): DbHandle {
  if ('url' in target) {
    const client = postgres(target.url, { max: 10, onnotice: () => {} });
    return {
      db: drizzlePostgres(client, { schema }) as unknown as Db,
      driver: 'postgres',
      url: target.url,
      close: () => client.end({ timeout: 5 }),
    };
  }
  let client: PGlite;
  if ('dataDir' in target) {
    mkdirSync(target.dataDir, { recursive: true });
    client = new PGlite(target.dataDir, pgliteOptions());
  } else {
    client = new PGlite(pgliteOptions());
  }
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    driver: 'pglite',
    close: () => client.close(),
  };
}

/**
 * The process's database: postgres.js when DATABASE_URL is set, else PGlite persisted under
 * DATA_DIR/pglite. One instance per process (PGlite allows one opener per directory).
 */
export function getDb(): DbHandle {
  const c = processContainer();
  if (!c.db) {
    const e = env();
    c.db = e.DATABASE_URL ? openDb({ url: e.DATABASE_URL }) : openDb({ dataDir: path.resolve(e.DATA_DIR, 'pglite') });
  }
  return c.db;
}

/** Closes the process's database (PGlite flushes to disk; postgres.js ends its pool) and forgets it. */
export async function closeDb(): Promise<void> {
  const c = processContainer();
  const handle = c.db;
  c.db = undefined;
  await handle?.close();
}
