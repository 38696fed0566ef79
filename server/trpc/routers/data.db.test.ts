import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkEvents, plaidItems, plaidTransactions } from '../../../db/schema';
import { createHarness, type Harness } from '../../../test/support/harness';
import { decrypt } from '../../crypto';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** Stored transactions for an item, as a sync would leave them (dates spread, ids sortable). */
async function seedTransactions(itemId: string, accountId: string, n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `tx-${itemId.slice(0, 8)}-${String(i).padStart(4, '0')}`,
    itemId,
    accountId,
    amount: (i % 7 === 0 ? -1 : 1) * (i + 0.25) + '',
    isoCurrencyCode: 'USD',
    date: `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
    name: i % 5 === 0 ? `Coffee 50% off #${i}` : `Grocer #${i}`,
    merchantName: i % 5 === 0 ? 'Bean There' : 'Grocer',
    pending: i % 9 === 0,
    removedAt: i === 3 ? new Date() : null,
  }));
  await h.db.insert(plaidTransactions).values(rows);
  return rows;
}

describe('accounts', () => {
  it('serves cached accounts with masks and never numbers', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const accounts = await h.caller(user).accounts.cached();
    expect(accounts.length).toBeGreaterThanOrEqual(3);
    expect(accounts.find((a) => a.isMain)?.subtype).toBe('checking');
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    const auth = await h.emu.plaid.authGet({ access_token: decrypt(h.deps.keyring, row!.accessTokenEnc) });
    const json = JSON.stringify(accounts);
    for (const n of auth.data.numbers.ach) {
      expect(json).not.toContain(n.account);
      expect(json).not.toContain(n.routing);
    }
    expect(json).not.toMatch(/_enc|accountNumber|routingNumber/);
  });

  it('reads live and real-time balances through Plaid and checks account ids belong to the item', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const live = await h.caller(user).accounts.live({ itemId: item.id });
    const checking = live.find((a) => a.subtype === 'checking')!;
    expect(checking).toMatchObject({ mask: '0000', availableBalance: 100, currentBalance: 110 });
    const rt = await h.caller(user).accounts.balance({ itemId: item.id, accountIds: [checking.id] });
    expect(rt.accounts.map((a) => a.id)).toEqual([checking.id]);
    await expect(h.caller(user).accounts.balance({ itemId: item.id, accountIds: ['someone-elses'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const stranger = await h.createUser();
    await expect(h.caller(stranger).accounts.live({ itemId: item.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.caller(stranger).accounts.cached()).toEqual([]);
  });

  it('turns an injected Plaid 500 and a 429 into typed retry-later errors', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    h.emu.emulator.controls.injectFault({ endpoint: '/accounts/get', times: 1, http_status: 500 });
    await expect(h.caller(user).accounts.live({ itemId: item.id })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', cause: { code: 'PLAID_RETRY_LATER' } });
    h.emu.emulator.controls.injectFault({ endpoint: '/accounts/get', times: 1, http_status: 429 });
    await expect(h.caller(user).accounts.live({ itemId: item.id })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect((await h.caller(user).accounts.live({ itemId: item.id })).length).toBeGreaterThan(0);
  });
});

describe('transactions.cached', () => {
  it('pages newest first with keyset cursors, no row twice, removed ones hidden', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const seeded = await seedTransactions(item.id, item.mainAccountId!, 120);
    const seen: string[] = [];
    let cursor: string | undefined;
    let previous: { date: string; id: string } | null = null;
    do {
      const page = await h.caller(user).transactions.cached({ itemId: item.id, limit: 25, cursor });
      for (const t of page.transactions) {
        if (previous) expect(t.date < previous.date || (t.date === previous.date && t.id < previous.id)).toBe(true);
        previous = { date: t.date, id: t.id };
        seen.push(t.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(seeded.filter((r) => !r.removedAt).map((r) => r.id).sort());
    // The total the pages are numbered by counts the same rows the pages hold.
    expect((await h.caller(user).transactions.count({ itemId: item.id })).total).toBe(seen.length);
    const firstDay = seeded.filter((r) => !r.removedAt).map((r) => r.date).sort()[0]!;
    expect((await h.caller(user).transactions.count({ itemId: item.id, to: firstDay })).total).toBe(seeded.filter((r) => !r.removedAt && r.date <= firstDay).length);
    const withRemoved = await h.caller(user).transactions.cached({ itemId: item.id, limit: 500, includeRemoved: true });
    expect(withRemoved.transactions).toHaveLength(120);
  });

  it('filters by account, date range and a search taken literally', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const seeded = await seedTransactions(item.id, item.mainAccountId!, 60);
    const found = await h.caller(user).transactions.cached({ search: '50%', limit: 500 });
    expect(found.transactions.map((t) => t.id).sort()).toEqual(seeded.filter((r) => r.name.includes('50%') && !r.removedAt).map((r) => r.id).sort());
    const march = await h.caller(user).transactions.cached({ from: '2026-03-01', to: '2026-03-31', limit: 500 });
    expect(march.transactions.every((t) => t.date.startsWith('2026-03'))).toBe(true);
    expect(march.transactions.length).toBeGreaterThan(0);
    expect((await h.caller(user).transactions.cached({ accountId: 'other', limit: 500 })).transactions).toEqual([]);
  });

  it('keeps a removed bank\'s transactions listed and counted, as the remove dialog promises', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const seeded = await seedTransactions(item.id, item.mainAccountId!, 12);
    const kept = seeded.filter((r) => !r.removedAt).map((r) => r.id).sort();
    const before = await h.caller(user).transactions.cached({ limit: 500 });
    await h.caller(user).items.remove({ itemId: item.id });
    expect((await h.caller(user).items.byId({ itemId: item.id })).status).toBe('REMOVED');
    const after = await h.caller(user).transactions.cached({ limit: 500 });
    expect(after.transactions.map((t) => t.id).sort()).toEqual(before.transactions.map((t) => t.id).sort());
    expect(after.transactions.map((t) => t.id).sort()).toEqual(kept);
    expect((await h.caller(user).transactions.count({})).total).toBe(kept.length);
    expect((await h.caller(user).transactions.cached({ itemId: item.id, limit: 500 })).transactions).toHaveLength(kept.length);
    // Still nobody else's.
    expect((await h.caller(await h.createUser()).transactions.cached({ limit: 500 })).transactions).toEqual([]);
  });

  it('rejects a forged cursor, a reversed range and a limit over 500', async () => {
    const user = await h.createUser();
    await expect(h.caller(user).transactions.cached({ cursor: 'garbage', limit: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(h.caller(user).transactions.cached({ from: '2026-05-01', to: '2026-04-01', limit: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(h.caller(user).transactions.cached({ limit: 501 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(h.caller(user).transactions.cached({ from: '2026-13-01', limit: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('transactions.live', () => {
  it('pages /transactions/get by 500 until Plaid\'s total', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const live = await h.caller(user).transactions.live({ itemId: item.id, from: '2024-11-21', to: '2026-11-30' });
    expect(live.total).toBeGreaterThan(500);
    expect(live.transactions).toHaveLength(live.total);
    expect(new Set(live.transactions.map((t) => t.id)).size).toBe(live.total);
  });
});

describe('institutions.byId', () => {
  it('serves the stored institution, a live one with health, and NOT_FOUND for unknown ids', async () => {
    const user = await h.createUser();
    await h.linkBank(user);
    expect(await h.caller(user).institutions.byId({ institutionId: 'ins_109508' })).toMatchObject({ name: 'First Platypus Bank', health: 'HEALTHY' });
    expect(await h.caller(user).institutions.byId({ institutionId: 'ins_132361', live: true })).toMatchObject({ health: 'DOWN' });
    await expect(h.caller(user).institutions.byId({ institutionId: 'ins_nope', live: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(h.caller(user).institutions.byId({ institutionId: 'ins_nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('link.recordEvent', () => {
  it('stores Link events and exits for the funnel, dropping unknown fields', async () => {
    const user = await h.createUser();
    await h.caller(user).link.recordEvent({
      kind: 'event',
      eventName: 'SELECT_INSTITUTION',
      metadata: { link_session_id: 'ls-1', institution_id: 'ins_109508', public_token: 'public-sandbox-leak' } as never,
    });
    await h.caller(user).link.recordEvent({
      kind: 'exit',
      metadata: { link_session_id: 'ls-1', status: 'requires_credentials' },
      error: { error_code: 'ITEM_LOCKED', error_type: 'ITEM_ERROR', display_message: 'Locked' },
    });
    const rows = await h.db.select().from(linkEvents).where(eq(linkEvents.userId, user.id));
    expect(rows.map((r) => [r.kind, r.eventName, r.errorCode, r.exitStatus])).toEqual(
      expect.arrayContaining([
        ['event', 'SELECT_INSTITUTION', null, null],
        ['exit', 'EXIT', 'ITEM_LOCKED', 'requires_credentials'],
      ]),
    );
    expect(JSON.stringify(rows)).not.toContain('public-sandbox-leak');
  });
});
