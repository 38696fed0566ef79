import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect } from '@playwright/test';
import { E2E_PLAID_CLIENT_ID, E2E_PLAID_SECRET } from './plaid-credentials';

const root = path.resolve(import.meta.dirname, '..');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface OwnApp {
  url: string;
  /** Stops the app by its process (SIGTERM, waiting for it to exit) and removes its data. */
  stop(): Promise<void>;
}

/**
 * A second app, started the way `npm start` starts it (scripts/start.mjs, the same build), on a free
 * port of 127.0.0.1 with its own data directory: what a person's shell gives `npm start` (no NODE_ENV,
 * nor the variables `drop` says), plus the spec's own settings. Resolves once it serves /sign-in.
 */
export async function startOwnApp(name: string, env: Record<string, string>, drop: (key: string) => boolean = () => false): Promise<OwnApp> {
  const dataDir = path.join(root, `.test-data/${name}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  rmSync(dataDir, { recursive: true, force: true });
  const app: ChildProcess = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !drop(k))),
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PLAID_EMULATOR_CLIENT_ID: E2E_PLAID_CLIENT_ID,
      PLAID_EMULATOR_SECRET: E2E_PLAID_SECRET,
      ...env,
    } as unknown as NodeJS.ProcessEnv,
  });
  const stop = async () => {
    if (app.exitCode === null) {
      const exited = new Promise((resolve) => app.once('exit', resolve));
      app.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  await expect(async () => {
    expect(app.exitCode).toBeNull();
    const res = await fetch(`${url}/sign-in`);
    expect(res.status).toBe(200);
  }).toPass({ timeout: 240_000, intervals: [1_000, 2_000] });
  return { url, stop };
}
