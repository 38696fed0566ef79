import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * What the host application hands the runner. The runner owns no connection and no log
 * configuration: it takes the app's own.
 */

/**
 * A drizzle Postgres database, from either `drizzle-orm/pglite` or `drizzle-orm/postgres-js`,
 * with any schema: the runner queries its own `job_runs` table directly (never `db.query`), and
 * that table must exist (see `./schema`).
 */
export type Db = PgDatabase<PgQueryResultHKT, any, any>;

/** `(fields, message)` or `(message)`, as pino logs. */
export type LogFn = (fieldsOrMessage: unknown, message?: string) => void;

/** The subset of a pino logger the runner writes to; a pino `Logger` fits as is. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}
