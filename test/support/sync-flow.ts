import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { eq } from 'drizzle-orm';
import type { Inngest } from 'inngest';
import type { PlaidApi } from 'plaid';
import { syncRuns } from '../../db/schema';
import { createPublishStreams } from '../../inngest/functions/publish-streams';
import { createRefreshAccounts } from '../../inngest/functions/refresh-accounts';
import { createRemineItem } from '../../inngest/functions/remine-item';
import { createSyncTransactions } from '../../inngest/functions/sync-transactions';
import type { Runner, RunnerOptions } from '@tributary/inngest-embedded';
import { startRunner } from '@tributary/inngest-embedded/testing';
import { type Harness, silentLog } from './harness';
import { testStreams } from './streams';
import { testJobContext } from './job-context';

/**
 * Whole flows through the embedded runner: the four sync functions built for a test harness
 * (small pages, short debounce, no cron sweep in the way), with the harness's `send` routed into
 * the runner so items.link really triggers the sync. `plaid.current` may be swapped per test.
 */
export function syncFlow(h: Harness, client: Inngest.Any, kinesis: () => KinesisClient) {
  const plaid = { current: h.emu.plaid as PlaidApi };
  const context = () =>
    testJobContext({ db: h.db, deps: { ...h.deps, plaid: plaid.current }, log: silentLog, kinesis: async () => ({ client: kinesis(), streams: testStreams }) });
  const functions = [
    createSyncTransactions(client, context, { debounce: '0.2s', pageSize: 10 }),
    createRefreshAccounts(client, context),
    createRemineItem(client, context, { pageSize: 10 }),
    createPublishStreams(client, context, { cron: '0 0 1 1 *' }),
  ];
  let runner: Runner | undefined;
  h.deps.send = async (events) => {
    await runner?.send(events.map((e) => ({ name: e.name, data: e.data })));
  };
  return {
    plaid,
    async start(overrides: Partial<RunnerOptions> = {}) {
      runner = await startRunner(h.db, client as Inngest, functions, { backoffScale: 0.001, pollIntervalMs: 50, ...overrides });
      return runner;
    },
    runner: () => runner!,
    /** Waits until every run has finished — debounced runs not due yet included, the next cron tick not. */
    async settle(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await runner!.waitForIdle({ timeoutMs });
        const open = (await runner!.listRuns({ limit: 500 })).filter(
          (r) => r.eventName !== 'inngest/scheduled.timer' && !['COMPLETED', 'FAILED', 'CANCELLED'].includes(r.status),
        );
        if (open.length === 0) return;
        if (Date.now() > deadline) throw new Error(`runs still open: ${open.map((r) => `${r.functionId} ${r.status}`).join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(o?: { graceMs?: number; release?: boolean }) {
      await runner?.stop({ graceMs: 0, ...o });
      runner = undefined;
    },
    syncRunsOf: (itemId: string) => h.db.select().from(syncRuns).where(eq(syncRuns.itemId, itemId)).orderBy(syncRuns.createdAt),
  };
}
