import { setItemError } from '@tributary/plaid-emulator/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsEvents, plaidItems } from '../../db/schema';
import { AppError } from '../../server/errors';
import { ITEM_ERROR_RULES, type ItemErrorCode } from '../../server/items/lifecycle';
import { isRetriable } from '../../server/sync/failures';
import { syncItemTransactions } from '../../server/sync/sync-item';
import { createHarness, type Harness } from '../support/harness';

/**
 * The lifecycle table (server/items/lifecycle.ts) held against the doors a live item meets an
 * error through: the sync, live accounts and the real-time balance — each error code put on a
 * real item by the emulator, the call made over HTTP with the plaid SDK. Status, action, the
 * person's words, retry, the status event and "Item Errored" (once, whichever door came first).
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const CODES = [
  'ITEM_LOGIN_REQUIRED', 'ITEM_LOCKED', 'USER_SETUP_REQUIRED', 'MFA_NOT_SUPPORTED', 'NO_ACCOUNTS', 'ACCESS_NOT_GRANTED',
  'INSUFFICIENT_CREDENTIALS', 'INSTITUTION_NO_LONGER_SUPPORTED', 'USER_PERMISSION_REVOKED', 'ITEM_NOT_FOUND',
  'INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'PRODUCT_NOT_READY',
] as const satisfies readonly ItemErrorCode[];

type Door = 'sync' | 'live accounts' | 'live balance';
const DOORS: Door[] = ['sync', 'live accounts', 'live balance'];

async function through(door: Door, user: Awaited<ReturnType<Harness['createUser']>>, itemId: string): Promise<unknown> {
  try {
    if (door === 'sync') {
      const run = await syncItemTransactions(h.db, h.deps, { itemId, trigger: 'test' });
      return run.status === 'SKIPPED' ? run : null;
    }
    else if (door === 'live accounts') await h.caller(user).accounts.live({ itemId });
    else await h.caller(user).accounts.balance({ itemId });
    return null;
  } catch (err) {
    return err;
  }
}

describe('every item error × every door follows the lifecycle table', () => {
  CODES.forEach((code, i) => {
    it(`${code}`, async () => {
      const rule = ITEM_ERROR_RULES[code];
      const user = await h.createUser();
      const { item } = await h.linkBank(user);
      const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
      await setItemError(h.emu.url, { item_id: row!.plaidItemId }, code, { webhook: false });
      const sentBefore = h.sent.length;

      // Each code meets a different door first; the others then meet the same error again.
      const order = [...DOORS.slice(i % 3), ...DOORS.slice(0, i % 3)];
      let first = true;
      for (const door of order) {
        const err = await through(door, user, item.id);
        const wasFirst = first;
        first = false;
        // PRODUCT_NOT_READY is an answer of /transactions/get alone: /transactions/sync returns
        // empty pages until ready, and accounts and balances work. Nothing changes for the item.
        if (code === 'PRODUCT_NOT_READY') {
          expect(err, `${door} works while transactions are not ready`).toBeNull();
          continue;
        }
        // Once revoked, the item is never synced again: the sync skips it without calling Plaid.
        if (rule.status === 'REVOKED' && door === 'sync' && !wasFirst) {
          expect(err).toMatchObject({ status: 'SKIPPED', reason: 'item is REVOKED' });
          continue;
        }
        expect(err, `${door} fails`).not.toBeNull();
        // The sync throws the AppError itself; a procedure wraps it (tRPC error, cause = AppError).
        const app = door === 'sync' ? err : (err as { cause?: unknown }).cause;
        expect(app, `${door} fails with an AppError`).toBeInstanceOf(AppError);
        expect((app as AppError).code, `${door} app code`).toBe(rule.appCode);
        // The lifecycle's words reach the person, never Plaid's code or developer text.
        expect((app as AppError).displayMessage, `${door} message`).toBe(rule.message);
        if (door === 'sync') expect(isRetriable(err), 'sync retried').toBe(rule.retry === 'backoff' || rule.retry === 'backoff_hours');
      }

      const view = await h.caller(user).items.byId({ itemId: item.id });
      expect(view.status).toBe(rule.status ?? 'ACTIVE');
      if (rule.status) {
        expect(view.errorCode).toBe(code);
        expect(view.action).toBe(rule.action);
        expect(view.errorMessage).toBe(rule.message);
      } else {
        expect(view.action).toBe('none');
      }

      const statusEvents = h.sent.slice(sentBefore).filter((e) => e.name === 'item/status.changed');
      expect(statusEvents.map((e) => e.data)).toEqual(
        rule.status ? [expect.objectContaining({ itemId: item.id, from: 'ACTIVE', to: rule.status, reason: code })] : [],
      );
      const errored = await h.db
        .select()
        .from(analyticsEvents)
        .where(and(eq(analyticsEvents.userId, user.id), eq(analyticsEvents.event, 'Item Errored')));
      expect(errored.length).toBe(rule.event ? 1 : 0);
    });
  });
});
