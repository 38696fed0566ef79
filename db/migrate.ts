import path from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { DbHandle } from './client';

export const migrationsFolder = path.resolve(process.cwd(), 'db/migrations');

/** Applies every committed migration not yet applied (drizzle's journal makes it idempotent). */
export async function runMigrations(handle: DbHandle, folder = migrationsFolder): Promise<void> {
  // Both migrators take the same config; the casts only pick the driver's own signature.
  if (handle.driver === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder: folder });
  } else {
    await migratePostgres(handle.db as never, { migrationsFolder: folder });
  }
}
