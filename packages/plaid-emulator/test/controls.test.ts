import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CountryCode, Products } from 'plaid';
import { linkItem, plaidFailure, startTestEmulator } from '../src/testing';

let emu: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
afterEach(async () => { await emu?.close(); emu = undefined; });

const control = (path: string, body?: unknown) =>
  fetch(`${emu!.url}/emulator${path}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

describe('fault injection', () => {
  it('fails the next N calls with a Plaid error code, then recovers', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid);
    expect((await control('/faults', { endpoint: '/accounts/get', times: 2, error_code: 'INSTITUTION_NOT_RESPONDING' })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect(await plaidFailure(emu.plaid.accountsGet({ access_token }))).toMatchObject({ status: 400, type: 'INSTITUTION_ERROR', code: 'INSTITUTION_NOT_RESPONDING' });
    expect((await emu.plaid.accountsGet({ access_token })).status).toBe(200);
  });

  it('answers 429 with the endpoint rate-limit code and 500 INTERNAL_SERVER_ERROR', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid);
    emu.emulator.controls.injectFault({ endpoint: '/transactions/sync', http_status: 429 });
    emu.emulator.controls.injectFault({ endpoint: '/item/get', http_status: 500 });
    expect(await plaidFailure(emu.plaid.transactionsSync({ access_token }))).toMatchObject({ status: 429, type: 'RATE_LIMIT_EXCEEDED', code: 'TRANSACTIONS_SYNC_LIMIT' });
    expect(await plaidFailure(emu.plaid.itemGet({ access_token }))).toMatchObject({ status: 500, type: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR' });
  });

  it('adds latency to a call', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid);
    emu.emulator.controls.injectFault({ endpoint: '/accounts/get', latency_ms: 300 });
    const t = Date.now();
    await emu.plaid.accountsGet({ access_token });
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
  });

  it('rejects a malformed fault with INVALID_FIELD', async () => {
    emu = await startTestEmulator();
    expect(await control('/faults', { endpoint: 'accounts', times: 0 })).toMatchObject({ status: 400, body: { error_code: 'INVALID_FIELD' } });
  });
});

describe('rate limits', () => {
  it('limits /transactions/refresh to 2 per item per minute with TRANSACTIONS_REFRESH_LIMIT', async () => {
    let now = Date.parse('2026-01-10T12:00:00Z');
    emu = await startTestEmulator({ now: () => new Date(now) });
    const { access_token } = await linkItem(emu.plaid);
    await emu.plaid.transactionsRefresh({ access_token });
    await emu.plaid.transactionsRefresh({ access_token });
    expect(await plaidFailure(emu.plaid.transactionsRefresh({ access_token }))).toMatchObject({ status: 429, type: 'RATE_LIMIT_EXCEEDED', code: 'TRANSACTIONS_REFRESH_LIMIT' });
    now += 61_000;
    expect((await emu.plaid.transactionsRefresh({ access_token })).status).toBe(200);
  });

  it('can be switched off', async () => {
    emu = await startTestEmulator({ rateLimits: false });
    const { access_token } = await linkItem(emu.plaid);
    for (let i = 0; i < 4; i++) await emu.plaid.transactionsRefresh({ access_token });
  });
});

describe('controls', () => {
  it('advances an item clock over HTTP, posting pending transactions', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid);
    const start = await emu.plaid.transactionsSync({ access_token, count: 500 });
    const r = await control('/items/advance_clock', { access_token, days: 5 });
    expect(r.status).toBe(200);
    expect(r.body.changes).toEqual(expect.any(Number));
    const next = await emu.plaid.transactionsSync({ access_token, cursor: start.data.next_cursor, count: 500 });
    expect(next.data.removed.length).toBeGreaterThan(0);
    expect(next.data.added.filter((t) => t.pending_transaction_id).length).toBe(next.data.removed.length);
  });

  it('refreshes over HTTP and lists items', async () => {
    emu = await startTestEmulator();
    const { item_id } = await linkItem(emu.plaid, { username: 'user_transactions_dynamic' });
    expect((await control('/items/refresh', { item_id })).body.changes).toEqual(expect.any(Number));
    const items = (await control('/items')).body.items as { item_id: string; username: string }[];
    expect(items).toEqual([expect.objectContaining({ item_id, username: 'user_transactions_dynamic' })]);
    expect(await control('/items/refresh', { item_id: 'nope' })).toMatchObject({ status: 400, body: { error_code: 'ITEM_NOT_FOUND' } });
  });

  it('resets all state', async () => {
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid);
    expect((await control('/reset', {})).status).toBe(200);
    expect(await plaidFailure(emu.plaid.accountsGet({ access_token }))).toMatchObject({ code: 'INVALID_ACCESS_TOKEN' });
  });
});

describe('persistence', () => {
  it('keeps items, tokens and sync cursors across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plaid-emulator-'));
    const persistPath = join(dir, 'state.json');
    try {
      emu = await startTestEmulator({ persistPath, seed: 'persist' });
      const { access_token, item_id } = await linkItem(emu.plaid);
      const page = await emu.plaid.transactionsSync({ access_token, count: 500 });
      await emu.close();
      emu = await startTestEmulator({ persistPath, seed: 'persist' });
      expect((await emu.plaid.itemGet({ access_token })).data.item.item_id).toBe(item_id);
      const again = await emu.plaid.transactionsSync({ access_token, cursor: page.data.next_cursor });
      expect(again.data).toMatchObject({ added: [], has_more: false });
      emu.emulator.controls.advanceClock(item_id, 2);
      const more = await emu.plaid.transactionsSync({ access_token, cursor: page.data.next_cursor });
      expect(more.data.added.length).toBeGreaterThan(0);
    } finally {
      await emu?.close();
      emu = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Link contract', () => {
  it('completes Link for a new item and repairs the same item in update mode', async () => {
    emu = await startTestEmulator();
    const lt = await emu.plaid.linkTokenCreate({ client_name: 'T', language: 'en', country_codes: [CountryCode.Us], user: { client_user_id: 'u' }, products: [Products.Transactions] });
    expect(emu.emulator.link.completeLink({ linkToken: lt.data.link_token, institutionId: 'ins_109508', username: 'user_good', password: 'error_ITEM_LOCKED' })).toMatchObject({ status: 'error', error: { error_code: 'ITEM_LOCKED' } });
    expect(emu.emulator.link.completeLink({ linkToken: lt.data.link_token, institutionId: 'ins_109508', username: 'user_good', password: 'mfa_device' })).toMatchObject({ status: 'mfa_required', mfaType: 'device' });
    const done = emu.emulator.link.completeLink({ linkToken: lt.data.link_token, institutionId: 'ins_109508', username: 'user_good', password: 'mfa_device', mfaAnswers: ['1234'], selectedAccountIds: ['0', '2'] });
    if (done.status !== 'success') throw new Error(done.status);
    expect(done.accounts.map((a) => a.mask)).toEqual(['0000', '3333']);
    const { access_token, item_id } = (await emu.plaid.itemPublicTokenExchange({ public_token: done.publicToken })).data;
    await emu.plaid.sandboxItemResetLogin({ access_token });
    const ut = await emu.plaid.linkTokenCreate({ client_name: 'T', language: 'en', country_codes: [CountryCode.Us], user: { client_user_id: 'u' }, access_token });
    const repaired = emu.emulator.link.completeLink({ linkToken: ut.data.link_token, institutionId: '', username: 'user_good', password: 'pass_good' });
    if (repaired.status !== 'success') throw new Error(repaired.status);
    const again = (await emu.plaid.itemPublicTokenExchange({ public_token: repaired.publicToken })).data;
    expect(again).toMatchObject({ access_token, item_id });
    expect((await emu.plaid.accountsGet({ access_token })).data.accounts).toHaveLength(2);
  });
});
