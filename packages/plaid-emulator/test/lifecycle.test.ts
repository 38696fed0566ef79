import { afterEach, describe, expect, it } from 'vitest';
import { CountryCode, Products, SandboxItemFireWebhookRequestWebhookCodeEnum as Code, WebhookType, type LinkTokenCreateRequest } from 'plaid';
import { ITEM_STATE_CODES, clearItemError, linkItem, plaidFailure, setItemError, startTestEmulator, startWebhookReceiver, waitFor } from '../src/testing';

/** An item's whole lifecycle after linking: sandbox webhooks that change it, item errors, repairs, products. */
let emu: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
let hooks2: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
afterEach(async () => {
  await emu?.close();
  await hooks?.close();
  await hooks2?.close();
  emu = hooks = hooks2 = undefined;
});

async function setup(options: Parameters<typeof startTestEmulator>[0] = {}) {
  emu = await startTestEmulator(options);
  hooks = await startWebhookReceiver();
  return { emu, hooks };
}
const webhooksOf = (code: string) => hooks!.received.filter((r) => r.json.webhook_code === code).map((r) => r.json);
const settle = () => emu!.emulator.controls.settleWebhooks();

const tokenRequest = (extra: Partial<LinkTokenCreateRequest> = {}): LinkTokenCreateRequest => ({
  client_name: 'Tributary', language: 'en', country_codes: [CountryCode.Us], user: { client_user_id: 'u-1' }, ...extra,
});

/** Update mode through the emulated Link (as the Link UI drives it). */
async function updateMode(accessToken: string, o: { accountSelection?: boolean; select?: (ids: string[]) => string[] } = {}) {
  const { data } = await emu!.plaid.linkTokenCreate(tokenRequest({ access_token: accessToken, ...(o.accountSelection ? { update: { account_selection_enabled: true } } : {}) }));
  const offered = emu!.emulator.link.linkAccountChoices(data.link_token);
  const result = emu!.emulator.link.completeLink({
    linkToken: data.link_token, institutionId: '', username: 'user_good', password: 'pass_good',
    selectedAccountIds: o.select ? o.select(offered.map((a) => a.id)) : offered.map((a) => a.id),
  });
  return { offered, result };
}

