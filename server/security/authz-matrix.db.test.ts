import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeKinesis } from '../streams/app-kinesis';
import { createHarness, type Harness } from '../../test/support/harness';
import type { SessionUser } from '../trpc/context';
import { appRouter } from '../trpc/routers/_app';

/**
 * Every tRPC procedure × anonymous / another user / the owner / support, each cell asserted.
 * The procedure list comes from the router itself: a new procedure without an entry in `cases`
 * fails this test, so none can be forgotten.
 */
type Who = 'anonymous' | 'other' | 'owner' | 'support';
type Scope = 'item' | 'self' | 'support';
interface World { itemId: string; accountId: string; ownerId: string; floatId: string }
const cases: Record<string, { scope: Scope; input: (w: World) => unknown }> = {
  'me.get': { scope: 'self', input: () => undefined },
  'link.createToken': { scope: 'self', input: () => ({ mode: 'new' }) },
  'link.recordEvent': { scope: 'self', input: () => ({ kind: 'event', eventName: 'OPEN', metadata: { link_session_id: 'ls' } }) },
  'items.link': { scope: 'self', input: () => ({ publicToken: 'public-sandbox-00000000-0000-0000-0000-000000000000', metadata: { institution: null, accounts: [], link_session_id: 'x' } }) },
  'items.checkDuplicate': { scope: 'self', input: () => ({ metadata: { institution: { name: 'First Platypus Bank', institution_id: 'ins_109508' }, accounts: [], link_session_id: 'x' } }) },
  'items.list': { scope: 'self', input: () => ({}) },
  'items.canChange': { scope: 'self', input: () => undefined },
  'items.syncStatus': { scope: 'self', input: () => ({}) },
  'items.byId': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'items.setMainAccount': { scope: 'item', input: (w) => ({ itemId: w.itemId, accountId: w.accountId }) },
  'items.remine': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'items.refresh': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'items.completeUpdate': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'items.resetLogin': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'items.remove': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'accounts.cached': { scope: 'self', input: () => ({}) },
  'accounts.live': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'accounts.balance': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'accounts.balanceHistory': { scope: 'self', input: () => ({ days: 30 }) },
  'transactions.cached': { scope: 'self', input: () => ({ limit: 10 }) },
  'transactions.live': { scope: 'item', input: (w) => ({ itemId: w.itemId, from: '2026-10-01', to: '2026-11-30' }) },
  'transactions.spending': { scope: 'self', input: () => ({ days: 30 }) },
  'transactions.month': { scope: 'self', input: () => undefined },
  'transactions.count': { scope: 'item', input: (w) => ({ itemId: w.itemId }) },
  'institutions.byId': { scope: 'self', input: () => ({ institutionId: 'ins_109508' }) },
  'support.accounts.list': { scope: 'support', input: (w) => ({ userId: w.ownerId }) },
  'support.syncRuns.list': { scope: 'support', input: (w) => ({ itemId: w.itemId, limit: 10 }) },
  'support.jobRuns.list': { scope: 'support', input: (w) => ({ userId: w.ownerId, limit: 10 }) },
  'support.linkSessions.list': { scope: 'support', input: (w) => ({ userId: w.ownerId }) },
  'support.notifications.list': { scope: 'support', input: (w) => ({ userId: w.ownerId }) },
  'support.timeline.forItem': { scope: 'support', input: (w) => ({ itemId: w.itemId }) },
  'support.linkConversion.get': { scope: 'support', input: () => ({ from: '2026-01-01', to: '2026-01-31' }) },
  'support.streams.throughput': { scope: 'support', input: () => undefined },
  'support.institutions.list': { scope: 'support', input: () => undefined },
  'support.users.search': { scope: 'support', input: () => ({ query: 'example.com', limit: 5 }) },
  'support.users.byId': { scope: 'support', input: (w) => ({ userId: w.ownerId }) },
  'support.items.list': { scope: 'support', input: () => ({ limit: 5 }) },
  'support.webhooks.list': { scope: 'support', input: () => ({ limit: 5 }) },
  'support.webhooks.forUser': { scope: 'support', input: (w) => ({ userId: w.ownerId, limit: 5 }) },
  'support.audit.list': { scope: 'support', input: () => ({ limit: 5 }) },
  'support.floats.create': { scope: 'support', input: (w) => ({ userId: w.ownerId, amount: '10.00', reason: 'authz matrix' }) },
  'support.floats.settle': { scope: 'support', input: (w) => ({ floatId: w.floatId, reason: 'authz matrix' }) },
  'support.items.remine': { scope: 'support', input: (w) => ({ itemId: w.itemId, reason: 'authz matrix' }) },
  'support.items.republish': { scope: 'support', input: (w) => ({ itemId: w.itemId, reason: 'authz matrix' }) },
  'support.items.resetLogin': { scope: 'support', input: (w) => ({ itemId: w.itemId, reason: 'authz matrix' }) },
  'support.items.forceRemove': { scope: 'support', input: (w) => ({ itemId: w.itemId, reason: 'authz matrix' }) },
};

/** What each caller must get: a refusal code, or 'allowed' (anything but a refusal). */
const expected: Record<Scope, Record<Who, string>> = {
  self: { anonymous: 'UNAUTHORIZED', other: 'allowed', owner: 'allowed', support: 'allowed' },
  item: { anonymous: 'UNAUTHORIZED', other: 'NOT_FOUND', owner: 'allowed', support: 'NOT_FOUND' },
  support: { anonymous: 'UNAUTHORIZED', other: 'FORBIDDEN', owner: 'FORBIDDEN', support: 'allowed' },
};
const refusals = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND']);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await closeKinesis();
  await h.close();
});

describe('authorisation matrix', () => {
  it('covers every procedure of the router', () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(cases).sort());
  });

  it('gives each caller exactly its due on every procedure', async () => {
    const owner = await h.createUser();
    const callers: Record<Who, SessionUser | null> = { anonymous: null, other: await h.createUser(), owner, support: await h.createUser('support') };
    const { item } = await h.linkBank(owner);
    const float = await h.caller(callers.support).support.floats.create({ userId: owner.id, amount: '25.00', reason: 'authz setup' });
    const world: World = { itemId: item.id, accountId: item.mainAccountId!, ownerId: owner.id, floatId: float.id };
    // Destructive procedures run last, so the others see a live item.
    const destructive = ['items.resetLogin', 'items.remove', 'support.items.resetLogin', 'support.items.forceRemove'];
    const order = Object.keys(cases).sort((a, b) => Number(destructive.includes(a)) - Number(destructive.includes(b)));
    const table: Record<string, Record<Who, string>> = {};
    const wrong: string[] = [];
    for (const path of order) {
      const { scope, input } = cases[path]!;
      table[path] = {} as Record<Who, string>;
      for (const who of ['anonymous', 'other', 'support', 'owner'] as Who[]) {
        const call = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], h.caller(callers[who])) as (i: unknown) => Promise<unknown>;
        const outcome = await call(input(world)).then(
          () => 'ok',
          (e: { code?: string }) => e.code ?? 'ERROR',
        );
        table[path]![who] = outcome;
        const want = expected[scope][who];
        const fine = want === 'allowed' ? !refusals.has(outcome) : outcome === want;
        if (!fine) wrong.push(`${path} as ${who}: got ${outcome}, want ${want}`);
      }
    }
    console.log('\nAuthorisation matrix (ok = served; other codes are business errors, not refusals):');
    console.table(table);
    expect(wrong).toEqual([]);
  });
});
