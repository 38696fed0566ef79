import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client';

const dialect = new PgDialect();

/**
 * `db.execute(sql...)` for a statement on a hot path, as a prepared statement where the driver
 * prepares: postgres.js then parses and plans it once per connection and runs it in one round
 * trip (an unprepared statement with parameters costs two: describe, then execute). PGlite runs it
 * as usual. A client opened with `prepare: false` (behind a transaction-pooling PgBouncer) still
 * runs it unprepared. The result has the shape `db.execute` gives: read it with `rowsOf`.
 */
export function executePrepared(db: Db, name: string, query: SQL): Promise<unknown> {
  return db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute();
}