describe('sandbox fire_webhook changes the item as Plaid does', () => {
  it('USER_PERMISSION_REVOKED: webhook with the error, later calls fail with it, update mode cannot repair it', async () => {
    await setup();
    const { access_token } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    await emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.UserPermissionRevoked });
    await settle();
    expect(webhooksOf('USER_PERMISSION_REVOKED')[0]).toMatchObject({ webhook_type: 'ITEM', error: { error_type: 'ITEM_ERROR', error_code: 'USER_PERMISSION_REVOKED', status: 400 } });
    expect(await plaidFailure(emu!.plaid.accountsGet({ access_token }))).toMatchObject({ status: 400, type: 'ITEM_ERROR', code: 'USER_PERMISSION_REVOKED' });
    expect(await plaidFailure(emu!.plaid.transactionsSync({ access_token }))).toMatchObject({ code: 'USER_PERMISSION_REVOKED' });
    expect((await emu!.plaid.itemGet({ access_token })).data.item.error).toMatchObject({ error_code: 'USER_PERMISSION_REVOKED' });
    const { result } = await updateMode(access_token);
    expect(result).toMatchObject({ status: 'error', error: { error_code: 'USER_PERMISSION_REVOKED' } });
  });

  it('USER_ACCOUNT_REVOKED: the account leaves the item until update mode re-grants it', async () => {
    await setup();
    const { access_token } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    const before = (await emu!.plaid.accountsGet({ access_token })).data.accounts.map((a) => a.account_id);
    await emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.UserAccountRevoked });
    await settle();
    const revoked = webhooksOf('USER_ACCOUNT_REVOKED')[0]?.account_id;
    expect(revoked).toBe(before[0]);
    expect((await emu!.plaid.accountsGet({ access_token })).data.accounts.map((a) => a.account_id)).not.toContain(revoked);
    expect((await updateMode(access_token)).result.status).toBe('success');
    expect((await emu!.plaid.accountsGet({ access_token })).data.accounts.map((a) => a.account_id).sort()).toEqual([...before].sort());
  });

  it('PENDING_DISCONNECT: a deadline a week out; calls work until then, then the item needs a login', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    await setup({ now: () => new Date(now) });
    const { access_token } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    await emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.PendingDisconnect });
    await settle();
    expect(webhooksOf('PENDING_DISCONNECT')[0]).toMatchObject({ reason: 'INSTITUTION_MIGRATION', disconnect_time: '2026-03-08T12:00:00.000Z' });
    expect(emu!.emulator.controls.items()[0]).toMatchObject({ disconnect_at: '2026-03-08T12:00:00.000Z', error_code: null });
    expect((await emu!.plaid.accountsGet({ access_token })).status).toBe(200);
    now += 8 * 86_400_000;
    expect(await plaidFailure(emu!.plaid.accountsGet({ access_token }))).toMatchObject({ code: 'ITEM_LOGIN_REQUIRED' });
    await settle();
    expect(webhooksOf('ERROR').map((w) => (w.error as { error_code: string }).error_code)).toEqual(['ITEM_LOGIN_REQUIRED']);
  });

  it('ERROR puts the item into ITEM_LOGIN_REQUIRED; LOGIN_REPAIRED repairs it', async () => {
    await setup();
    const { access_token } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    await emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.Error, webhook_type: WebhookType.Item });
    expect(await plaidFailure(emu!.plaid.accountsGet({ access_token }))).toMatchObject({ code: 'ITEM_LOGIN_REQUIRED' });
    await emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.LoginRepaired });
    expect((await emu!.plaid.accountsGet({ access_token })).status).toBe(200);
    await settle();
    expect(hooks!.codes().filter((c) => c.startsWith('ITEM:'))).toEqual(['ITEM:ERROR', 'ITEM:LOGIN_REPAIRED']);
  });

  it('AUTH DEFAULT_UPDATE and the rest need the product; asset-report codes are refused', async () => {
    await setup();
    const { access_token } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    await emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.DefaultUpdate, webhook_type: WebhookType.Auth });
    await emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.RecurringTransactionsUpdate });
    expect(await plaidFailure(emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.DefaultUpdate, webhook_type: WebhookType.Liabilities }))).toMatchObject({ code: 'SANDBOX_PRODUCT_NOT_ENABLED' });
    expect(await plaidFailure(emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.ProductReady }))).toMatchObject({ code: 'SANDBOX_PRODUCT_NOT_ENABLED' });
    expect(await plaidFailure(emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.NewAccountsAvailable, webhook_type: WebhookType.Transactions }))).toMatchObject({ code: 'INVALID_FIELD' });
    await settle();
    expect(hooks!.received.find((r) => r.json.webhook_type === 'AUTH')?.json).toMatchObject({ webhook_code: 'DEFAULT_UPDATE', account_ids_with_new_auth: [], error: null });
    expect(webhooksOf('RECURRING_TRANSACTIONS_UPDATE')[0]?.account_ids).toHaveLength(8);
  });

  it('NEW_ACCOUNTS_AVAILABLE: update mode with account selection offers the new account and shares it when picked', async () => {
    await setup();
    const { access_token } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    await emu!.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.NewAccountsAvailable });
    expect((await emu!.plaid.accountsGet({ access_token })).data.accounts).toHaveLength(8);
    // Without account selection the new account is not offered.
    expect((await updateMode(access_token)).offered.map((a) => a.name)).not.toContain('Plaid Cash Management');
    const { offered, result } = await updateMode(access_token, { accountSelection: true });
    expect(offered.map((a) => a.name)).toContain('Plaid Cash Management');
    expect(result.status).toBe('success');
    const accounts = (await emu!.plaid.accountsGet({ access_token })).data.accounts;
    expect(accounts).toHaveLength(9);
    expect(accounts.find((a) => a.name === 'Plaid Cash Management')).toMatchObject({ mask: '9002', subtype: 'cash management' });
    // Deselecting in update mode stops sharing an account.
    await updateMode(access_token, { accountSelection: true, select: (ids) => ids.slice(0, 2) });
    expect((await emu!.plaid.accountsGet({ access_token })).data.accounts).toHaveLength(2);
  });
});

