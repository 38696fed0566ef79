import { setItemError } from '@tributary/plaid-emulator/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsEvents, plaidItems, plaidWebhooks } from '../../db/schema';
import { AppError } from '../../server/errors';
import { findResyncCandidates } from '../../server/items/resync-candidates';
import { ITEM_ERROR_RULES, SYNCING_STATUSES, type ItemErrorCode } from '../../server/items/lifecycle';
import { isRetriable } from '../../server/sync/failures';
import { remineAccounts } from '../../server/sync/remine';
import { createHarness, type Harness } from '../support/harness';
import { startWebhookFlow } from '../support/webhook-flow';

/**
 * The lifecycle table held against the doors lifecycle-matrix.db.test.ts does not cover: Plaid's
 * own webhook (the emulator's ERROR / USER_PERMISSION_REVOKED delivery, through the real receiver
 * and the handle-plaid-webhook function on the embedded runner), live transactions, refresh now,
 * a re-mine (its accounts step, as the remine-item function runs it) and the end of Link update
 * mode (items.completeUpdate). Each code meets the doors in a different order; whichever comes
 * first, the item ends in the table's state with one status event and at most one "Item Errored",
 * each door answers with the table's words, retries as the table says, and the re-sync sweep
 * picks the item only while the table says syncing continues.
 */
let h: Harness;
let flow: Awaited<ReturnType<typeof startWebhookFlow>>;
beforeAll(async () => {
  h = await createHarness();
  flow = await startWebhookFlow(h, 'lifecycle-doors');
});
afterAll(async () => {
  await flow.stop();
  await h.close();
});

const CODES = [
  'ITEM_LOGIN_REQUIRED', 'ITEM_LOCKED', 'USER_SETUP_REQUIRED', 'MFA_NOT_SUPPORTED', 'NO_ACCOUNTS', 'ACCESS_NOT_GRANTED',
  'INSUFFICIENT_CREDENTIALS', 'INSTITUTION_NO_LONGER_SUPPORTED', 'USER_PERMISSION_REVOKED', 'ITEM_NOT_FOUND',
  'INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'PRODUCT_NOT_READY',
] as const satisfies readonly ItemErrorCode[];

type Door = 'webhook' | 'live transactions' | 'refresh now' | 're-mine' | 'update mode';
const DOORS: Door[] = ['webhook', 'live transactions', 'refresh now', 're-mine', 'update mode'];
type User = Awaited<ReturnType<Harness['createUser']>>;

/** The webhook Plaid (the emulator) sends for the state. */
const webhookCode = (code: string) => (code === 'USER_PERMISSION_REVOKED' ? 'USER_PERMISSION_REVOKED' : 'ERROR');

/**
 * Where PRODUCT_NOT_READY is an error at all: /transactions/get. /auth/get answers it too, but a
 * re-mine then stores the accounts without (new) numbers, as link does; the other doors just work.
 */
const meetsError = (door: Door, code: string) => code !== 'PRODUCT_NOT_READY' || door === 'live transactions';

async function through(door: Door, user: User, staff: User, item: { id: string; plaidItemId: string; code: string }): Promise<{ err: unknown; webhookState?: string }> {
  try {
    if (door === 'webhook') {
      const id = await flow.deliver(item.plaidItemId, webhookCode(item.code));
      const [row] = await h.db.select().from(plaidWebhooks).where(eq(plaidWebhooks.id, id));
      return { err: null, webhookState: row!.state };
    }
    if (door === 'live transactions') await h.caller(user).transactions.live({ itemId: item.id, from: '2020-01-01', to: '2030-01-01' });
    else if (door === 'refresh now') await h.caller(user).items.refresh({ itemId: item.id });
    else if (door === 're-mine') {
      const { runId } = await h.caller(staff).support.items.remine({ itemId: item.id, reason: 'lifecycle doors' });
      await remineAccounts(h.db, h.deps, { itemId: item.id, runId });
    } else {
      const done = await h.caller(user).items.completeUpdate({ itemId: item.id });
      return { err: done.repaired ? null : 'not repaired' };
    }
    return { err: null };
  } catch (err) {
    return { err };
  }
}

