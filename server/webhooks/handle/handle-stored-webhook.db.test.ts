import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../db/client';
import { analyticsEvents, plaidTransactions, streamOutbox } from '../../../db/schema';
import { createTestDb } from '../../../test/support/db';
import { createLogger } from '../../logger';
import { markWebhookFailed } from './handle-stored-webhook';
import { webhookHandler } from '../../../test/support/webhook-handling';
import { createItem, getItem, getWebhook, loginRequired, storeWebhook } from '../../../test/support/webhook-fixtures';
import { expandAllTransactionChanges } from '../../../server/streams/render-changes';

const log = createLogger({ level: 'silent' });
let h: DbHandle;
const { handle, sent } = webhookHandler({ db: () => h.db, log });
const analyticsFor = async (userId: string) =>
  (await h.db.select().from(analyticsEvents).where(eq(analyticsEvents.userId, userId))).map((a) => ({ event: a.event, ...a.properties as object }));
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());
beforeEach(() => {
  sent.length = 0;
});

describe('TRANSACTIONS webhooks', () => {
  it.each(['INITIAL_UPDATE', 'HISTORICAL_UPDATE', 'DEFAULT_UPDATE', 'SYNC_UPDATES_AVAILABLE'])('%s requests a sync of the item', async (code) => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'TRANSACTIONS', webhook_code: code });
    const o = await handle(w.id);
    expect(o.state).toBe('PROCESSED');
    expect(sent).toEqual([{ name: 'item/sync.requested', data: { itemId: item.id, trigger: 'webhook' }, id: `sync-for-webhook-${w.id}` }]);
    expect((await getWebhook(h.db, w.id)).processedAt).toBeInstanceOf(Date);
  });

  it('TRANSACTIONS_REMOVED marks only the listed transactions of this item, keeping earlier removal times', async () => {
    const item = await createItem(h.db);
    const other = await createItem(h.db);
    const earlier = new Date('2024-01-01T00:00:00Z');
    const tx = (id: string, itemId: string, removedAt: Date | null = null) => ({
      id, itemId, accountId: 'acc', amount: '1.00', date: '2024-01-01', name: id, pending: false, removedAt,
    });
    await h.db.insert(plaidTransactions).values([tx('t-keep', item.id), tx('t-gone', item.id), tx('t-synced-away', item.id, earlier), tx('t-other', other.id)]);
    const w = await storeWebhook(h.db, item, { webhook_type: 'TRANSACTIONS', webhook_code: 'TRANSACTIONS_REMOVED', removed_transactions: ['t-gone', 't-synced-away', 't-other'] });
    expect((await handle(w.id)).state).toBe('PROCESSED');
    const rows = Object.fromEntries((await h.db.select().from(plaidTransactions)).map((t) => [t.id, t.removedAt]));
    expect(rows['t-keep']).toBeNull();
    expect(rows['t-gone']).toEqual(w.receivedAt);
    expect(rows['t-synced-away']).toEqual(earlier);
    expect(rows['t-other']).toBeNull();
    expect(sent).toEqual([]);
  });

  it('TRANSACTIONS_REMOVED logs removals for the streams (raw + refined records) for the rows it removed, once', async () => {
    const item = await createItem(h.db);
    const tx = (id: string, removedAt: Date | null = null) => ({
      id, itemId: item.id, accountId: 'acc', amount: '1.00', date: '2024-01-01', name: id, pending: true, removedAt,
    });
    await h.db.insert(plaidTransactions).values([tx('t-pending'), tx('t-already', new Date('2024-01-01T00:00:00Z'))]);
    const w = await storeWebhook(h.db, item, { webhook_type: 'TRANSACTIONS', webhook_code: 'TRANSACTIONS_REMOVED', removed_transactions: ['t-pending', 't-already'] });
    await handle(w.id);
    await handle(w.id);
    await expandAllTransactionChanges(h.db);
    const records = await h.db.select().from(streamOutbox).where(eq(streamOutbox.itemId, item.id));
    expect(records.map((r) => [r.stream, (r.payload as { changeType: string }).changeType]).sort()).toEqual([
      ['raw-transactions', 'removed'], ['refined-transactions', 'removed'],
    ]);
    expect(records.map((r) => r.payload)).toEqual([
      expect.objectContaining({ plaid: { transaction_id: 't-pending', account_id: 'acc' } }),
      expect.objectContaining({ transactionId: 't-pending', accountId: 'acc', postedTransactionId: null }),
    ]);
  });

  it('does not request a sync for a REVOKED item', async () => {
    const item = await createItem(h.db, { status: 'REVOKED' });
    const w = await storeWebhook(h.db, item, { webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE' });
    expect(await handle(w.id)).toMatchObject({ state: 'IGNORED', note: expect.stringContaining('REVOKED') });
    expect(sent).toEqual([]);
  });
});

