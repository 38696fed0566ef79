import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkEvents } from '../../db/schema';
import { createHarness, type Harness } from '../../test/support/harness';
import { linkConversion } from './link-conversion';
import { supportLinkSessions } from './support-user';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const at = (iso: string) => new Date(iso);

/** Stores one Link session's records as the browser would have reported them, at the given times. */
async function session(userId: string, id: string, start: string, steps: Array<Partial<typeof linkEvents.$inferInsert> & { min: number }>) {
  await h.db.insert(linkEvents).values(steps.map(({ min, ...s }) => ({
    userId, linkSessionId: id, kind: 'event' as const, metadata: {}, ...s, createdAt: new Date(at(start).getTime() + min * 60_000),
  })));
}

const open = { min: 0, eventName: 'OPEN' };
const choose = (institutionId: string, min = 1) => ({ min, eventName: 'SELECT_INSTITUTION', institutionId, metadata: { institution_name: 'First Platypus Bank' } });
const credentialPane = (min = 1) => ({ min, eventName: 'TRANSITION_VIEW', metadata: { view_name: 'CREDENTIAL' } });

describe('Link conversion', () => {
  it('counts each stage of the sessions started in the period, and the exits by reason, error and bank', async () => {
    const user = await h.createUser();
    const day = '2026-03-10T10:00:00Z';
    await session(user.id, 'ok-1', day, [open, choose('ins_109508'), credentialPane(), { min: 2, kind: 'success', eventName: 'SUCCESS', institutionId: 'ins_109508' }]);
    // A returning user's Link may skip panes: success still counts at every earlier stage.
    await session(user.id, 'ok-2', day, [open, { min: 1, kind: 'success', eventName: 'SUCCESS' }]);
    await session(user.id, 'bad-password', day, [open, choose('ins_109508'), credentialPane(),
      { min: 2, eventName: 'ERROR', errorCode: 'INVALID_CREDENTIALS' },
      { min: 3, kind: 'exit', eventName: 'EXIT', exitStatus: 'requires_credentials', errorCode: 'INVALID_CREDENTIALS', institutionId: 'ins_109508' }]);
    await session(user.id, 'gave-up-on-list', day, [open, { min: 1, kind: 'exit', eventName: 'EXIT', exitStatus: 'institution_not_found' }]);
    await session(user.id, 'walked-away', day, [open, choose('ins_109509')]);
    // Outside the period: ignored.
    await session(user.id, 'last-month', '2026-02-10T10:00:00Z', [open, { min: 1, kind: 'success', eventName: 'SUCCESS' }]);

    const from = at('2026-03-10T00:00:00Z'), to = at('2026-03-11T00:00:00Z');
    const c = await linkConversion(h.db, { from, to, now: at('2026-03-12T00:00:00Z') });
    expect(c.stages.map((s) => [s.key, s.count])).toEqual([['opened', 5], ['selected', 4], ['credentials', 3], ['succeeded', 2]]);
    expect(c.inProgress).toBe(0);
    expect(c.exits.total).toBe(3);
    expect(c.exits.byReason).toEqual([
      { key: 'abandoned', label: 'Abandoned (nothing heard for 30 minutes)', count: 1 },
      { key: 'institution_not_found', label: 'Institution not found', count: 1 },
      { key: 'requires_credentials', label: 'Requires credentials', count: 1 },
    ]);
    expect(c.exits.byErrorCode).toEqual([{ key: 'none', label: 'No error', count: 2 }, { key: 'INVALID_CREDENTIALS', label: 'Invalid credentials', count: 1 }]);
    expect(c.exits.byInstitution.map((b) => [b.key, b.count])).toEqual([['ins_109508', 1], ['ins_109509', 1], ['none', 1]]);

    // Ten minutes after the last event a session is still under way, not an exit.
    const soon = await linkConversion(h.db, { from, to, now: at('2026-03-10T10:11:00Z') });
    expect(soon.inProgress).toBe(1);
    expect(soon.exits.total).toBe(2);

    // Through the API, for support only, over whole days.
    const support = await h.createUser('support');
    const api = await h.caller(support).support.linkConversion.get({ from: '2026-03-10', to: '2026-03-10' });
    expect(api.stages[0]!.count).toBeGreaterThanOrEqual(5);
    await expect(h.caller(support).support.linkConversion.get({ from: '2026-03-11', to: '2026-03-10' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(h.caller(user).support.linkConversion.get({ from: '2026-03-10', to: '2026-03-10' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reports a session with no success or exit 30 minutes on as abandoned, not in progress forever', async () => {
    const user = await h.createUser();
    await session(user.id, 'old', '2026-03-10T10:00:00Z', [open, choose('ins_109508')]);
    await session(user.id, 'fresh', '2026-03-10T11:00:00Z', [open]);
    const sessions = await supportLinkSessions(h.db, { userId: user.id, limit: 10, now: at('2026-03-10T11:10:00Z') });
    expect(sessions.map((s) => [s.linkSessionId, s.outcome])).toEqual([['fresh', null], ['old', 'abandoned']]);
    const later = await supportLinkSessions(h.db, { userId: user.id, limit: 10, now: at('2026-03-10T11:30:00Z') });
    expect(later.map((s) => s.outcome)).toEqual(['abandoned', 'abandoned']);
  });
});
