import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, plaidAccounts, plaidItems, users } from '../../db/schema';
import { createItemHygiene } from '../../inngest/functions/item-hygiene';
import { ITEM_ERROR_RULES } from '../../server/items/lifecycle';
import { createHarness, silentLog, type Harness } from '../support/harness';
import { testJobContext } from '../support/job-context';
import { LIFECYCLE_STATE_CODES, linkInState, statusOf, type LifecycleState } from '../support/lifecycle-states';
import { startWebhookFlow } from '../support/webhook-flow';

/**
 * The hygiene door of the lifecycle table, run for real: the item-hygiene function fires on its
 * cron on the embedded runner (policy: users inactive 60 days, items in ERROR 30 days, revoked
 * items) over items put into every state through real doors — each left in its state for 31 days
 * (and one ERROR item only just broken, one healthy item of a user gone for 61 days). Per item:
 * removed or left, the status it ends in, /item/remove at Plaid, the audit row, the status event,
 * the account numbers of a revoked item, and what the person then reads.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

type Subject = { state: LifecycleState | 'ERROR just now' | 'healthy, user inactive'; userId: string; itemId: string; plaidItemId: string; reason: string | null };
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

/** Why hygiene removes an item in this state (null: it stays), by the table's status. */
function expectedReason(state: Subject['state']): string | null {
  if (state === 'healthy, user inactive') return 'user_inactive';
  if (state === 'ERROR just now' || state === 'healthy' || state === 'removed') return null;
  const status = statusOf(state);
  if (status === 'REVOKED') return 'permission_revoked';
  if (status === 'ERROR') return 'error_unresolved';
  return null; // ACTIVE (a passing problem) and PENDING_DISCONNECT keep working
}

