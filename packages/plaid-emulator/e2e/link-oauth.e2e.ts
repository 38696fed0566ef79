import { expect, test, linkFrame, linkRecord, newLinkToken, openLink } from './fixture';

/** The OAuth institution: out to the bank, back to redirect_uri, and Link resuming with receivedRedirectUri. */

test('the OAuth bank takes the page to the bank, then to redirect_uri with an oauth_state_id, and Link resumes', async ({ page, fx }) => {
  const token = await newLinkToken(fx, { redirect_uri: `${fx.harness.origin}/oauth-return` });
  const frame = await openLink(page, fx, '/', token);
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

test('cancelling at the OAuth bank comes back to Link with CLOSE_OAUTH', async ({ page, fx }) => {
  const token = await newLinkToken(fx, { redirect_uri: `${fx.harness.origin}/oauth-return` });
  const frame = await openLink(page, fx, '/', token);
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
