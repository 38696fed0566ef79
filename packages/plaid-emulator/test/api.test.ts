import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountryCode, Products } from 'plaid';
import { linkItem, plaidClient, plaidFailure, startTestEmulator } from '../src/testing';

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
beforeAll(async () => { emu = await startTestEmulator({ seed: 'api' }); });
afterAll(async () => { await emu.close(); });

describe('tokens and items', () => {
  it('creates a link token in the sandbox format with a 4 hour expiry', async () => {
    const r = await emu.plaid.linkTokenCreate({ client_name: 'Tributary', language: 'en', country_codes: [CountryCode.Us], user: { client_user_id: 'u1' }, products: [Products.Transactions] });
    expect(r.data.link_token).toMatch(/^link-sandbox-[0-9a-f-]{36}$/);
    expect(r.data.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
    const hours = (Date.parse(r.data.expiration) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(3.9);
    expect(hours).toBeLessThanOrEqual(4);
  });

  it('creates update-mode link tokens that expire in 30 minutes and rejects products there', async () => {
    const { access_token } = await linkItem(emu.plaid);
    const r = await emu.plaid.linkTokenCreate({ client_name: 'T', language: 'en', country_codes: [CountryCode.Us], user: { client_user_id: 'u1' }, access_token });
    expect((Date.parse(r.data.expiration) - Date.now()) / 60_000).toBeLessThanOrEqual(30);
    const d = emu.emulator.link.describeLinkToken(r.data.link_token);
    expect(d).toMatchObject({ valid: true, mode: 'update', institutionId: 'ins_109508' });
    const bad = await plaidFailure(emu.plaid.linkTokenCreate({ client_name: 'T', language: 'en', country_codes: [CountryCode.Us], user: { client_user_id: 'u1' }, access_token, products: [Products.Transactions] }));
    expect(bad).toMatchObject({ status: 400, code: 'INVALID_FIELD' });
  });

  it('rejects balance as a Link product with INVALID_PRODUCT', async () => {
    const e = await plaidFailure(emu.plaid.linkTokenCreate({ client_name: 'T', language: 'en', country_codes: [CountryCode.Us], user: { client_user_id: 'u' }, products: [Products.Balance] }));
    expect(e).toMatchObject({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_PRODUCT' });
  });

  it('exchanges a public token once, in the access token format, with a 37-character item id', async () => {
    const pt = await emu.plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109509', initial_products: [Products.Transactions] });
    expect(pt.data.public_token).toMatch(/^public-sandbox-[0-9a-f-]{36}$/);
    const ex = await emu.plaid.itemPublicTokenExchange({ public_token: pt.data.public_token });
    expect(ex.data.access_token).toMatch(/^access-sandbox-[0-9a-f-]{36}$/);
    expect(ex.data.item_id).toMatch(/^[A-Za-z0-9]{37}$/);
    expect(await plaidFailure(emu.plaid.itemPublicTokenExchange({ public_token: pt.data.public_token }))).toMatchObject({ status: 400, code: 'INVALID_PUBLIC_TOKEN' });
    expect(await plaidFailure(emu.plaid.itemPublicTokenExchange({ public_token: 'nope' }))).toMatchObject({ status: 400, code: 'INVALID_PUBLIC_TOKEN' });
  });

  it('creates a fresh public token for an existing item (legacy update path)', async () => {
    const { access_token, item_id } = await linkItem(emu.plaid);
    const pt = await emu.plaid.itemCreatePublicToken({ access_token });
    const again = await emu.plaid.itemPublicTokenExchange({ public_token: pt.data.public_token });
    expect(again.data).toMatchObject({ access_token, item_id });
  });

  it('fails item creation with the code of an error_<CODE> password', async () => {
    const e = await plaidFailure(linkItem(emu.plaid, { password: 'error_ITEM_LOCKED' }));
    expect(e).toMatchObject({ status: 400, type: 'ITEM_ERROR', code: 'ITEM_LOCKED' });
    expect(await plaidFailure(linkItem(emu.plaid, { password: 'wrong' }))).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await plaidFailure(linkItem(emu.plaid, { institution: 'ins_133402' }))).toMatchObject({ code: 'INSTITUTION_NO_LONGER_SUPPORTED' });
  });

  it('returns the item with its institution and status, and answers ITEM_NOT_FOUND after removal', async () => {
    const { access_token, item_id } = await linkItem(emu.plaid);
    const got = await emu.plaid.itemGet({ access_token });
    expect(got.data.item).toMatchObject({ item_id, institution_id: 'ins_109508', institution_name: 'First Platypus Bank', error: null });
    expect(got.data.status?.transactions?.last_successful_update).toBeTruthy();
    await emu.plaid.itemRemove({ access_token });
    expect(await plaidFailure(emu.plaid.accountsGet({ access_token }))).toMatchObject({ status: 400, code: 'ITEM_NOT_FOUND' });
    expect(await plaidFailure(emu.plaid.transactionsSync({ access_token }))).toMatchObject({ code: 'ITEM_NOT_FOUND' });
  });
});

describe('accounts, auth and identity', () => {
  it('lists the sandbox accounts with balances and filters by account id', async () => {
    const { access_token } = await linkItem(emu.plaid);
    const r = await emu.plaid.accountsGet({ access_token });
    const checking = r.data.accounts.find((a) => a.mask === '0000');
    expect(checking).toMatchObject({ name: 'Plaid Checking', type: 'depository', subtype: 'checking', balances: { available: 100, current: 110 } });
    expect(r.data.accounts.find((a) => a.mask === '3333')?.balances).toMatchObject({ current: 410, limit: 2000 });
    const one = await emu.plaid.accountsGet({ access_token, options: { account_ids: [checking?.account_id ?? ''] } });
    expect(one.data.accounts).toHaveLength(1);
    expect(await plaidFailure(emu.plaid.accountsGet({ access_token, options: { account_ids: ['nope'] } }))).toMatchObject({ code: 'INVALID_FIELD' });
  });

  it('returns real-time balances with a fresh last_updated_datetime', async () => {
    const { access_token } = await linkItem(emu.plaid);
    const before = Date.now();
    const r = await emu.plaid.accountsBalanceGet({ access_token });
    expect(Date.parse(r.data.accounts[0]?.balances.last_updated_datetime ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });

  it('returns ACH numbers for depository accounts only', async () => {
    const { access_token } = await linkItem(emu.plaid);
    const r = await emu.plaid.authGet({ access_token });
    expect(r.data.numbers.ach.length).toBe(3);
    expect(r.data.numbers.ach[0]).toMatchObject({ account: '11112222330000', routing: '011401533' });
    const card = r.data.accounts.find((a) => a.mask === '3333')?.account_id ?? '';
    expect(await plaidFailure(emu.plaid.authGet({ access_token, options: { account_ids: [card] } }))).toMatchObject({ code: 'NO_AUTH_ACCOUNTS' });
  });

  it('returns identity owners on every account', async () => {
    const { access_token } = await linkItem(emu.plaid);
    const r = await emu.plaid.identityGet({ access_token });
    expect(r.data.accounts[0]?.owners[0]?.names).toEqual(['Alberta Bobbeth Charleson']);
  });

  it('answers ITEM_LOGIN_REQUIRED on data calls after reset_login', async () => {
    const { access_token } = await linkItem(emu.plaid);
    expect((await emu.plaid.sandboxItemResetLogin({ access_token })).data.reset_login).toBe(true);
    expect(await plaidFailure(emu.plaid.accountsGet({ access_token }))).toMatchObject({ status: 400, type: 'ITEM_ERROR', code: 'ITEM_LOGIN_REQUIRED' });
    expect(await plaidFailure(emu.plaid.transactionsSync({ access_token }))).toMatchObject({ code: 'ITEM_LOGIN_REQUIRED' });
    expect((await emu.plaid.itemGet({ access_token })).data.item.error?.error_code).toBe('ITEM_LOGIN_REQUIRED');
  });
});

describe('institutions', () => {
  it('pages through the nine sandbox institutions', async () => {
    const r = await emu.plaid.institutionsGet({ count: 5, offset: 5, country_codes: [CountryCode.Us] });
    expect(r.data.total).toBe(9);
    expect(r.data.institutions.map((i) => i.institution_id)).toContain('ins_133402');
  });

  it('returns a real PNG logo, colour and health status by id', async () => {
    const r = await emu.plaid.institutionsGetById({ institution_id: 'ins_132361', country_codes: [CountryCode.Us], options: { include_optional_metadata: true, include_status: true } });
    const png = Buffer.from(r.data.institution.logo ?? '', 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(r.data.institution.primary_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(r.data.institution.status?.item_logins?.status).toBe('DOWN');
    expect(await plaidFailure(emu.plaid.institutionsGetById({ institution_id: 'ins_0', country_codes: [CountryCode.Us] }))).toMatchObject({ status: 400, code: 'INVALID_INSTITUTION' });
  });

  it('searches institutions by name, marking the OAuth bank', async () => {
    const r = await emu.plaid.institutionsSearch({ query: 'platypus oauth', country_codes: [CountryCode.Us] });
    expect(r.data.institutions.map((i) => [i.institution_id, i.oauth])).toEqual([['ins_127287', true]]);
  });
});

describe('bad input', () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${emu.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error_code: string; error_message: string } }));

  it('names missing fields', async () => {
    const r = await post('/transactions/get', JSON.stringify({ client_id: 'a', secret: 'b', access_token: 'access-sandbox-x' }));
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('MISSING_FIELDS');
    expect(r.body.error_message).toContain('start_date');
    expect(r.body.error_message).toContain('end_date');
  });

  it('names unknown fields', async () => {
    const r = await post('/accounts/get', JSON.stringify({ client_id: 'a', secret: 'b', access_token: 't', options: { colour: 1 } }));
    expect(r.body).toMatchObject({ error_code: 'UNKNOWN_FIELDS' });
    expect(r.body.error_message).toContain('options.colour');
  });

  it('rejects bad JSON with INVALID_BODY and unknown routes with 404 NOT_FOUND', async () => {
    expect(await post('/accounts/get', '{nope')).toMatchObject({ status: 400, body: { error_code: 'INVALID_BODY' } });
    expect(await post('/accounts/list', '{}')).toMatchObject({ status: 404, body: { error_code: 'NOT_FOUND' } });
  });

  it('rejects malformed access tokens with INVALID_ACCESS_TOKEN', async () => {
    expect(await plaidFailure(emu.plaid.accountsGet({ access_token: 'access-token' }))).toMatchObject({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_ACCESS_TOKEN' });
  });

  it('accepts credentials in the body as well as in headers', async () => {
    const r = await post('/institutions/get', JSON.stringify({ client_id: 'a', secret: 'b', count: 1, offset: 0, country_codes: ['US'] }));
    expect(r.status).toBe(200);
  });

  it('rejects wrong keys with INVALID_API_KEYS when keys are configured', async () => {
    const strict = await startTestEmulator({ clientId: 'cid', secret: 'sec' });
    try {
      const wrong = plaidClient(strict.url, { 'PLAID-CLIENT-ID': 'cid', 'PLAID-SECRET': 'other' });
      expect(await plaidFailure(wrong.institutionsGet({ count: 1, offset: 0, country_codes: [CountryCode.Us] }))).toMatchObject({ status: 400, code: 'INVALID_API_KEYS' });
      const right = plaidClient(strict.url, { 'PLAID-CLIENT-ID': 'cid', 'PLAID-SECRET': 'sec' });
      expect((await right.institutionsGet({ count: 1, offset: 0, country_codes: [CountryCode.Us] })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