describe('the hygiene function, run, follows the lifecycle table', () => {
  it('removes revoked items, items left in ERROR past the policy and items of inactive users; leaves the rest', async () => {
    const subjects: Subject[] = [];
    const flow = await startWebhookFlow(h, 'hygiene-hooks');
    try {
      for (const state of ['healthy', 'removed', ...LIFECYCLE_STATE_CODES, 'ERROR just now', 'healthy, user inactive'] as Subject['state'][]) {
        const as: LifecycleState = state === 'ERROR just now' ? 'ITEM_LOGIN_REQUIRED' : state === 'healthy, user inactive' ? 'healthy' : state;
        const { user, item } = await linkInState(h, flow, as);
        // 31 days in that state (errored_at is when the table's state began); the inactive user last came 61 days ago.
        if (item.erroredAt && state !== 'ERROR just now') await h.db.update(plaidItems).set({ erroredAt: daysAgo(31) }).where(eq(plaidItems.id, item.id));
        if (state === 'healthy, user inactive') await h.db.update(users).set({ createdAt: daysAgo(61), lastSeenAt: daysAgo(61) }).where(eq(users.id, user.id));
        subjects.push({ state, userId: user.id, itemId: item.id, plaidItemId: item.plaidItemId, reason: expectedReason(state) });
      }
    } finally {
      await flow.stop();
    }
    const sentBefore = h.sent.length;

    const client = toyClient('lifecycle-hygiene');
    const context = () => testJobContext({ db: h.db, deps: h.deps, log: silentLog });
    const hygiene = createItemHygiene(client, '* * * * *', context);
    // Shift the runner's clock so its next minute boundary (the cron) is 300 ms away.
    const realNow = Date.now();
    const offset = Math.ceil(realNow / 60_000) * 60_000 - 300 - realNow;
    const runner = await startRunner(h.db, client, [hygiene], { clock: () => Date.now() + offset });
    try {
      const [queued] = await runner.listRuns({ functionId: 'lifecycle-hygiene-item-hygiene' });
      const run = await runner.waitForRun(queued!.id, { timeoutMs: 60_000 });
      expect(run).toMatchObject({ status: 'COMPLETED', output: { removed: subjects.filter((s) => s.reason).length } });
    } finally {
      await runner.stop({ graceMs: 0 });
    }

    const atPlaid = h.emu.emulator.controls.items();
    const statusEvents = h.sent.slice(sentBefore).filter((e) => e.name === 'item/status.changed').map((e) => e.data as { itemId: string; from: string; to: string; reason: string });
    for (const s of subjects) {
      const [item] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, s.itemId));
      const audits = await h.db.select().from(auditLog).where(and(eq(auditLog.itemId, s.itemId), eq(auditLog.action, 'item.hygiene_remove')));
      const events = statusEvents.filter((e) => e.itemId === s.itemId);
      const view = await h.caller({ id: s.userId, email: 'x@example.com', role: 'user', status: 'ACTIVE' }).items.byId({ itemId: s.itemId });
      const removedAtPlaid = atPlaid.find((i) => i.item_id === s.plaidItemId)!.removed;
      if (!s.reason) {
        // Left as it was: no removal here, none at Plaid (the person's own removal was earlier), no audit, no event.
        const before = s.state === 'ERROR just now' ? 'ERROR' : s.state === 'healthy, user inactive' ? 'ACTIVE' : statusOf(s.state);
        expect(item!.status, `${s.state}: status kept`).toBe(before);
        expect(item!.removedAt === null, `${s.state}: not removed`).toBe(s.state !== 'removed');
        expect(removedAtPlaid, `${s.state}: at Plaid`).toBe(s.state === 'removed');
        expect(audits, `${s.state}: no audit`).toEqual([]);
        expect(events, `${s.state}: no event`).toEqual([]);
        continue;
      }
      expect(item!.removedAt, `${s.state}: removed`).not.toBeNull();
      // ITEM_NOT_FOUND is already gone at Plaid (its answer counts as done); the others are removed there now.
      expect(removedAtPlaid || s.state === 'ITEM_NOT_FOUND', `${s.state}: removed at Plaid`).toBe(true);
      expect(audits.map((a) => a.reason), `${s.state}: audited`).toEqual([s.reason]);
      if (s.reason === 'permission_revoked') {
        // Keeps REVOKED (the reason people see, and the link again it asks for); no status change, numbers deleted.
        expect(item!.status).toBe('REVOKED');
        expect(events).toEqual([]);
        const accounts = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, s.itemId));
        expect(accounts.length).toBeGreaterThan(0);
        expect(accounts.every((a) => a.accountNumberEnc === null && a.routingNumberEnc === null)).toBe(true);
        expect(view).toMatchObject({ action: 'link_again', errorMessage: ITEM_ERROR_RULES[s.state as 'USER_PERMISSION_REVOKED'].message });
      } else {
        const from = s.state === 'healthy, user inactive' ? 'ACTIVE' : 'ERROR';
        expect(item!.status).toBe('REMOVED');
        expect(events).toEqual([expect.objectContaining({ from, to: 'REMOVED', reason: s.reason })]);
        expect(view).toMatchObject({ action: 'none', errorMessage: 'This bank is no longer connected. Its history is kept; link it again to get new data.' });
      }
    }
    // Exactly what the table gives hygiene: every revoked item, every ERROR item past the policy, and the inactive user's.
    expect(subjects.filter((s) => s.reason).map((s) => s.state).sort()).toEqual(
      [
        'ITEM_LOGIN_REQUIRED', 'ITEM_LOCKED', 'USER_SETUP_REQUIRED', 'MFA_NOT_SUPPORTED', 'NO_ACCOUNTS', 'ACCESS_NOT_GRANTED',
        'INSUFFICIENT_CREDENTIALS', 'INSTITUTION_NO_LONGER_SUPPORTED', 'USER_PERMISSION_REVOKED', 'ITEM_NOT_FOUND', 'healthy, user inactive',
      ].sort(),
    );
  }, 180_000);
});
