import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/client';
import { setEnvForTests } from '../test/support/env';
import { createTestDb } from '../test/support/db';
import { quietLog } from '../test/support/quiet-log';

let handle: DbHandle;

beforeAll(async () => {
  // The embedded default: no INNGEST_* settings, whatever the machine running the tests has.
  setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  handle = await createTestDb();
});
afterAll(() => handle.close());

describe('the app Inngest client, embedded', () => {
  it('routes inngest.send with a typed event to the in-process runner', async () => {
    const { inngest } = await import('./client');
    const { itemSyncRequested } = await import('../server/events');
    const { createRunner } = await import('@tributary/inngest-embedded');
    const seen: unknown[] = [];
    const fn = inngest.createFunction({ id: 'probe', triggers: [itemSyncRequested] }, async ({ event }) => {
      seen.push(event.data);
      return event.data.itemId;
    });
    const runner = createRunner({ db: handle.db, client: inngest, functions: [fn], log: quietLog, pollIntervalMs: 100 });
    await runner.start();
    try {
      const { ids } = await inngest.send(itemSyncRequested.create({ itemId: 'item-9', trigger: 'manual' }));
      expect(ids).toHaveLength(1);
      await runner.waitForIdle();
      const [summary] = await runner.listRuns({ functionId: 'tributary-probe' });
      expect((await runner.waitForRun(summary!.id)).output).toBe('item-9');
      expect(seen).toEqual([{ itemId: 'item-9', trigger: 'manual' }]);
    } finally {
      await runner.stop();
    }
  });

  it('fails loudly when no runner is started instead of dropping the event', async () => {
    const { inngest } = await import('./client');
    await expect(inngest.send({ name: 'item/sync.requested', data: { itemId: 'item-1' } })).rejects.toThrow(/not started/);
  });

  it('keeps /api/inngest closed to the outside when embedded', async () => {
    const route = await import('../app/api/inngest/route');
    const response = await route.POST(new Request('http://127.0.0.1/api/inngest?fnId=tributary-probe&stepId=step', { method: 'POST', body: '{}' }) as never, undefined as never);
    expect(response.status).toBe(404);
  });
});
