import { Products } from 'plaid';
import { expect, test, CDN_SCRIPT, linkRecord, logIn, newLinkToken, openLink } from './fixture';

/**
 * The Link stand-in driven through the real react-plaid-link in Chromium, against a real emulator
 * over HTTP; tokens are created and exchanged with the official plaid SDK. Link's main paths.
 */

test('links a bank with user_good and hands a public token the SDK can exchange', async ({ page, fx }) => {
  const outside: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(fx.harness.origin) && !r.url().startsWith('data:')) outside.push(r.url()); });
  const token = await newLinkToken(fx);
  const frame = await openLink(page, fx, '/', token);
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

test('an error_ITEM_LOCKED password shows the error and exits with it, without a public token', async ({ page, fx }) => {
  // This page has no stand-in tag: react-plaid-link loads Plaid's CDN URL, which is routed here.
  const script = await (await fetch(`${fx.harness.emulatorBase}/link-initialize.js`)).text();
  await page.route(CDN_SCRIPT, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
  const token = await newLinkToken(fx);
  const frame = await openLink(page, fx, '/routed', token);
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

test('update mode goes straight to the item\'s bank and keeps the same item and access token', async ({ page, fx }) => {
  const created = await fx.plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109509', initial_products: [Products.Transactions] });
  const { access_token, item_id } = (await fx.plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
  await fx.plaid.sandboxItemResetLogin({ access_token });
  await expect(fx.plaid.accountsGet({ access_token })).rejects.toMatchObject({ response: { data: { error_code: 'ITEM_LOGIN_REQUIRED' } } });

  const token = await newLinkToken(fx, { products: undefined, access_token });
  const frame = await openLink(page, fx, '/', token);
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

test('answers MFA questions over several rounds', async ({ page, fx }) => {
  const frame = await openLink(page, fx, '/', await newLinkToken(fx));
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