describe('the item error control', () => {
  const expected: Record<string, [type: string, status: number]> = {
    ITEM_LOGIN_REQUIRED: ['ITEM_ERROR', 400], ITEM_LOCKED: ['ITEM_ERROR', 400], USER_SETUP_REQUIRED: ['ITEM_ERROR', 400], MFA_NOT_SUPPORTED: ['ITEM_ERROR', 400],
    NO_ACCOUNTS: ['ITEM_ERROR', 400], ACCESS_NOT_GRANTED: ['ITEM_ERROR', 400], INSUFFICIENT_CREDENTIALS: ['ITEM_ERROR', 400], USER_PERMISSION_REVOKED: ['ITEM_ERROR', 400],
    INSTITUTION_DOWN: ['INSTITUTION_ERROR', 400], INSTITUTION_NOT_RESPONDING: ['INSTITUTION_ERROR', 400], INSTITUTION_NO_LONGER_SUPPORTED: ['INSTITUTION_ERROR', 400],
  };

  it('puts the item into each error: /item/get shows it, data calls fail with its type and status, the ITEM webhook fires', async () => {
    await setup();
    const { access_token, item_id } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    for (const [code, [type, status]] of Object.entries(expected)) {
      await setItemError(emu!.url, { item_id }, code as never);
      expect((await emu!.plaid.itemGet({ access_token })).data.item.error).toMatchObject({ error_code: code, error_type: type });
      expect(await plaidFailure(emu!.plaid.transactionsGet({ access_token, start_date: '2020-01-01', end_date: '2020-01-02' }))).toMatchObject({ status, type, code });
      await clearItemError(emu!.url, { access_token });
      expect((await emu!.plaid.accountsGet({ access_token })).status).toBe(200);
    }
    await settle();
    const errors = webhooksOf('ERROR').map((w) => (w.error as { error_code: string }).error_code);
    expect(errors).toEqual(Object.keys(expected).filter((c) => c !== 'USER_PERMISSION_REVOKED'));
    expect(webhooksOf('USER_PERMISSION_REVOKED')).toHaveLength(1);
    // LOGIN_REPAIRED only when the item left ITEM_LOGIN_REQUIRED.
    expect(webhooksOf('LOGIN_REPAIRED')).toHaveLength(1);
  });

  it('scopes NO_AUTH_ACCOUNTS to /auth/get and ITEM_NOT_FOUND to every call; refuses unknown codes', async () => {
    await setup();
    const { access_token, item_id } = await linkItem(emu!.plaid);
    const r = await fetch(`${emu!.url}/emulator/items/${item_id}/error`, { method: 'POST', body: JSON.stringify({ error_code: 'NO_AUTH_ACCOUNTS', webhook: false }) });
    expect(r.status).toBe(200);
    expect(await plaidFailure(emu!.plaid.authGet({ access_token }))).toMatchObject({ status: 400, type: 'ITEM_ERROR', code: 'NO_AUTH_ACCOUNTS' });
    expect((await emu!.plaid.accountsGet({ access_token })).status).toBe(200);
    emu!.emulator.controls.setItemError(item_id, 'ITEM_NOT_FOUND');
    expect(await plaidFailure(emu!.plaid.itemGet({ access_token }))).toMatchObject({ code: 'ITEM_NOT_FOUND' });
    const bad = await fetch(`${emu!.url}/emulator/items/error`, { method: 'POST', body: JSON.stringify({ item_id, error_code: 'NOT_A_CODE' }) });
    expect(bad.status).toBe(400);
    expect(ITEM_STATE_CODES).toContain('PENDING_EXPIRATION');
  });

  it('PENDING_EXPIRATION sets consent_expiration_time and fires its webhook; update mode clears it', async () => {
    await setup();
    const { access_token, item_id } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    const set = await setItemError(emu!.url, { item_id }, 'PENDING_EXPIRATION', { days: 3 });
    const item = (await emu!.plaid.itemGet({ access_token })).data.item;
    expect(item.consent_expiration_time).toBe(set.consent_expiration_time);
    expect(item.error).toBeNull();
    await settle();
    expect(webhooksOf('PENDING_EXPIRATION')[0]?.consent_expiration_time).toBe(set.consent_expiration_time);
    expect((await updateMode(access_token)).result.status).toBe('success');
    expect((await emu!.plaid.itemGet({ access_token })).data.item.consent_expiration_time).toBeNull();
  });

  it('a repair through the app\'s own update mode fires no LOGIN_REPAIRED; a transient institution error is not repaired by Link', async () => {
    await setup();
    const { access_token } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    await emu!.plaid.sandboxItemResetLogin({ access_token });
    expect((await updateMode(access_token)).result.status).toBe('success');
    expect((await emu!.plaid.accountsGet({ access_token })).status).toBe(200);
    emu!.emulator.controls.setItemError(access_token, 'INSTITUTION_DOWN', { webhook: false });
    expect((await updateMode(access_token)).result).toMatchObject({ status: 'error', error: { error_code: 'INSTITUTION_DOWN' } });
    await settle();
    expect(hooks!.codes().filter((c) => c.startsWith('ITEM:'))).toEqual(['ITEM:ERROR']);
  });
});