describe('ITEM webhooks', () => {
  it('ERROR puts the item in ERROR with code and message and tracks "Item Errored"', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, loginRequired);
    expect((await handle(w.id)).state).toBe('PROCESSED');
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED', errorMessage: 'login required', erroredAt: w.receivedAt });
    expect(await analyticsFor(item.userId)).toEqual([
      { event: 'Item Errored', itemId: item.id, institutionId: 'ins_109508', institutionName: 'First Platypus Bank', webhookCode: 'ERROR', webhookId: w.id, errorCode: 'ITEM_LOGIN_REQUIRED', errorType: 'ITEM_ERROR', via: 'webhook' },
    ]);
    expect(sent.map((e) => e.data)).toEqual([
      { itemId: item.id, userId: item.userId, from: 'ACTIVE', to: 'ERROR', reason: 'ITEM_LOGIN_REQUIRED', at: expect.any(String) },
    ]);
  });

  it('handling the same webhook twice changes nothing the second time', async () => {
    const item = await createItem(h.db, { status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED', erroredAt: at(10) });
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' });
    const first = await handle(w.id);
    const itemAfterFirst = await getItem(h.db, item.id);
    const rowAfterFirst = await getWebhook(h.db, w.id);
    const second = await handle(w.id);
    expect(first).toMatchObject({ state: 'PROCESSED', alreadyHandled: false });
    expect(second).toMatchObject({ state: 'PROCESSED', alreadyHandled: true });
    expect(await getItem(h.db, item.id)).toEqual(itemAfterFirst);
    expect(await getWebhook(h.db, w.id)).toEqual(rowAfterFirst);
    expect(await analyticsFor(item.userId)).toHaveLength(1);
    // Re-sent follow-ups (the status change, the sync) carry the same event ids, which Inngest and the runner dedupe.
    expect(sent.map((e) => e.name)).toEqual(['item/status.changed', 'item/sync.requested', 'item/status.changed', 'item/sync.requested']);
    expect(sent.slice(2)).toEqual(sent.slice(0, 2));
  });

  it('LOGIN_REPAIRED makes the item ACTIVE, clears the error, tracks "Item Repaired" and requests a sync', async () => {
    const item = await createItem(h.db, { status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED', errorMessage: 'x', erroredAt: at(30) });
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' });
    expect((await handle(w.id)).state).toBe('PROCESSED');
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'ACTIVE', errorCode: null, errorMessage: null, erroredAt: null });
    expect((await analyticsFor(item.userId)).map((a) => a.event)).toEqual(['Item Repaired']);
    expect(sent.map((e) => e.name)).toEqual(['item/status.changed', 'item/sync.requested']);
    expect(sent[0]!.data).toMatchObject({ itemId: item.id, from: 'ERROR', to: 'ACTIVE', reason: 'LOGIN_REPAIRED' });
  });

  it('an old ERROR delivered after a newer LOGIN_REPAIRED is ignored as stale', async () => {
    const item = await createItem(h.db, { status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED', erroredAt: at(60) });
    const oldError = await storeWebhook(h.db, item, loginRequired, { receivedAt: at(20) });
    const repair = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' }, { receivedAt: at(10) });
    expect((await handle(repair.id)).state).toBe('PROCESSED');
    expect(await handle(oldError.id)).toMatchObject({ state: 'IGNORED', note: expect.stringContaining('stale') });
    expect((await getItem(h.db, item.id)).status).toBe('ACTIVE');
    expect((await analyticsFor(item.userId)).map((a) => a.event)).toEqual(['Item Repaired']);
  });

  it('an old LOGIN_REPAIRED delivered after a newer ERROR does not clear it', async () => {
    const item = await createItem(h.db);
    const oldRepair = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' }, { receivedAt: at(20) });
    const newError = await storeWebhook(h.db, item, loginRequired, { receivedAt: at(10) });
    expect((await handle(newError.id)).state).toBe('PROCESSED');
    expect(await handle(oldRepair.id)).toMatchObject({ state: 'IGNORED', note: expect.stringContaining('stale') });
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED' });
  });

  it('an ERROR older than the error a sync already recorded keeps the newer error and still tracks "Item Errored"', async () => {
    const seenBySync = at(1);
    const item = await createItem(h.db, { status: 'ERROR', errorCode: 'ITEM_LOCKED', errorMessage: 'newer', erroredAt: seenBySync });
    const w = await storeWebhook(h.db, item, loginRequired, { receivedAt: at(2) });
    expect((await handle(w.id)).state).toBe('PROCESSED');
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'ERROR', errorCode: 'ITEM_LOCKED', errorMessage: 'newer', erroredAt: seenBySync });
    expect((await analyticsFor(item.userId)).map((a) => a.event)).toEqual(['Item Errored']);
  });

  it('LOGIN_REPAIRED on an ACTIVE item is kept as IGNORED with nothing tracked', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' });
    expect(await handle(w.id)).toMatchObject({ state: 'IGNORED', note: expect.stringContaining('nothing to repair') });
    expect(await analyticsFor(item.userId)).toEqual([]);
    expect(sent).toEqual([]);
  });

  it.each(['USER_PERMISSION_REVOKED', 'USER_ACCOUNT_REVOKED'])('%s makes the item REVOKED and tracks "Item Errored"', async (code) => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: code, error: { error_type: 'ITEM_ERROR', error_code: code, error_message: 'the user revoked access' } });
    expect((await handle(w.id)).state).toBe('PROCESSED');
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'REVOKED', errorCode: code });
    expect(await analyticsFor(item.userId)).toEqual([expect.objectContaining({ event: 'Item Errored', errorCode: code })]);
  });

  it('PENDING_DISCONNECT records the deadline; an item in ERROR keeps its more urgent status', async () => {
    const disconnect = '2030-01-08T00:00:00.000Z';
    const active = await createItem(h.db);
    const broken = await createItem(h.db, { status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED', erroredAt: at(60) });
    for (const item of [active, broken]) {
      const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'PENDING_DISCONNECT', reason: 'INSTITUTION_MIGRATION', disconnect_time: disconnect });
      expect((await handle(w.id)).state).toBe('PROCESSED');
    }
    expect(await getItem(h.db, active.id)).toMatchObject({ status: 'PENDING_DISCONNECT', disconnectAt: new Date(disconnect) });
    expect(await getItem(h.db, broken.id)).toMatchObject({ status: 'ERROR', disconnectAt: new Date(disconnect) });
  });

  it('PENDING_EXPIRATION makes the item PENDING_DISCONNECT with the consent expiry', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'PENDING_EXPIRATION', consent_expiration_time: '2030-02-01T00:00:00Z' });
    await handle(w.id);
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'PENDING_DISCONNECT', consentExpiresAt: new Date('2030-02-01T00:00:00Z') });
  });

  it('NEW_ACCOUNTS_AVAILABLE flags the item for update mode with account selection and asks to tell its owner', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'NEW_ACCOUNTS_AVAILABLE' });
    await handle(w.id);
    expect(await getItem(h.db, item.id)).toMatchObject({ status: 'ACTIVE', newAccountsAvailable: true });
    expect(sent.filter((e) => e.name === 'item/new-accounts.available')).toEqual([
      { name: 'item/new-accounts.available', id: `new-accounts-for-webhook-${w.id}`, data: { itemId: item.id, userId: item.userId, at: expect.any(String) } },
    ]);
  });

  it('WEBHOOK_UPDATE_ACKNOWLEDGED is processed without touching the item', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'WEBHOOK_UPDATE_ACKNOWLEDGED', new_webhook_url: 'https://x.test/hook', error: null });
    expect((await handle(w.id)).state).toBe('PROCESSED');
    expect(await getItem(h.db, item.id)).toEqual(item);
  });
});

