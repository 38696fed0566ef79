import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { plaidApiCalls, plaidItems } from '../../db/schema';
import { setEnvForTests } from '../../test/support/env';
import { unpublishedCount } from '../../server/streams/outbox';
import { startKinesalite, type LocalKinesis } from '../../server/streams/kinesalite';
import { createKinesisClient, localCredentials } from '../../server/streams/kinesis-client';
import { readStream, testStreams } from '../../test/support/streams';
import { syncFlow } from '../../test/support/sync-flow';
import { databaseView, emulatorView, linkAs } from '../../test/support/sync';
import { createHarness, type Harness } from '../../test/support/harness';
import { toyClient } from '@tributary/inngest-embedded/testing';

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
let h: Harness;
let kinesalite: LocalKinesis;
let kinesis: KinesisClient;
let flow: ReturnType<typeof syncFlow>;
const client = toyClient('sync-flow');

beforeAll(async () => {
  h = await createHarness();
  kinesalite = await startKinesalite({ streams: Object.values(testStreams) });
  kinesis = createKinesisClient({ endpoint: kinesalite.endpoint, credentials: localCredentials, maxAttempts: 1 });
  flow = syncFlow(h, client, () => kinesis);
});
afterEach(async () => {
  await flow.stop();
  flow.plaid.current = h.emu.plaid;
});
afterAll(async () => {
  kinesis.destroy();
  await kinesalite.close();
  await h.close();
});

const syncRequested = (itemId: string) => ({ name: 'item/sync.requested', data: { itemId, trigger: 'test' } });
const runsOf = async (fn: string) => (await flow.runner().listRuns()).filter((r) => r.functionId === `sync-flow-${fn}`);

describe('sync-transactions through the embedded runner', () => {
  it('linking an item ends with the emulator transactions and balances in the database, published to Kinesis', async () => {
    await flow.start();
    const { itemId, plaidItemId } = await linkAs(h);
    await flow.settle();
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
    expect(await flow.syncRunsOf(itemId)).toMatchObject([{ status: 'SUCCEEDED', trigger: 'link' }]);
    expect((await runsOf('publish-streams')).map((r) => r.status)).toContain('COMPLETED');
    expect(await unpublishedCount(h.db)).toBe(0);
    const published = (await readStream(kinesis, testStreams['raw-transactions'])).filter((r) => r.partitionKey === itemId);
    expect(published).toHaveLength(emulatorView(h, plaidItemId).transactions.length);
  });

  it('coalesces a burst of requests for one item into one sync, and converges after an emulator refresh', async () => {
    await flow.start();
    const { itemId, plaidItemId } = await linkAs(h);
    await flow.settle();
    h.emu.emulator.controls.refresh(plaidItemId);
    await flow.runner().send([1, 2, 3, 4, 5].map(() => syncRequested(itemId)));
    await flow.settle();
    expect(await flow.syncRunsOf(itemId)).toHaveLength(2);
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
  });

  it('retries a 429 and a 500 in the middle of the loop with backoff and converges with one sync run', async () => {
    await flow.start();
    const { itemId, plaidItemId } = await linkAs(h);
    await flow.settle();
    h.emu.emulator.controls.advanceClock(plaidItemId, 30); // ~35 new transactions: several pages
    const real = h.emu.plaid;
    let calls = 0;
    flow.plaid.current = Object.assign(Object.create(real), {
      transactionsSync: (...args: Parameters<typeof real.transactionsSync>) => {
        calls++;
        if (calls === 2) h.emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', http_status: 429 });
        if (calls === 4) h.emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', http_status: 500 });
        return real.transactionsSync(...args);
      },
    });
    await flow.runner().send(syncRequested(itemId));
    await flow.settle();
    const [, run] = await flow.syncRunsOf(itemId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', errorCode: null });
    const [job] = (await runsOf('sync-transactions')).filter((r) => r.attemptErrors.length > 0);
    expect(job?.attemptErrors).toHaveLength(2);
    expect(job?.status).toBe('COMPLETED');
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
  });

  it('converges when the process dies mid-sync and a new runner takes over on the same database', async () => {
    await flow.start({ leaseMs: 500 });
    const { itemId, plaidItemId } = await linkAs(h);
    await flow.settle();
    h.emu.emulator.controls.advanceClock(plaidItemId, 30);
    const real = h.emu.plaid;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => {
      let calls = 0;
      flow.plaid.current = Object.assign(Object.create(real), {
        transactionsSync: async (...args: Parameters<typeof real.transactionsSync>) => {
          if (++calls === 3) {
            resolve();
            await new Promise<void>((r) => (release = r));
            throw new Error('process killed'); // this execution never gets further
          }
          return real.transactionsSync(...args);
        },
      });
    });
    await flow.runner().send(syncRequested(itemId));
    await reached;
    await flow.stop({ graceMs: 0, release: false }); // dead: its lease stays until it expires
    flow.plaid.current = real;
    await flow.start({ leaseMs: 500 });
    release();
    await new Promise((r) => setTimeout(r, 700));
    await flow.settle();
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
    expect((await flow.syncRunsOf(itemId)).at(-1)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('ends without retries when the login is required, leaving the item in ERROR', async () => {
    await flow.start();
    const { itemId, plaidItemId } = await linkAs(h);
    await flow.settle();
    const accessToken = h.emu.emulator.state.items[plaidItemId]!.accessToken;
    await h.emu.plaid.sandboxItemResetLogin({ access_token: accessToken });
    await flow.runner().send(syncRequested(itemId));
    await flow.settle();
    const [item] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    expect(item).toMatchObject({ status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED' });
    expect((await flow.syncRunsOf(itemId)).at(-1)).toMatchObject({ status: 'LOGIN_REQUIRED' });
    const failed = (await runsOf('sync-transactions')).filter((r) => r.status === 'FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error?.name).toBe('NonRetriableError');
    expect(failed[0]!.attemptErrors.every((e) => e.attempt === 0)).toBe(true);
    const calls = await h.db.select().from(plaidApiCalls).where(and(eq(plaidApiCalls.itemId, itemId), eq(plaidApiCalls.errorCode, 'ITEM_LOGIN_REQUIRED')));
    expect(calls).toHaveLength(1); // asked Plaid once: no retry
  });
});