describe('products, institutions and item updates', () => {
  it('required_if_supported_products are added where supported and skipped where not; products must all be supported', async () => {
    await setup();
    const link = async (institutionId: string, extra: Partial<LinkTokenCreateRequest>) => {
      const { data } = await emu!.plaid.linkTokenCreate(tokenRequest(extra));
      const r = emu!.emulator.link.completeLink({ linkToken: data.link_token, institutionId, username: 'user_good', password: 'pass_good' });
      if (r.status !== 'success') return r;
      const ex = await emu!.plaid.itemPublicTokenExchange({ public_token: r.publicToken });
      return (await emu!.plaid.itemGet({ access_token: ex.data.access_token })).data.item;
    };
    const wanted = { products: [Products.Transactions], required_if_supported_products: [Products.Auth], optional_products: [Products.Identity] };
    expect(await link('ins_109508', wanted)).toMatchObject({ products: ['transactions', 'auth', 'identity'], billed_products: ['transactions', 'auth'] });
    const tartan = await link('ins_109511', wanted);
    expect(tartan).toMatchObject({ products: ['transactions', 'identity'], billed_products: ['transactions'] });
    expect((tartan as { available_products: string[] }).available_products).not.toContain('auth');
    expect(await link('ins_109511', { products: [Products.Auth] })).toMatchObject({ status: 'error', error: { error_code: 'PRODUCTS_NOT_SUPPORTED' } });
    // The Link UI does not list Tartan Bank for an auth link token.
    const { data } = await emu!.plaid.linkTokenCreate(tokenRequest({ products: [Products.Auth] }));
    const session = await fetch(`${emu!.url}/link/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link_token: data.link_token }) }).then((r) => r.json() as Promise<{ institutions: { institution_id: string }[] }>);
    expect(session.institutions.map((i) => i.institution_id)).not.toContain('ins_109511');
    expect(session.institutions.length).toBeGreaterThan(0);
  });

  it('/auth/get at Tartan Bank (no Auth, no ACH numbers) fails with NO_AUTH_ACCOUNTS', async () => {
    await setup();
    const pt = await emu!.plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109511', initial_products: [Products.Transactions] });
    const { access_token } = (await emu!.plaid.itemPublicTokenExchange({ public_token: pt.data.public_token })).data;
    expect(await plaidFailure(emu!.plaid.authGet({ access_token }))).toMatchObject({ status: 400, type: 'ITEM_ERROR', code: 'NO_AUTH_ACCOUNTS' });
    expect(await plaidFailure(emu!.plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109511', initial_products: [Products.Auth] }))).toMatchObject({ code: 'PRODUCTS_NOT_SUPPORTED' });
  });

  it('/item/webhook/update stores the URL and acknowledges it at the new URL', async () => {
    await setup();
    hooks2 = await startWebhookReceiver();
    const { access_token, item_id } = await linkItem(emu!.plaid, { webhook: hooks!.url });
    const res = await emu!.plaid.itemWebhookUpdate({ access_token, webhook: hooks2.url });
    expect(res.data.item.webhook).toBe(hooks2.url);
    expect((await emu!.plaid.itemGet({ access_token })).data.item.webhook).toBe(hooks2.url);
    await settle();
    expect(hooks2.received.map((r) => r.json)).toEqual([{ environment: 'sandbox', webhook_type: 'ITEM', webhook_code: 'WEBHOOK_UPDATE_ACKNOWLEDGED', new_webhook_url: hooks2.url, error: null, item_id }]);
    expect(hooks!.codes()).not.toContain('ITEM:WEBHOOK_UPDATE_ACKNOWLEDGED');
  });

  it('/transactions/refresh brings new data for the dynamic user and fires DEFAULT_UPDATE, TRANSACTIONS_REMOVED and SYNC_UPDATES_AVAILABLE', async () => {
    await setup();
    const { access_token } = await linkItem(emu!.plaid, { webhook: hooks!.url, username: 'user_transactions_dynamic' });
    let sync = (await emu!.plaid.transactionsSync({ access_token })).data;
    while (sync.has_more) sync = (await emu!.plaid.transactionsSync({ access_token, cursor: sync.next_cursor })).data;
    await emu!.plaid.transactionsRefresh({ access_token });
    await waitFor(() => hooks!.codes().includes('TRANSACTIONS:SYNC_UPDATES_AVAILABLE'));
    expect(hooks!.codes()).toEqual(expect.arrayContaining(['TRANSACTIONS:DEFAULT_UPDATE', 'TRANSACTIONS:TRANSACTIONS_REMOVED']));
    const next = (await emu!.plaid.transactionsSync({ access_token, cursor: sync.next_cursor })).data;
    expect(next.added.length).toBeGreaterThan(0);
    expect(next.removed.length).toBeGreaterThan(0);
    expect(next.modified.length).toBe(1);
  });
});
