import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import type { Runner } from '@tributary/inngest-embedded';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsEvents, plaidAccounts, plaidApiCalls, plaidItems, syncRuns, users } from '../../db/schema';
import { createSyncTransactions } from '../../inngest/functions/sync-transactions';
import { AppError } from '../../server/errors';
import { ITEM_ERROR_RULES, type ItemErrorCode } from '../../server/items/lifecycle';
import { createHarness, silentLog, type Harness } from '../support/harness';
import { testJobContext } from '../support/job-context';

/**
 * The link door of the lifecycle table: an item error met while linking — at the public token
 * exchange, at /auth/get, at /accounts/get (a bank without ACH numbers), or in the first
 * /transactions/sync (the real sync-transactions function on the embedded runner, fed the request
 * items.link sent). Per stage and code: what is stored, the status, the person's words and the app
 * code, whether the first sync is requested, item/status.changed and "Item Errored".
 */
let h: Harness;
let runner: Runner;
const client = toyClient('link-door');
beforeAll(async () => {
  h = await createHarness();
  const context = () => testJobContext({ db: h.db, deps: h.deps, log: silentLog });
  runner = await startRunner(h.db, client, [createSyncTransactions(client, context, { debounce: '1s' })]);
});
afterAll(async () => {
  await runner.stop({ graceMs: 0 });
  await h.close();
});

const CODES = [
  'ITEM_LOGIN_REQUIRED', 'ITEM_LOCKED', 'USER_SETUP_REQUIRED', 'MFA_NOT_SUPPORTED', 'NO_ACCOUNTS', 'ACCESS_NOT_GRANTED',
  'INSUFFICIENT_CREDENTIALS', 'INSTITUTION_NO_LONGER_SUPPORTED', 'USER_PERMISSION_REVOKED', 'ITEM_NOT_FOUND',
  'INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'NO_AUTH_ACCOUNTS', 'PRODUCT_NOT_READY',
] as const satisfies readonly ItemErrorCode[];
type Stage = 'exchange' | '/auth/get' | '/accounts/get' | 'first sync';
const STAGES: Stage[] = ['exchange', '/auth/get', '/accounts/get', 'first sync'];

/** Where Plaid answers the code at all: NO_AUTH_ACCOUNTS is /auth/get's, PRODUCT_NOT_READY /auth/get's among these. */
const answers = (stage: Stage, code: string) =>
  code === 'NO_AUTH_ACCOUNTS' || code === 'PRODUCT_NOT_READY' ? stage === '/auth/get' : true;

const inject = (endpoint: string, code: string) => h.emu.emulator.controls.injectFault({ endpoint, error_code: code, times: 1 });
const endpointOf: Record<Exclude<Stage, 'first sync'>, string> = {
  exchange: '/item/public_token/exchange',
  '/auth/get': '/auth/get',
  '/accounts/get': '/accounts/get',
};

