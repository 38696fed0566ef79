import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Db } from '../../db/client';
import { createHandlePlaidWebhook } from '../../inngest/functions/handle-plaid-webhook';
import { createPublishStreams } from '../../inngest/functions/publish-streams';
import { createRefreshAccounts } from '../../inngest/functions/refresh-accounts';
import { createRemineItem } from '../../inngest/functions/remine-item';
import { createSyncTransactions } from '../../inngest/functions/sync-transactions';
import type { Runner, RunnerOptions } from '@tributary/inngest-embedded';
import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { createPlaidClient } from '../../server/plaid/client';
import { createKeyCache, type PlaidWebhookKey } from '../../server/plaid/webhook-verify';
import { startKinesalite, type LocalKinesis } from '../../server/streams/kinesalite';
import { createKinesisClient, localCredentials } from '../../server/streams/kinesis-client';
import { testStreams } from '../support/streams';
import { testJobContext } from '../support/job-context';
import { receivePlaidWebhook } from '../../server/webhooks/receive';
import { createHarness, type Harness, silentLog } from '../support/harness';
import { startLiveReceiver, type LiveReceiver } from './live-receiver';
import { startTcpLink, type TcpLink } from './tcp-link';

/** The SDK gives up on a Plaid call after this long (production: 30 s). */
export const PLAID_TIMEOUT_MS = 400;

/**
 * The whole pipeline on one machine, as the faults suites drive it: the emulator over HTTP sends
 * signed webhooks to a live endpoint in front of the real receiver; accepted webhooks go to the
 * embedded runner, which runs handle-plaid-webhook → sync-transactions → publish-streams into
 * kinesalite. The jobs' Plaid SDK client has a short timeout. `dbFor` holds the database the webhook and
 * sync functions (`jobs`) and the publisher (`publish`) see: the crash suite swaps in one that dies.
 * With `kinesisLink` the app reaches kinesalite through a TCP link the test can cut (`w.kinesisLink`);
 * `w.kinesis`, what tests read the streams with, always goes straight to kinesalite.
 * `publishCron` schedules the publisher's sweep (default: never, so only requests publish).
 */
export async function createFaultWorld(name: string, o: { serverUrl?: string; kinesisLink?: boolean; publishCron?: string; plaidTimeoutMs?: number } = {}) {
  const receiver: LiveReceiver = await startLiveReceiver();
  const h: Harness = await createHarness({ webhookUrl: receiver.url }, silentLog, { serverUrl: o.serverUrl });
  // The jobs' Plaid client gives up quickly (the Plaid faults are in the syncs; `plaidTimeoutMs` for a
  // suite whose fault is elsewhere); the API's (Link, the receiver's key fetch) keeps the SDK's
  // default, so a slow first call on a loaded machine does not fail the linking every scenario starts with.
  const jobsPlaid = createPlaidClient({ basePath: h.emu.url, clientId: 'faults', secret: 'faults-secret', timeoutMs: o.plaidTimeoutMs ?? PLAID_TIMEOUT_MS });
  const kinesalite: LocalKinesis = await startKinesalite({ streams: Object.values(testStreams) });
  const kinesisLink: TcpLink | undefined = o.kinesisLink ? await startTcpLink(kinesalite.port) : undefined;
  // The app's client makes one attempt per call (the publisher retries); the tests' reader lets the
  // SDK retry, which covers a keep-alive socket kinesalite closed when idle (5 s) as a read reused it.
  const appKinesis: KinesisClient = createKinesisClient({ endpoint: (kinesisLink ?? kinesalite).endpoint, credentials: localCredentials, maxAttempts: 1 });
  const kinesis: KinesisClient = createKinesisClient({ endpoint: kinesalite.endpoint, credentials: localCredentials, maxAttempts: 3 });
  const client = toyClient(`faults-${name}`);
  const dbFor: { jobs: Db; publish: Db } = { jobs: h.db, publish: h.db };
  let runner: Runner | undefined;

  const send = async (events: Array<{ name: string; data: Record<string, unknown> }>) => {
    if (!runner) throw new Error('runner is down');
    await runner.send(events.map((e) => ({ name: e.name, data: e.data })));
  };
  h.deps.send = send;
  const jobDeps = { ...h.deps, plaid: jobsPlaid };
  const jobContext = (db: () => Db) => () =>
    testJobContext({ db: db(), deps: jobDeps, log: silentLog, kinesis: async () => ({ client: appKinesis, streams: testStreams }) });
  const hookContext = jobContext(() => dbFor.jobs);
  const functions = [
    createSyncTransactions(client, jobContext(() => dbFor.jobs), { debounce: '0.2s', pageSize: 10 }),
    createRefreshAccounts(client, jobContext(() => dbFor.jobs)),
    createRemineItem(client, jobContext(() => dbFor.jobs), { pageSize: 10 }),
    createPublishStreams(client, jobContext(() => dbFor.publish), { cron: o.publishCron ?? '0 0 1 1 *' }),
    createHandlePlaidWebhook(client, hookContext),
  ];
  const getKey = createKeyCache(async (kid) => (await h.deps.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey);
  receiver.attach((rawBody, headers) => receivePlaidWebhook({ db: h.db, getKey, send, log: silentLog }, { rawBody, headers }));

  const openRuns = async () =>
    (await runner!.listRuns({ limit: 1000 })).filter(
      (r) => r.eventName !== 'inngest/scheduled.timer' && !['COMPLETED', 'FAILED', 'CANCELLED'].includes(r.status),
    );

  return {
    h,
    kinesis,
    kinesisLink,
    receiver,
    dbFor,
    runner: () => runner!,
    async start(overrides: Partial<RunnerOptions> = {}) {
      runner = await startRunner(h.db, client, functions, { backoffScale: 0.001, pollIntervalMs: 50, ...overrides });
      return runner;
    },
    /** A clean stop, or with `release: false` a dead process whose claims stay until their lease ends. */
    async stop(o: { graceMs?: number; release?: boolean } = {}) {
      await runner?.stop({ graceMs: 0, ...o });
      runner = undefined;
    },
    /**
     * Waits until the emulator has no webhook left to deliver (retries included) and every run
     * has finished, twice in a row: a delivered webhook may start new runs, a run new webhooks.
     */
    async settle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      while (quiet < 2) {
        await h.emu.emulator.controls.settleWebhooks();
        const pending = h.emu.emulator.controls.webhookDeliveries().filter((d) => d.state === 'pending');
        await runner!.waitForIdle({ timeoutMs });
        const open = await openRuns();
        quiet = pending.length === 0 && open.length === 0 ? quiet + 1 : 0;
        if (Date.now() > deadline) {
          throw new Error(`not settled: ${pending.length} deliveries pending, runs open: ${open.map((r) => `${r.functionId} ${r.status}`).join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 60));
      }
    },
    async close() {
      await runner?.stop({ graceMs: 0 });
      kinesis.destroy();
      appKinesis.destroy();
      await kinesisLink?.close();
      await kinesalite.close();
      await h.close();
      await receiver.close();
    },
  };
}
export type FaultWorld = Awaited<ReturnType<typeof createFaultWorld>>;
