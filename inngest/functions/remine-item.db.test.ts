import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { plaidAccounts, plaidTransactions } from '../../db/schema';
import { setEnvForTests } from '../../test/support/env';
import { queueRemine } from '../../server/items/item-actions';
import { startKinesalite, type LocalKinesis } from '../../server/streams/kinesalite';
import { createKinesisClient, localCredentials } from '../../server/streams/kinesis-client';
import { readStream, testStreams } from '../../test/support/streams';
import { syncFlow } from '../../test/support/sync-flow';
import { databaseView, emulatorView, linkAs } from '../../test/support/sync';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { toyClient } from '@tributary/inngest-embedded/testing';
import { publishOutbox } from '../../server/streams/publisher';

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
let h: Harness;
let kinesalite: LocalKinesis;
let kinesis: KinesisClient;
let flow: ReturnType<typeof syncFlow>;

beforeAll(async () => {
  h = await createHarness();
  kinesalite = await startKinesalite({ streams: Object.values(testStreams) });
  kinesis = createKinesisClient({ endpoint: kinesalite.endpoint, credentials: localCredentials, maxAttempts: 1 });
  flow = syncFlow(h, toyClient('remine-flow'), () => kinesis);
  await flow.start();
});
afterEach(() => flow.settle());
afterAll(async () => {
  await flow.stop();
  kinesis.destroy();
  await kinesalite.close();
  await h.close();
});

describe('remine-item and refresh-accounts through the embedded runner', () => {
  it('re-mines an item: rows Plaid no longer returns are marked removed with their record, the rest equals Plaid', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    await flow.settle();
    const [kept] = await h.db.select().from(plaidTransactions).where(eq(plaidTransactions.itemId, itemId)).limit(1);
    await h.db.insert(plaidTransactions).values({ ...kept!, id: 'ghost-transaction' });
    await h.db.update(plaidTransactions).set({ amount: '999.0000' }).where(eq(plaidTransactions.id, kept!.id)); // drifted copy

    const { runId } = await queueRemine(h.db, h.deps, { itemId, requestedBy: 'test' });
    await flow.settle();
    expect((await flow.syncRunsOf(itemId)).find((r) => r.id === runId)).toMatchObject({ kind: 'remine', status: 'SUCCEEDED' });
    expect(await databaseView(h.db, itemId)).toEqual(emulatorView(h, plaidItemId));
    const [ghost] = await h.db.select().from(plaidTransactions).where(eq(plaidTransactions.id, 'ghost-transaction'));
    expect(ghost!.removedAt).toBeInstanceOf(Date);
    // Whatever the flow's publisher has not sent yet goes now; the removal is on the refined stream.
    expect(await publishOutbox(h.db, kinesis, { streams: testStreams, log: silentLog })).toMatchObject({ ok: true, remaining: 0 });
    const refined = (await readStream(kinesis, testStreams['refined-transactions'])).filter((r) => r.partitionKey === itemId);
    expect(refined.map((r) => r.data as { transactionId: string; changeType: string })).toContainEqual(
      expect.objectContaining({ transactionId: 'ghost-transaction', changeType: 'removed' }),
    );
  });

  it('refreshes balances on request and records the changed account only', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    await flow.settle();
    const emuAccount = h.emu.emulator.state.items[plaidItemId]!.accounts[0]!.account;
    emuAccount.balances.current = 1234.56;
    await flow.runner().send({ name: 'item/accounts.refresh-requested', data: { itemId } });
    await flow.settle();
    const [row] = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.id, emuAccount.account_id));
    expect(row!.currentBalance).toBe('1234.5600');
    const run = (await flow.runner().listRuns({ functionId: 'remine-flow-refresh-accounts', itemId }))[0];
    expect(run?.status).toBe('COMPLETED');
    expect((await flow.runner().waitForRun(run!.id)).output).toMatchObject({ added: 0, modified: 1, removed: 0 });
  });
});
