import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { plaidItems, plaidTransactions } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { setEnvForTests } from '../../test/support/env';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { itemSnapshot } from '../../test/support/replica-views';
import { interceptPutRecords, testStreams } from '../../test/support/streams';
import { storeWebhook } from '../../test/support/webhook-fixtures';
import { webhookHandler } from '../../test/support/webhook-handling';
import { decrypt } from '../crypto';
import { queueRemine } from '../items/item-actions';
import { remineAccounts, remineTransactions } from '../sync/remine';
import { syncItemTransactions } from '../sync/sync-item';
import { startKinesalite, type LocalKinesis } from './kinesalite';
import { createKinesisClient, localCredentials } from './kinesis-client';
import { claimOutboxRows } from './outbox-claims';
import { unpublishedCount } from './outbox';
import { publishOutbox } from './publisher';
import { expandAllTransactionChanges } from './render-changes';
import { replayStreams } from './replay';

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
let h: Harness;
let replica: DbHandle;
let kinesalite: LocalKinesis;
let kinesis: KinesisClient;
const { handle: handleWebhook } = webhookHandler({ db: () => h.db, log: silentLog });
beforeAll(async () => {
  h = await createHarness();
  replica = await createTestDb();
  kinesalite = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
  kinesis = createKinesisClient({ endpoint: kinesalite.endpoint, credentials: localCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  kinesis.destroy();
  await kinesalite.close();
  await replica.close();
  await h.close();
});

const INSTITUTION = 'ins_109508';
const USERNAME = 'user_transactions_dynamic';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Which PutRecords calls fail an entry (Kinesis throttling), and whether a call "crashes" after sending. */
const faults = { failEvery: 0, crashAfterSend: false };

const publish = () => publishOutbox(h.db, kinesis, { streams: testStreams, log: silentLog, retryBaseMs: 1, maxFailedCalls: 3, leaseMs: 200 });

const snapshot = (side: 'source' | 'replica', itemId: string) => itemSnapshot(side === 'source' ? h.db : replica.db, side, itemId);

describe('the streams are a replayable log', () => {
  it('replaying every record into an empty database gives the app\'s accounts, transactions and item status, row for row', async () => {
    interceptPutRecords(kinesis, (call, i) => (faults.failEvery && i % faults.failEvery === 0 ? [0, Math.floor(call.entries.length / 2)] : []));
    // A crash after Kinesis took the records but before the outbox was stamped: they are sent again.
    kinesis.middlewareStack.add((next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === 'PutRecordsCommand' && faults.crashAfterSend) {
        faults.crashAfterSend = false;
        throw new Error('publisher crashed after sending (injected)');
      }
      return out;
    }, { step: 'initialize', name: 'crashAfterSend' });

    // Link.
    const user = await h.createUser();
    const api = h.caller(user);
    const { linkToken } = await api.link.createToken({ mode: 'new' });
    const done = h.emu.emulator.link.completeLink({ linkToken, institutionId: INSTITUTION, username: USERNAME, password: 'pass_good' });
    if (done.status !== 'success') throw new Error('link failed');
    const { item } = await api.items.link({ publicToken: done.publicToken, metadata: { institution: done.institution, accounts: done.accounts, link_session_id: done.linkSessionId } });
    const itemId = item.id;
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, itemId));
    const plaidItemId = row!.plaidItemId;
    const accessToken = decrypt(h.deps.keyring, row!.accessTokenEnc);
    const sync = () => syncItemTransactions(h.db, h.deps, { itemId, trigger: 'test', pageSize: 25 }, silentLog);

    // Initial and historical sync, published through a throttling Kinesis.
    await sync();
    faults.failEvery = 3;
    await publish();

    // Modifications and pending → posted; a publisher crashes holding a lease, another after sending.
    h.emu.emulator.controls.refresh(plaidItemId);
    await sync();
    await expandAllTransactionChanges(h.db);
    expect((await claimOutboxRows(h.db, { owner: 'crashed-publisher', limit: 40, leaseMs: 100 })).length).toBeGreaterThan(0);
    await sleep(150);
    faults.crashAfterSend = true;
    const crashed = await publish();
    expect(crashed.ok).toBe(false);

    // TRANSACTIONS_REMOVED for two live transactions.
    const live = await h.db.select({ id: plaidTransactions.id }).from(plaidTransactions).where(sql`${plaidTransactions.itemId} = ${itemId} and ${plaidTransactions.removedAt} is null`).limit(2);
    const webhook = await storeWebhook(h.db, { id: itemId, plaidItemId }, { webhook_type: 'TRANSACTIONS', webhook_code: 'TRANSACTIONS_REMOVED', removed_transactions: live.map((t) => t.id) });
    expect((await handleWebhook(webhook.id)).state).toBe('PROCESSED');

    // A balance read that finds a new balance, and a live read.
    const emuItem = h.emu.emulator.state.items[plaidItemId]!;
    emuItem.accounts[0]!.account.balances.current = 4321.09;
    await api.accounts.balance({ itemId });
    emuItem.accounts[0]!.account.balances.available = 4000.5;
    await api.accounts.live({ itemId });

    // A new account at the bank, shared through update mode.
    const accountsBefore = emuItem.accounts.length;
    await h.emu.plaid.sandboxItemFireWebhook({ access_token: accessToken, webhook_type: 'ITEM' as never, webhook_code: 'NEW_ACCOUNTS_AVAILABLE' as never });
    await h.db.update(plaidItems).set({ newAccountsAvailable: true }).where(eq(plaidItems.id, itemId));
    const update = await api.link.createToken({ itemId, mode: 'update' });
    const choices = h.emu.emulator.link.linkAccountChoices(update.linkToken);
    expect(choices.length).toBeGreaterThan(accountsBefore);
    const repaired = h.emu.emulator.link.completeLink({ linkToken: update.linkToken, institutionId: INSTITUTION, username: USERNAME, password: 'pass_good', selectedAccountIds: choices.map((c) => c.id) });
    expect(repaired.status).toBe('success');
    await api.items.completeUpdate({ itemId });
    await sync();

    // Re-mine: everything again from an empty cursor (the two webhook-removed ones come back).
    const { runId } = await queueRemine(h.db, h.deps, { itemId, requestedBy: 'test' });
    await remineAccounts(h.db, h.deps, { itemId, runId }, silentLog);
    await remineTransactions(h.db, h.deps, { itemId, runId, pageSize: 50 }, silentLog);

    // The user removes the bank.
    await api.items.remove({ itemId });

    faults.failEvery = 0;
    for (let i = 0; i < 10 && (await unpublishedCount(h.db)) > 0; i++) {
      await publish();
      await sleep(120); // leases of a crashed pass expire
    }
    expect(await unpublishedCount(h.db)).toBe(0);

    const result = await replayStreams(replica.db, kinesis, testStreams);
    expect(result.gaps).toEqual([]);
    expect(result.duplicates).toBeGreaterThan(0); // the crash after sending
    const source = await snapshot('source', itemId);
    expect(source.items).toEqual([expect.objectContaining({ status: 'REMOVED' })]);
    expect(source.accounts.length).toBe(choices.length);
    expect(source.transactions.some((t) => t.removed)).toBe(true);
    expect(source.transactions.some((t) => !t.removed)).toBe(true);
    expect(await snapshot('replica', itemId)).toEqual(source);

    // Applying everything again changes nothing.
    const again = await replayStreams(replica.db, kinesis, testStreams);
    expect(await snapshot('replica', itemId)).toEqual(source);

    // The consumer loses data; support re-publishes the item's state; the consumer, resuming where
    // it was, gets it back (the lost rows come only from the snapshot's records).
    await replica.db.execute(sql`delete from replica_transactions where transaction_id in (select transaction_id from replica_transactions where item_id = ${itemId} order by transaction_id limit 5)`);
    await replica.db.execute(sql`delete from replica_accounts where item_id = ${itemId} and account_id = (select min(account_id) from replica_accounts where item_id = ${itemId})`);
    await replica.db.execute(sql`update replica_items set status = 'ACTIVE', version = 0 where item_id = ${itemId}`);
    expect(await snapshot('replica', itemId)).not.toEqual(source);
    const support = h.caller(await h.createUser('support'));
    const republished = await support.support.items.republish({ itemId, reason: 'consumer lost a partition' });
    expect(republished).toEqual({ accounts: source.accounts.length, transactions: source.transactions.length });
    await publish();
    const resumed = await replayStreams(replica.db, kinesis, testStreams, { after: again.positions });
    expect(resumed.gaps).toEqual([]);
    expect(resumed.applied).toBe(1 + republished.accounts + republished.transactions);
    const [sourceItem] = (await snapshot('source', itemId)).items as Array<{ version: number }>;
    expect(sourceItem!.version).toBe((source.items[0] as { version: number }).version + 1); // the snapshot is an item change
    expect(await snapshot('replica', itemId)).toEqual(await snapshot('source', itemId));
    const audit = await h.db.execute(sql`select action, reason from audit_log where item_id = ${itemId} and action = 'item.republish_snapshot'`);
    expect(rowsOf(audit)).toEqual([{ action: 'item.republish_snapshot', reason: 'consumer lost a partition' }]);
  });
});
