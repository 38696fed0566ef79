import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { DbHandle } from './client';

export const migrationsFolder = path.resolve(process.cwd(), 'db/migrations');

export interface MigrationSettings {
  /**
   * How many hash partitions migration 0018 gives plaid_transactions (and plaid_transaction_raw):
   * read once, when that migration runs; later runs ignore it. Default TRANSACTION_PARTITIONS, else 16.
   */
  transactionPartitions?: number;
}

function partitionsFrom(settings: MigrationSettings): number | undefined {
  const value = settings.transactionPartitions ?? (process.env.TRANSACTION_PARTITIONS ? Number(process.env.TRANSACTION_PARTITIONS) : undefined);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > 1024) throw new Error('TRANSACTION_PARTITIONS must be a whole number from 1 to 1024');
  return value;
}

/** Applies every committed migration not yet applied (drizzle's journal makes it idempotent). */
export async function runMigrations(handle: DbHandle, folder = migrationsFolder, settings: MigrationSettings = {}): Promise<void> {
  const partitions = partitionsFrom(settings);
  // Both migrators take the same config; the casts only pick the driver's own signature.
  if (handle.driver === 'pglite') {
    // One session: a session setting reaches the migration's DO block.
    if (partitions !== undefined) await handle.db.execute(sql`select set_config('tributary.transaction_partitions', ${String(partitions)}, false)`);
    await migratePglite(handle.db as never, { migrationsFolder: folder });
    return;
  }
  if (partitions === undefined || !handle.url) {
    await migratePostgres(handle.db as never, { migrationsFolder: folder });
    return;
  }
  // A pool hands statements to any of its sessions: migrate over one session opened with the setting.
  const client = postgres(handle.url, { max: 1, onnotice: () => {}, connection: { 'tributary.transaction_partitions': String(partitions) } });
  try {
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: folder });
  } finally {
    await client.end({ timeout: 5 });
  }
}
