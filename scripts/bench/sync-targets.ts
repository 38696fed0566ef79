import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { type DbTarget, openDb } from '../../db/client';
import { runMigrations } from '../../db/migrate';

/** A scratch database for one bench:sync target: made and migrated here, synced by the worker, measured again here. */
export interface BenchTarget {
  kind: 'postgres' | 'pglite';
  db: Extract<DbTarget, { url: string }> | Extract<DbTarget, { dataDir: string }>;
  drop(): Promise<void>;
}

export async function createTarget(kind: BenchTarget['kind'], serverUrl?: string): Promise<BenchTarget> {
  if (kind === 'pglite') {
    // On disk under a scratch directory, as the app's embedded default keeps it (DATA_DIR).
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-sync-pglite-'));
    const h = openDb({ dataDir });
    await runMigrations(h);
    await h.close();
    return { kind, db: { dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `bench_sync_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const h = openDb({ url: url.toString() });
  await runMigrations(h);
  await h.close();
  return {
    kind,
    db: { url: url.toString() },
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
