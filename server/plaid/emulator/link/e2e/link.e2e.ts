import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import { CountryCode, Products } from 'plaid';
import type { LinkRecord } from './harness-app';
import { startLinkFixture, type LinkFixture } from './fixture';

/**
 * The Link stand-in driven through the real react-plaid-link in Chromium, against a real emulator
 * over HTTP; tokens are created and exchanged with the official plaid SDK.
 */
const CDN_SCRIPT = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

let fx: LinkFixture;
test.beforeAll(async () => { fx = await startLinkFixture(); });
test.afterAll(async () => { await fx?.close(); });

async function newLinkToken(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await fx.plaid.linkTokenCreate({
    client_name: 'Tributary',
    language: 'en',
    country_codes: [CountryCode.Us],
    user: { client_user_id: `user-${Date.now()}` },
    products: [Products.Transactions],
    ...extra,
  });
  return res.data.link_token;
}

const linkRecord = (page: Page) => page.evaluate(() => window.__link as LinkRecord);
const linkFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Plaid Link"]');

async function openLink(page: Page, path: string, token: string): Promise<FrameLocator> {
  await page.goto(`${fx.harness.origin}${path}?token=${encodeURIComponent(token)}`);
  await page.getByRole('button', { name: 'Connect a bank' }).click();
  const frame = linkFrame(page);
  await expect(frame.getByRole('dialog')).toBeVisible();
  return frame;
}

async function logIn(frame: FrameLocator, institution: string, username: string, password: string): Promise<void> {
  await frame.getByLabel('Search institutions').fill(institution.split(' ')[0]!);
  await frame.getByRole('button', { name: institution }).click();
  await frame.getByLabel('Username').fill(username);
  await frame.getByLabel('Password').fill(password);
  await frame.getByRole('button', { name: 'Submit' }).click();
}

