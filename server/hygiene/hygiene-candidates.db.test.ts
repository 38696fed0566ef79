import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, notifications, plaidAccounts, plaidItems, sessions, users } from '../../db/schema';
import { createHarness, type Harness } from '../../test/support/harness';
import { decrypt } from '../crypto';
import { applyHygiene, findHygieneCandidates } from './hygiene-candidates';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const policy = { inactiveDays: 60, errorDays: 30, unansweredNotifications: 10 };
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

async function session(userId: string, at: Date) {
  await h.db.insert(sessions).values({ id: crypto.randomUUID(), token: crypto.randomUUID(), userId, expiresAt: new Date(Date.now() + 1e9), createdAt: at, updatedAt: at });
}

describe('item hygiene', () => {
  it('removes items of inactive users, long-errored and revoked items — nothing else — and audits each', async () => {
    const active = await h.createUser();
    const idle = await h.createUser();
    const broken = await h.createUser();
    const revoked = await h.createUser();
    const signedOut = await h.createUser();
    const fresh = await h.linkBank(active);
    const kept = await h.linkBank(signedOut);
    const stale = await h.linkBank(idle);
    const errored = await h.linkBank(broken);
    const gone = await h.linkBank(revoked);
    await h.db.update(users).set({ createdAt: daysAgo(200) });
    // Signed in yesterday and signed out: better-auth deleted the session row, last_seen_at remains.
    await h.db.update(users).set({ lastSeenAt: daysAgo(1) }).where(eq(users.id, signedOut.id));
    await session(active.id, daysAgo(1));
    await session(idle.id, daysAgo(61));
    await session(broken.id, daysAgo(2));
    await session(revoked.id, daysAgo(2));
    await h.db.update(plaidItems).set({ status: 'ERROR', erroredAt: daysAgo(31) }).where(eq(plaidItems.id, errored.item.id));
    await h.db.update(plaidItems).set({ status: 'REVOKED' }).where(eq(plaidItems.id, gone.item.id));

    const candidates = await findHygieneCandidates(h.db, policy);
    const mine = candidates.filter((c) => [fresh, stale, errored, gone, kept].some((x) => x.item.id === c.itemId));
    expect(mine.map((c) => [c.itemId, c.reason]).sort()).toEqual(
      [[stale.item.id, 'user_inactive'], [errored.item.id, 'error_unresolved'], [gone.item.id, 'permission_revoked']].sort(),
    );

    const [goneRow] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, gone.item.id));
    const token = decrypt(h.deps.keyring, goneRow!.accessTokenEnc);
    for (const c of mine) await applyHygiene(h.db, h.deps, c);

    const statuses = await h.db.select({ id: plaidItems.id, status: plaidItems.status, removedAt: plaidItems.removedAt }).from(plaidItems);
    const by = (id: string) => statuses.find((s) => s.id === id)!;
    expect(by(fresh.item.id)).toMatchObject({ status: 'ACTIVE', removedAt: null });
    expect(by(stale.item.id).status).toBe('REMOVED');
    expect(by(errored.item.id).status).toBe('REMOVED');
    expect(by(gone.item.id)).toMatchObject({ status: 'REVOKED', removedAt: expect.any(Date) });
    // Revoked: removed at Plaid and its account numbers deleted.
    await expect(h.emu.plaid.itemGet({ access_token: token })).rejects.toMatchObject({ response: { status: 400 } });
    const numbers = await h.db.select({ n: plaidAccounts.accountNumberEnc }).from(plaidAccounts).where(eq(plaidAccounts.itemId, gone.item.id));
    expect(numbers.every((r) => r.n === null)).toBe(true);
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.action, 'item.hygiene_remove'));
    expect(audits.filter((a) => mine.some((c) => c.itemId === a.itemId))).toHaveLength(3);
    expect(audits.every((a) => a.actorKind === 'system')).toBe(true);

    // Done is done: a second pass finds none of them again.
    const again = await findHygieneCandidates(h.db, policy);
    expect(again.filter((c) => mine.some((m) => m.itemId === c.itemId))).toEqual([]);
  });
});

describe('item hygiene: unanswered notifications', () => {
  async function mailed(userId: string, itemId: string, n: number, o: { openedLast?: boolean } = {}) {
    for (let i = 0; i < n; i++) {
      const at = new Date(Date.now() - (n - i) * 86_400_000);
      await h.db.insert(notifications).values({
        idempotencyKey: `${itemId}:p:${i}`,
        userId,
        itemId,
        kind: 'login_required',
        problemKey: 'p',
        round: i,
        messageKey: `${itemId}:p:${i}`,
        status: 'sent',
        sentAt: at,
        createdAt: at,
        openedAt: o.openedLast && i === n - 1 ? at : null,
      });
    }
  }

  it('removes the broken items of a person who answered none of their last N notifications, and no one else', async () => {
    const quiet = await h.createUser();
    const answered = await h.createUser();
    const few = await h.createUser();
    const [q, a, f] = [await h.linkBank(quiet), await h.linkBank(answered), await h.linkBank(few)];
    const working = await h.linkBank(quiet, { institutionId: 'ins_109509' });
    for (const x of [quiet, answered, few]) await session(x.id, daysAgo(1));
    await h.db.update(plaidItems).set({ status: 'ERROR', errorCode: 'ITEM_LOGIN_REQUIRED', erroredAt: daysAgo(5) });
    await h.db.update(plaidItems).set({ status: 'ACTIVE', errorCode: null }).where(eq(plaidItems.id, working.item.id));
    await mailed(quiet.id, q.item.id, 3);
    await mailed(answered.id, a.item.id, 3, { openedLast: true });
    await mailed(few.id, f.item.id, 2);

    const candidates = await findHygieneCandidates(h.db, { ...policy, unansweredNotifications: 3 });
    const mine = candidates.filter((c) => [q, a, f, working].some((x) => x.item.id === c.itemId));
    expect(mine).toEqual([{ itemId: q.item.id, userId: quiet.id, reason: 'notifications_unanswered' }]);
    await applyHygiene(h.db, h.deps, mine[0]!);
    const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.itemId, q.item.id));
    expect(audit).toMatchObject({ action: 'item.hygiene_remove', actorKind: 'system', reason: 'notifications_unanswered' });
    // With Plaid's default of 10, three unanswered emails are not enough.
    expect((await findHygieneCandidates(h.db, policy)).filter((c) => c.reason === 'notifications_unanswered' && c.userId === quiet.id)).toEqual([]);
  });
});