async function syncRunsDone(itemId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const runs = await runner.listRuns({ functionId: 'link-door-sync-transactions', itemId });
    if (runs.length > 0 && runs.every((r) => r.status === 'COMPLETED' || r.status === 'FAILED')) return runs;
    if (Date.now() > deadline) throw new Error(`first sync did not finish: ${JSON.stringify(runs.map((r) => r.status))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a link stopped by an item error is finished by update mode', () => {
  it('ITEM_LOCKED at /auth/get: ERROR without accounts; after the person unlocks and reconnects, accounts, main account, sync and an active person', async () => {
    const user = await h.createUser();
    inject('/auth/get', 'ITEM_LOCKED');
    const err = await h.linkBank(user).then(() => null, (e: unknown) => e);
    expect((err as { cause: AppError }).cause.displayMessage).toBe(ITEM_ERROR_RULES.ITEM_LOCKED.message);
    const [item] = await h.db.select().from(plaidItems).where(eq(plaidItems.userId, user.id));
    expect(item).toMatchObject({ status: 'ERROR', errorCode: 'ITEM_LOCKED', mainAccountId: null });
    expect(await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, item!.id))).toEqual([]);

    // Unlocked at the bank (the one-off fault is spent), then Link's update mode.
    const sentBefore = h.sent.length;
    const done = await h.caller(user).items.completeUpdate({ itemId: item!.id });
    expect(done).toMatchObject({ repaired: true, item: { status: 'ACTIVE', action: 'none' } });
    const accounts = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, item!.id));
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts.some((a) => a.accountNumberEnc !== null)).toBe(true);
    expect(done.item.mainAccountId).toBe(accounts.find((a) => a.subtype === 'checking')!.id);
    expect(h.sent.slice(sentBefore).filter((e) => e.name === 'item/sync.requested').map((e) => e.data)).toEqual([{ itemId: item!.id, trigger: 'update-mode' }]);
    const [person] = await h.db.select({ status: users.status }).from(users).where(eq(users.id, user.id));
    expect(person!.status).toBe('ACTIVE');
  });
});

describe('every item error met while linking follows the lifecycle table', () => {
  for (const stage of STAGES) {
    for (const code of CODES.filter((c) => answers(stage, c))) {
      it(`${code} at ${stage}`, async () => {
        const rule = ITEM_ERROR_RULES[code];
        const user = await h.createUser();
        const sentBefore = h.sent.length;
        if (stage === '/accounts/get') inject('/auth/get', 'NO_AUTH_ACCOUNTS'); // a bank without ACH numbers: accounts come from /accounts/get
        if (stage !== 'first sync') inject(endpointOf[stage], code);
        const err = await h.linkBank(user).then(() => null, (e: unknown) => e);
        const items = await h.db.select().from(plaidItems).where(eq(plaidItems.userId, user.id));
        const syncRequests = () => h.sent.slice(sentBefore).filter((e) => e.name === 'item/sync.requested');
        const statusEvents = () => h.sent.slice(sentBefore).filter((e) => e.name === 'item/status.changed');
        const errored = async () =>
          (await h.db.select().from(analyticsEvents).where(and(eq(analyticsEvents.userId, user.id), eq(analyticsEvents.event, 'Item Errored')))).length;

        if (code === 'NO_AUTH_ACCOUNTS') {
          // Not an error: the bank has no ACH numbers; the accounts are stored without them and the link succeeds.
          expect(err).toBeNull();
          expect(items.map((i) => i.status)).toEqual(['ACTIVE']);
          const accounts = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, items[0]!.id));
          expect(accounts.length).toBeGreaterThan(0);
          expect(accounts.every((a) => a.accountNumberEnc === null)).toBe(true);
          expect(syncRequests()).toHaveLength(1);
          expect(statusEvents()).toEqual([]);
          expect(await errored()).toBe(0);
          return;
        }
        if (code === 'PRODUCT_NOT_READY') {
          // Auth not ready yet (numbers still being verified): linked without numbers, which come later.
          expect(err).toBeNull();
          expect(items.map((i) => i.status)).toEqual(['ACTIVE']);
          expect(items[0]!.mainAccountId).not.toBeNull();
          expect(syncRequests()).toHaveLength(1);
          return;
        }

        if (stage === 'first sync') {
          // Linked; the error comes with the first /transactions/sync, run by the real sync function.
          expect(err).toBeNull();
          expect(items).toHaveLength(1);
          const request = syncRequests().find((e) => (e.data as { itemId: string }).itemId === items[0]!.id)!;
          expect(request.data).toMatchObject({ trigger: 'link' });
          inject('/transactions/sync', code);
          await runner.send({ name: request.name, data: request.data });
          const [run] = await syncRunsDone(items[0]!.id);
          const [recorded] = await h.db.select().from(syncRuns).where(eq(syncRuns.itemId, items[0]!.id));
          const calls = await h.db.select().from(plaidApiCalls).where(and(eq(plaidApiCalls.itemId, items[0]!.id), eq(plaidApiCalls.endpoint, '/transactions/sync'))).orderBy(plaidApiCalls.createdAt);
          expect(calls[0]).toMatchObject({ errorCode: code });
          if (rule.retry === 'backoff' || rule.retry === 'backoff_hours') {
            // Retried: Plaid is asked again, answers, and the first sync completes.
            expect(run).toMatchObject({ status: 'COMPLETED' });
            expect(recorded).toMatchObject({ trigger: 'link', status: 'SUCCEEDED' });
            expect(calls.length).toBeGreaterThan(1);
            expect(calls.at(-1)!.errorCode).toBeNull();
          } else {
            // Waits for the person (or is final): the run ends at once, Plaid is not asked again.
            expect(run).toMatchObject({ status: 'FAILED', attempt: 0 });
            expect(recorded).toMatchObject({ trigger: 'link', status: rule.appCode === 'ITEM_LOGIN_REQUIRED' ? 'LOGIN_REQUIRED' : 'FAILED', errorCode: code });
            expect(calls).toHaveLength(1);
          }
        } else if (stage === 'exchange') {
          // Nothing was stored: there is no item to put in a state.
          expect(items).toEqual([]);
          expect((err as { cause?: unknown }).cause).toBeInstanceOf(AppError);
        } else {
          // Stored before anything else could fail (the access token is never lost), then moved as the table says.
          expect(items).toHaveLength(1);
          expect((err as { cause?: unknown }).cause).toBeInstanceOf(AppError);
        }

        if (err) {
          const app = (err as { cause: AppError }).cause;
          expect(app.code, 'app code').toBe(rule.appCode);
          expect(app.displayMessage, 'the person reads the table’s words').toBe(rule.message);
        }
        if (stage === 'exchange') {
          expect(syncRequests()).toEqual([]);
          expect(statusEvents()).toEqual([]);
          expect(await errored()).toBe(0);
          return;
        }
        const item = items[0]!;
        const view = await h.caller(user).items.byId({ itemId: item.id });
        expect(view.status, 'status').toBe(rule.status ?? 'ACTIVE');
        if (rule.status) expect(view).toMatchObject({ errorCode: code, action: rule.action, errorMessage: rule.message });
        else expect(view.action).toBe('none');
        expect(statusEvents().map((e) => e.data)).toEqual(rule.status ? [expect.objectContaining({ itemId: item.id, from: 'ACTIVE', to: rule.status, reason: code })] : []);
        expect(await errored(), 'Item Errored').toBe(rule.event ? 1 : 0);
        if (stage === 'first sync') return;
        // A passing problem: we keep trying (the first sync is requested, the person counts as linked);
        // an item that needs the person waits for update mode instead.
        const [person] = await h.db.select({ status: users.status }).from(users).where(eq(users.id, user.id));
        expect(syncRequests().length, 'first sync requested').toBe(rule.status ? 0 : 1);
        expect(person!.status).toBe(rule.status ? 'PENDING' : 'ACTIVE');
      });
    }
  }
});
