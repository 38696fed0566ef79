import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/client';
import { setEnvForTests } from '../test/support/env';
import { createTestDb } from '../test/support/db';
import { quietLog } from '../test/support/quiet-log';

let handle: DbHandle;

beforeAll(async () => {
  // The embedded default with default schedules; a throwaway DATA_DIR, whatever the machine has.
  setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'tributary-fns-')) });
  handle = await createTestDb();
});
afterAll(() => handle.close());

describe("the app's functions", () => {
  it('all start in the embedded runner, each cron with its next run queued', async () => {
    const { inngest } = await import('./client');
    const { functions } = await import('./index');
    const { createRunner } = await import('@tributary/inngest-embedded');
    // A standing clock: nothing falls due while the test looks.
    const now = Date.parse('2030-01-01T00:00:30Z');
    const runner = createRunner({ db: handle.db, client: inngest, functions, log: quietLog, clock: () => now });
    await runner.start();
    try {
      expect(runner.functions().map((f) => f.id).sort()).toEqual(
        [
          'handle-plaid-webhook',
          'handle-plaid-webhook-failure', // its onFailure handler, served as a function of its own
          'item-hygiene',
          'login-freshness',
          'migrate-webhooks',
          'notify-item',
          'poll-institutions',
          'publish-streams',
          'refresh-accounts',
          'remine-item',
          'resync-sweep',
          'sweep-webhooks',
          'sync-transactions',
        ].map((id) => `tributary-${id}`),
      );
      const next = async (fn: string) => (await runner.listRuns({ functionId: `tributary-${fn}`, status: 'QUEUED' }))[0]?.runAt.toISOString();
      expect(await next('resync-sweep')).toBe('2030-01-01T00:15:00.000Z');
      expect(await next('item-hygiene')).toBe('2030-01-01T03:30:00.000Z');
    } finally {
      await runner.stop({ graceMs: 0 });
    }
  });
});
