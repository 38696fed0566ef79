import { expect, test, linkFrame, linkRecord, newLinkToken, openLink } from './fixture';

/** The handler react-plaid-link drives: queued open, exit() with and without force, reopening, bad tokens. */

test('searching, then the close button, exits with a null error and the current status', async ({ page, fx }) => {
  const frame = await openLink(page, fx, '/', await newLinkToken(fx));
  await frame.getByLabel('Search institutions').fill('tartan');
  await expect(frame.getByRole('listitem')).toHaveText(['Tartan Bank']);
  await expect.poll(async () => (await linkRecord(page)).events.at(-1)?.metadata.institution_search_query).toBe('tartan');
  await frame.getByRole('button', { name: 'Exit' }).click();
  await expect(page.getByTestId('status')).toHaveText('exit none');
  const rec = await linkRecord(page);
  expect(rec.exit).toMatchObject({ error: null, metadata: { institution: null, status: 'institution_not_found' } });
  expect(rec.events.map((e) => e.name)).toEqual(['OPEN', 'TRANSITION_VIEW', 'SEARCH_INSTITUTION', 'EXIT']);
  // Focus returns to the page, which is interactive again.
  await expect(page.getByRole('button', { name: 'Connect a bank' })).toBeFocused();

  // Opening the same handler again starts a new Link session.
  await page.getByRole('button', { name: 'Connect a bank' }).click();
  await expect.poll(async () => (await linkRecord(page)).events.filter((e) => e.name === 'OPEN').length).toBe(2);
  await expect(frame.getByRole('heading', { name: 'Select your bank' })).toBeVisible();
  const sessions = new Set((await linkRecord(page)).events.map((e) => e.metadata.link_session_id));
  expect(sessions.size).toBe(2);
});

test('open() before the Link UI has loaded is queued until it is ready', async ({ page, fx }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/emu/link/ui?*', async (route) => { await held; await route.continue(); });
  const token = await newLinkToken(fx);
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

test('exit() asks the user to confirm; exit({ force: true }) closes at once', async ({ page, fx }) => {
  const frame = await openLink(page, fx, '/', await newLinkToken(fx));
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

test('an unknown link token opens on an error and exits with INVALID_LINK_TOKEN', async ({ page, fx }) => {
  const frame = await openLink(page, fx, '/', 'link-sandbox-00000000-0000-4000-8000-000000000000');
  await expect(frame.getByRole('alert')).toBeVisible();
  await expect(frame.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await frame.getByRole('button', { name: 'Exit' }).last().click();
  await expect(page.getByTestId('status')).toHaveText('exit INVALID_LINK_TOKEN');
  const rec = await linkRecord(page);
  expect(rec.exit?.error).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_LINK_TOKEN' });
  expect(rec.events.map((e) => e.name)).toEqual(['OPEN', 'ERROR', 'TRANSITION_VIEW', 'EXIT']);
});