describe('every item error × webhook, live transactions, refresh now, re-mine, update mode', () => {
  CODES.forEach((code, i) => {
    it(code, async () => {
      const rule = ITEM_ERROR_RULES[code];
      const user = await h.createUser();
      const staff = await h.createUser('support');
      const { item } = await h.linkBank(user);
      const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
      const target = { id: item.id, plaidItemId: row!.plaidItemId, code };
      const sentBefore = h.sent.length;
      const flowBefore = flow.events.length;
      // The emulator puts the item into the state and sends Plaid's webhook (delivered when the webhook door comes).
      await setItemError(h.emu.url, { item_id: row!.plaidItemId }, code, { webhook: true });

      const order = [...DOORS.slice(i % DOORS.length), ...DOORS.slice(0, i % DOORS.length)];
      let first = true;
      for (const door of order) {
        const { err, webhookState } = await through(door, user, staff, target);
        const wasFirst = first;
        first = false;
        // Each door on its own moves the item as the table says (whichever comes first).
        const [now] = await h.db.select({ status: plaidItems.status }).from(plaidItems).where(eq(plaidItems.id, item.id));
        expect(now!.status, `status after ${door}`).toBe(rule.status ?? 'ACTIVE');
        if (door === 'webhook') {
          expect(err).toBeNull();
          // Acted on when the table gives the error a state; a passing problem is stored and ignored.
          if (wasFirst) expect(webhookState, 'webhook').toBe(rule.status ? 'PROCESSED' : 'IGNORED');
          else expect(['PROCESSED', 'IGNORED']).toContain(webhookState);
          continue;
        }
        if (door === 'update mode') {
          // Link could not repair it; ITEM_NOT_FOUND fails /item/get itself.
          if (code === 'ITEM_NOT_FOUND') expect((err as { cause?: AppError }).cause?.displayMessage, door).toBe(rule.message);
          else expect(err, door).toBe('not repaired');
          continue;
        }
        if (!meetsError(door, code)) {
          expect(err, `${door} works`).toBeNull();
          continue;
        }
        expect(err, `${door} fails`).not.toBeNull();
        const app = door === 're-mine' ? err : (err as { cause?: unknown }).cause;
        expect(app, `${door} fails with an AppError`).toBeInstanceOf(AppError);
        // The table's words, whether Plaid answered or the door refused an item already in that state.
        expect((app as AppError).displayMessage, `${door} message`).toBe(rule.message);
        if (wasFirst) expect((app as AppError).code, `${door} app code`).toBe(rule.appCode);
        if (door === 're-mine') expect(isRetriable(app), 're-mine retried').toBe(rule.retry === 'backoff' || rule.retry === 'backoff_hours');
      }

      const view = await h.caller(user).items.byId({ itemId: item.id });
      expect(view.status).toBe(rule.status ?? 'ACTIVE');
      if (rule.status) {
        expect(view).toMatchObject({ errorCode: code, action: rule.action, errorMessage: rule.message });
      } else {
        expect(view.action).toBe('none');
      }

      // One status change, from whichever door met it first (the function's own, or a live call's).
      const changes = [...h.sent.slice(sentBefore), ...flow.events.slice(flowBefore)]
        .filter((e) => e.name === 'item/status.changed' && (e.data as { itemId?: string }).itemId === item.id)
        .map((e) => e.data);
      expect(changes).toEqual(rule.status ? [expect.objectContaining({ from: 'ACTIVE', to: rule.status })] : []);
      const errored = await h.db.select().from(analyticsEvents).where(and(eq(analyticsEvents.userId, user.id), eq(analyticsEvents.event, 'Item Errored')));
      expect(errored.length, 'Item Errored').toBe(rule.event ? 1 : 0);

      // The hourly sweep picks the item again only while syncing continues.
      const later = new Date(Date.now() + 3_600_000);
      const picked = (await findResyncCandidates(h.db, { staleHours: 0, limit: 100_000 }, later)).some((c) => c.itemId === item.id);
      expect(picked, 'sweep').toBe(rule.syncContinues && SYNCING_STATUSES.includes(view.status));
    });
  });
});