describe('webhooks that are not acted on', () => {
  it.each([
    ['an ERROR', loginRequired],
    ['a LOGIN_REPAIRED', { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' }],
    ['a DEFAULT_UPDATE', { webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE' }],
  ])('never resurrects a REMOVED item with %s', async (_name, body) => {
    const item = await createItem(h.db, { status: 'REMOVED', removedAt: at(5) });
    const w = await storeWebhook(h.db, item, body);
    expect(await handle(w.id)).toMatchObject({ state: 'IGNORED', note: expect.stringContaining('REMOVED') });
    expect(await getItem(h.db, item.id)).toEqual(item);
    expect(sent).toEqual([]);
  });

  it('keeps an unknown code as IGNORED with the reason', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'HOLDINGS', webhook_code: 'DEFAULT_UPDATE' });
    expect(await handle(w.id)).toMatchObject({ state: 'IGNORED', note: 'unhandled webhook HOLDINGS.DEFAULT_UPDATE' });
    expect(await getWebhook(h.db, w.id)).toMatchObject({ state: 'IGNORED', rawBody: w.rawBody });
  });

  it('never acts on a rejected (unverified) webhook', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, loginRequired, { verified: false, state: 'REJECTED' });
    expect(await handle(w.id)).toMatchObject({ state: 'REJECTED', alreadyHandled: true });
    expect((await getItem(h.db, item.id)).status).toBe('ACTIVE');
  });

  it('fails a webhook whose body cannot be read, keeping the reason', async () => {
    const item = await createItem(h.db);
    const w = await storeWebhook(h.db, item, { webhook_type: 'TRANSACTIONS', webhook_code: 'TRANSACTIONS_REMOVED', removed_transactions: 'not-a-list' });
    expect(await handle(w.id)).toMatchObject({ state: 'FAILED', note: expect.stringContaining('unreadable body') });
  });

  it('marking FAILED after retries never overwrites a webhook that was handled', async () => {
    const item = await createItem(h.db);
    const done = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'NEW_ACCOUNTS_AVAILABLE' });
    const stuck = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'NEW_ACCOUNTS_AVAILABLE' });
    await handle(done.id);
    await markWebhookFailed(h.db, done.id, 'boom');
    await markWebhookFailed(h.db, stuck.id, 'boom');
    expect((await getWebhook(h.db, done.id)).state).toBe('PROCESSED');
    expect(await getWebhook(h.db, stuck.id)).toMatchObject({ state: 'FAILED', error: 'boom' });
  });
});
