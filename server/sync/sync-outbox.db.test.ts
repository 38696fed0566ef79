import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamOutbox, transactionChanges } from '../../db/schema';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { setEnvForTests } from '../../test/support/env';
import { startKinesalite, type LocalKinesis } from '../streams/kinesalite';
import { createKinesisClient, localCredentials } from '../streams/kinesis-client';
import { publishOutbox } from '../streams/publisher';
import { expandAllTransactionChanges, renderChange } from '../streams/render-changes';
import { readStream, testStreams } from '../../test/support/streams';
import { syncItemTransactions } from './sync-item';
import { linkAs } from '../../test/support/sync';

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
let h: Harness;
let kinesalite: LocalKinesis;
let kinesis: KinesisClient;
beforeAll(async () => {
  h = await createHarness();
  kinesalite = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
  kinesis = createKinesisClient({ endpoint: kinesalite.endpoint, credentials: localCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  kinesis.destroy();
  await kinesalite.close();
  await h.close();
});

const sync = (itemId: string) => syncItemTransactions(h.db, h.deps, { itemId, trigger: 'test', pageSize: 10 }, silentLog);

/** (stream, entity id, change type) of every outbox row of the item after `afterSeq`, in seq order. */
async function outboxChanges(itemId: string, afterSeq = 0) {
  await expandAllTransactionChanges(h.db);
  const rows = await h.db
    .select()
    .from(streamOutbox)
    .where(and(eq(streamOutbox.itemId, itemId), gt(streamOutbox.seq, afterSeq)))
    .orderBy(asc(streamOutbox.seq));
  return rows.filter((r) => (r.payload as { entity: string }).entity !== 'item').map((r) => {
    const p = r.payload as { changeType: string; plaid?: { transaction_id?: string; account_id?: string }; transactionId?: string; accountId?: string };
    const id = p.plaid ? (p.plaid.transaction_id ?? p.plaid.account_id) : (p.transactionId ?? p.accountId);
    return { seq: r.seq, key: `${r.stream} ${id} ${p.changeType}`, recordId: r.recordId };
  });
}

const sortedKeys = (list: Array<{ key: string }>) => list.map((x) => x.key).sort();

describe('sync → outbox → Kinesis', () => {
  it('appends exactly one raw and one refined record per change, and nothing for a no-op sync', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    await sync(itemId);
    const first = await outboxChanges(itemId);
    const emu = h.emu.emulator.state.items[plaidItemId]!;
    const initial = emu.log.map((e) => `${e.tx.transaction_id} ${e.op}`);
    const accounts = emu.accounts.map((a) => `${a.account.account_id} added`);
    const expected = (kinds: string[], changes: string[]) => kinds.flatMap((k) => changes.map((c) => `${k} ${c}`)).sort();
    expect(sortedKeys(first)).toEqual([
      ...expected(['raw-transactions', 'refined-transactions'], initial),
      ...expected(['raw-accounts', 'refined-accounts'], accounts),
    ].sort());

    const logBefore = emu.log.length;
    const lastSeq = first.at(-1)!.seq;
    h.emu.emulator.controls.refresh(plaidItemId);
    const changes = emu.log.slice(logBefore).map((e) => `${e.tx.transaction_id} ${e.op}`);
    expect(changes.some((c) => c.endsWith('removed')) && changes.some((c) => c.endsWith('modified'))).toBe(true);
    await sync(itemId);
    const second = await outboxChanges(itemId, lastSeq);
    expect(sortedKeys(second)).toEqual(expected(['raw-transactions', 'refined-transactions'], changes));

    await sync(itemId);
    expect(await outboxChanges(itemId, second.at(-1)!.seq)).toEqual([]);
  });

  it('links a posted transaction to the pending one it replaces in the refined removal record', async () => {
    const { itemId, plaidItemId } = await linkAs(h);
    await sync(itemId);
    const lastSeq = (await outboxChanges(itemId)).at(-1)!.seq;
    h.emu.emulator.controls.refresh(plaidItemId);
    await syncItemTransactions(h.db, h.deps, { itemId, pageSize: 500 }, silentLog); // one page: both halves together
    await expandAllTransactionChanges(h.db);
    const rows = await h.db.select().from(streamOutbox).where(and(eq(streamOutbox.itemId, itemId), gt(streamOutbox.seq, lastSeq), eq(streamOutbox.stream, 'refined-transactions')));
    const removals = rows.map((r) => r.payload as { changeType: string; transactionId: string; postedTransactionId?: string | null }).filter((p) => p.changeType === 'removed');
    expect(removals.length).toBeGreaterThan(0);
    for (const r of removals) expect(r.postedTransactionId).toBeTruthy();
  });

  it('publishes what two items synced to kinesalite, each item in its own order', async () => {
    const a = await linkAs(h);
    const b = await linkAs(h);
    await Promise.all([sync(a.itemId), sync(b.itemId)]);
    // What is waiting: account records in the outbox, transaction changes in the change log (sent from there).
    const queued = await h.db.select().from(streamOutbox).where(isNull(streamOutbox.publishedAt)).orderBy(asc(streamOutbox.seq));
    const logged = (await h.db.select().from(transactionChanges).orderBy(asc(transactionChanges.seq))).flatMap(renderChange);
    expect(logged.length).toBeGreaterThan(0);
    const result = await publishOutbox(h.db, kinesis, { streams: testStreams, log: silentLog, retryBaseMs: 1 });
    expect(result).toMatchObject({ ok: true, remaining: 0 });
    expect(await h.db.select().from(transactionChanges)).toEqual([]);
    for (const stream of ['raw-transactions', 'refined-transactions', 'refined-accounts'] as const) {
      const read = await readStream(kinesis, testStreams[stream]);
      for (const { itemId } of [a, b]) {
        const waiting = [...queued.filter((r) => (r.payload as { entity: string }).entity !== 'item'), ...logged]
          .filter((r) => r.itemId === itemId && r.stream === stream).map((r) => r.recordId);
        expect(waiting.length).toBeGreaterThan(0);
        const mine = read.filter((r) => r.partitionKey === itemId);
        expect(mine.filter((r) => r.data.entity !== 'item').map((r) => String(r.data.recordId))).toEqual(waiting);
        // Each item's records on a stream are numbered 1, 2, 3 … without gaps, in the order they landed.
        expect(mine.map((r) => r.data.sequence)).toEqual(mine.map((_, i) => i + 1));
      }
    }
  });
});