test('links a bank with user_good and hands a public token the SDK can exchange', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(fx.harness.origin) && !r.url().startsWith('data:')) outside.push(r.url()); });
  const token = await newLinkToken();
  const frame = await openLink(page, '/', token);
  await expect(frame.locator('img.logo').first()).toHaveJSProperty('complete', true);
  await logIn(frame, 'First Platypus Bank', 'user_good', 'pass_good');
  await expect(frame.getByRole('heading', { name: 'Select accounts' })).toBeVisible();
  await frame.getByRole('checkbox', { name: /Plaid Saving/ }).uncheck();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('status')).toHaveText('success First Platypus Bank');
  await expect(page.locator('iframe[title="Plaid Link"]')).toBeHidden();

  const rec = await linkRecord(page);
  expect(rec.loads).toBeGreaterThanOrEqual(1);
  expect(rec.exit).toBeNull();
  const { publicToken, metadata } = rec.success!;
  expect(publicToken).toMatch(/^public-sandbox-[0-9a-f-]{36}$/);
  expect(metadata.institution).toEqual({ name: 'First Platypus Bank', institution_id: 'ins_109508' });
  expect(metadata.accounts.map((a) => a.name)).not.toContain('Plaid Saving');
  expect(metadata.accounts[0]).toMatchObject({ name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking' });

  const names = rec.events.map((e) => e.name);
  expect(names[0]).toBe('OPEN');
  for (const n of ['TRANSITION_VIEW', 'SELECT_INSTITUTION', 'SUBMIT_CREDENTIALS', 'HANDOFF']) expect(names).toContain(n);
  expect(names.at(-1)).toBe('HANDOFF');
  for (const e of rec.events) {
    expect(e.metadata.link_session_id).toBe(metadata.link_session_id);
    expect(e.metadata.is_update_mode).toBe('false');
    expect(e.metadata.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
    expect(Date.parse(e.metadata.timestamp)).not.toBeNaN();
  }
  expect(rec.events.find((e) => e.name === 'SELECT_INSTITUTION')?.metadata.institution_id).toBe('ins_109508');
  expect(rec.events.filter((e) => e.name === 'TRANSITION_VIEW').map((e) => e.metadata.view_name))
    .toEqual(['SELECT_INSTITUTION', 'CREDENTIAL', 'LOADING', 'SELECT_ACCOUNT', 'LOADING', 'CONNECTED']);

  // The inert CDN tag satisfied react-plaid-link: nothing left the machine.
  expect(outside).toEqual([]);

  const exchanged = await fx.plaid.itemPublicTokenExchange({ public_token: publicToken });
  const accounts = await fx.plaid.accountsGet({ access_token: exchanged.data.access_token });
  expect(accounts.data.item.item_id).toBe(exchanged.data.item_id);
  expect(accounts.data.accounts.map((a) => a.account_id).sort()).toEqual(metadata.accounts.map((a) => a.id).sort());
});

test('an error_ITEM_LOCKED password shows the error and exits with it, without a public token', async ({ page }) => {
  // This page has no stand-in tag: react-plaid-link loads Plaid's CDN URL, which is routed here.
  const script = await (await fetch(`${fx.harness.emulatorBase}/link-initialize.js`)).text();
  await page.route(CDN_SCRIPT, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
  const token = await newLinkToken();
  const frame = await openLink(page, '/routed', token);
  await logIn(frame, 'First Platypus Bank', 'user_good', 'error_ITEM_LOCKED');
  await expect(frame.getByRole('alert')).toHaveText('The given credentials belong to a locked account.');
  await frame.getByRole('button', { name: 'Exit' }).last().click();
  await expect(page.getByTestId('status')).toHaveText('exit ITEM_LOCKED');

  const rec = await linkRecord(page);
  expect(rec.success).toBeNull();
  expect(rec.exit?.error).toEqual({
    error_type: 'ITEM_ERROR',
    error_code: 'ITEM_LOCKED',
    error_message: expect.any(String),
    display_message: 'The given credentials belong to a locked account.',
  });
  expect(rec.exit?.metadata).toMatchObject({
    institution: { name: 'First Platypus Bank', institution_id: 'ins_109508' },
    status: 'requires_credentials',
  });
  const error = rec.events.find((e) => e.name === 'ERROR');
  expect(error?.metadata).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOCKED', institution_id: 'ins_109508' });
  const exit = rec.events.find((e) => e.name === 'EXIT');
  expect(exit?.metadata.exit_status).toBe('requires_credentials');
  expect(rec.exit?.metadata.link_session_id).toBe(exit?.metadata.link_session_id);
  expect(rec.exit?.metadata.request_id).toBe(exit?.metadata.request_id);
});

test('update mode goes straight to the item\'s bank and keeps the same item and access token', async ({ page }) => {
  const created = await fx.plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109509', initial_products: [Products.Transactions] });
  const { access_token, item_id } = (await fx.plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
  await fx.plaid.sandboxItemResetLogin({ access_token });
  await expect(fx.plaid.accountsGet({ access_token })).rejects.toMatchObject({ response: { data: { error_code: 'ITEM_LOGIN_REQUIRED' } } });

  const token = await newLinkToken({ products: undefined, access_token });
  const frame = await openLink(page, '/', token);
  await expect(frame.getByRole('heading', { name: 'Log in to First Gingham Credit Union' })).toBeVisible();
  await frame.getByLabel('Username').fill('user_good');
  await frame.getByLabel('Password').fill('pass_good');
  await frame.getByRole('button', { name: 'Submit' }).click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('status')).toHaveText('success First Gingham Credit Union');

  const rec = await linkRecord(page);
  expect(rec.events.every((e) => e.metadata.is_update_mode === 'true')).toBe(true);
  expect(rec.events.map((e) => e.name)).not.toContain('SELECT_INSTITUTION');
  const again = await fx.plaid.itemPublicTokenExchange({ public_token: rec.success!.publicToken });
  expect(again.data).toMatchObject({ item_id, access_token });
  const item = await fx.plaid.itemGet({ access_token });
  expect(item.data.item.error).toBeNull();
});

test('the OAuth bank takes the page to the bank, then to redirect_uri with an oauth_state_id, and Link resumes', async ({ page }) => {
  const token = await newLinkToken({ redirect_uri: `${fx.harness.origin}/oauth-return` });
  const frame = await openLink(page, '/', token);
  await frame.getByRole('button', { name: 'Platypus OAuth Bank' }).click();
  const sessionId = (await linkRecord(page)).events[0]?.metadata.link_session_id;
  await frame.getByRole('button', { name: 'Continue to log in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(/\/oauth-return\?oauth_state_id=[0-9a-f]+$/);

  // The return page re-creates Link with receivedRedirectUri and opens it; the session carries on.
  const resumed = linkFrame(page);
  await expect(resumed.getByRole('heading', { name: 'Select accounts' })).toBeVisible();
  await resumed.getByRole('button', { name: 'Continue' }).click();
  await resumed.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('status')).toHaveText('success Platypus OAuth Bank');
  const rec = await linkRecord(page);
  expect(rec.success?.metadata.link_session_id).toBe(sessionId);
  expect(rec.success?.metadata.institution?.institution_id).toBe('ins_127287');
  const names = (await page.evaluate(() => sessionStorage.getItem('link_event_names')))?.trim().split(' ');
  expect(names).toEqual(['OPEN', 'TRANSITION_VIEW', 'SELECT_INSTITUTION', 'TRANSITION_VIEW', 'OPEN_OAUTH',
    'OPEN', 'TRANSITION_VIEW', 'TRANSITION_VIEW', 'TRANSITION_VIEW', 'HANDOFF']);
  const exchanged = await fx.plaid.itemPublicTokenExchange({ public_token: rec.success!.publicToken });
  expect(exchanged.data.item_id).toHaveLength(37);
});

test('cancelling at the OAuth bank comes back to Link with CLOSE_OAUTH', async ({ page }) => {
  const token = await newLinkToken({ redirect_uri: `${fx.harness.origin}/oauth-return` });
  const frame = await openLink(page, '/', token);
  await frame.getByRole('button', { name: 'Platypus OAuth Bank' }).click();
  await frame.getByRole('button', { name: 'Continue to log in' }).click();
  await expect(page.getByRole('heading', { name: 'Platypus OAuth Bank' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL(/\/oauth-return\?oauth_state_id=/);

  const resumed = linkFrame(page);
  await expect(resumed.getByRole('button', { name: 'Continue to log in' })).toBeVisible();
  await resumed.getByRole('button', { name: 'Exit' }).click();
  await expect(page.getByTestId('status')).toHaveText('exit none');
  const rec = await linkRecord(page);
  expect(rec.events.map((e) => e.name)).toEqual(['OPEN', 'CLOSE_OAUTH', 'TRANSITION_VIEW', 'EXIT']);
  expect(rec.exit?.metadata).toMatchObject({ institution: { institution_id: 'ins_127287' }, status: 'requires_oauth' });
});

test('answers MFA questions over several rounds', async ({ page }) => {
  const frame = await openLink(page, '/', await newLinkToken());
  await logIn(frame, 'Tartan Bank', 'user_good', 'mfa_questions_2_1');
  for (const round of [1, 2]) {
    await expect(frame.getByRole('heading', { name: `Security questions (${round} of 2)` })).toBeVisible();
    await frame.getByLabel(`Security question ${round}.1: what is your answer?`).fill(`answer_${round}_1`);
    await frame.getByRole('button', { name: 'Submit' }).click();
  }
  await frame.getByRole('button', { name: 'Continue' }).click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('status')).toHaveText('success Tartan Bank');
  const mfa = (await linkRecord(page)).events.filter((e) => e.name === 'SUBMIT_MFA');
  expect(mfa.map((e) => e.metadata.mfa_type)).toEqual(['questions', 'questions']);
});

test('the close button exits with a null error and the current status', async ({ page }) => {
  const frame = await openLink(page, '/', await newLinkToken());
  await frame.getByRole('button', { name: 'Exit' }).click();
  await expect(page.getByTestId('status')).toHaveText('exit none');
  const rec = await linkRecord(page);
  expect(rec.exit).toMatchObject({ error: null, metadata: { institution: null, status: 'institution_not_found' } });
  expect(rec.events.map((e) => e.name)).toEqual(['OPEN', 'TRANSITION_VIEW', 'EXIT']);
  // Focus returns to the page, which is interactive again.
  await expect(page.getByRole('button', { name: 'Connect a bank' })).toBeFocused();

  // Opening the same handler again starts a new Link session.
  await page.getByRole('button', { name: 'Connect a bank' }).click();
  await expect.poll(async () => (await linkRecord(page)).events.filter((e) => e.name === 'OPEN').length).toBe(2);
  await expect(frame.getByRole('heading', { name: 'Select your bank' })).toBeVisible();
  const sessions = new Set((await linkRecord(page)).events.map((e) => e.metadata.link_session_id));
  expect(sessions.size).toBe(2);
});

test('open() before the Link UI has loaded is queued until it is ready', async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/emu/link/ui?*', async (route) => { await held; await route.continue(); });
  const token = await newLinkToken();
  // The held iframe would stall the page's load event: wait for the DOM only.
  await page.goto(`${fx.harness.origin}/?token=${encodeURIComponent(token)}`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: 'Connect a bank' }).click();
  expect((await linkRecord(page)).loads).toBe(0);
  await expect(page.locator('iframe[title="Plaid Link"]')).toBeHidden();
  release();
  await expect(linkFrame(page).getByRole('heading', { name: 'Select your bank' })).toBeVisible();
  const rec = await linkRecord(page);
  expect(rec.loads).toBe(1);
  expect(rec.events[0]?.name).toBe('OPEN');
});

test('exit() asks the user to confirm; exit({ force: true }) closes at once', async ({ page }) => {
  const frame = await openLink(page, '/', await newLinkToken());
  await frame.getByRole('button', { name: 'Houndstooth Bank' }).click();
  await page.evaluate(() => window.__linkExit?.(false));
  await expect(frame.getByRole('heading', { name: 'Are you sure you want to exit?' })).toBeVisible();
  await frame.getByRole('button', { name: 'Stay' }).click();
  await expect(frame.getByLabel('Username')).toBeVisible();

  await page.evaluate(() => window.__linkExit?.(true));
  await expect(page.getByTestId('status')).toHaveText('exit none');
  await expect(page.locator('iframe[title="Plaid Link"]')).toBeHidden();
  const rec = await linkRecord(page);
  expect(rec.exit?.metadata).toMatchObject({ institution: { institution_id: 'ins_109512' }, status: 'requires_credentials' });
  expect(rec.events.at(-1)).toMatchObject({ name: 'EXIT', metadata: { exit_status: 'requires_credentials' } });
});
