import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DbHandle, openDb } from '../../db/client';
import { type MigrationSettings, runMigrations } from '../../db/migrate';

export interface TestDbOptions extends MigrationSettings {
  /** Migrate with this folder (e.g. a copy holding only the older migrations); false leaves the database empty. */
  migrations?: string | false;
  /** A Postgres server to make the database on, whatever TEST_DB says (e.g. a test's own cluster). */
  serverUrl?: string;
}

/**
 * A fresh, migrated database for one test file. PGlite in memory by default; when the suite
 * runs under the postgres project (TEST_DB=postgres), a new database on TEST_DATABASE_URL's
 * server, dropped again by close().
 */
export async function createTestDb(options: TestDbOptions = {}): Promise<DbHandle & { url?: string }> {
  const migrate = (h: DbHandle) => (options.migrations === false ? undefined : runMigrations(h, options.migrations, options));
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  if (!options.serverUrl && process.env.TEST_DB !== 'postgres') {
    const handle = openDb({ memory: true });
    await migrate(handle);
    return handle;
  }
  if (!serverUrl) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `tributary_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = openDb({ url: url.toString() });
  await migrate(handle);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
