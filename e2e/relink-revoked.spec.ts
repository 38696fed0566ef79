import { expect, test } from '@playwright/test';
import { signInThroughForm, signUpNewUser } from './fixtures';
import { linkFirstPlatypus } from './link-helpers';

const SHOTS = 'test-results/relink';

/**
 * A person withdraws Tributary's access at their bank (Plaid: USER_PERMISSION_REVOKED, fired by the
 * mounted emulator's item control to the app's real webhook receiver), sees that the bank is no
 * longer connected, links it again, and gets a new live connection — while the old one's history
 * stays readable and stops asking to be linked again ("Replaced by your new connection").
 */
test('a revoked bank can be linked again; the old connection keeps its history', async ({ page, request, baseURL }) => {
  test.setTimeout(240_000);
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  // The Plaid item this test links: the one the emulator did not hold before.
  const emulatorItems = async () => {
    const listed = await request.get('/api/plaid-emulator/emulator/items');
    expect(listed.ok()).toBe(true);
    return ((await listed.json()) as { items: { item_id: string; institution_id: string }[] }).items;
  };
  const before = new Set((await emulatorItems()).map((i) => i.item_id));
  await linkFirstPlatypus(page);
  const linked = (await emulatorItems()).filter((i) => i.institution_id === 'ins_109508' && !before.has(i.item_id));
  expect(linked).toHaveLength(1);
  const plaidItem = linked[0]!;
  const revoked = await request.post('/api/plaid-emulator/emulator/items/error', { data: { item_id: plaidItem.item_id, error_code: 'USER_PERMISSION_REVOKED' } });
  expect(revoked.ok(), await revoked.text()).toBe(true);

  // The webhook reaches the app; the dashboard says the bank is no longer connected and offers to link it again.
  const banner = page.getByRole('alert', { name: 'Tributary no longer has access to First Platypus Bank' });
  await expect(async () => {
    await page.goto('/dashboard');
    await expect(banner).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] });
  await expect(banner).toContainText('until you link it again');
  await page.screenshot({ path: `${SHOTS}-01-revoked.png`, fullPage: true });
  await page.goto('/items');
  const oldLink = page.getByRole('link', { name: 'First Platypus Bank' });
  await expect(oldLink).toHaveCount(1);
  const oldHref = await oldLink.getAttribute('href');

  // Link again leads to Link; the same bank links as a new connection (no "already linked").
  await page.goto('/dashboard');
  await banner.getByRole('link', { name: 'Link again' }).click();
  await expect(page).toHaveURL(/\/link$/);
  await linkFirstPlatypus(page);
  await expect(page.getByText(/already linked/i)).toHaveCount(0);

  // The old connection no longer asks to be linked again: no banner on the dashboard, and its card says it was replaced.
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: 'Your banks' })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Link again' })).toHaveCount(0);
  await expect(page.locator('li.bank-card').filter({ hasText: 'Access revoked' })).toContainText('Replaced by your new connection');

  await page.goto('/items');
  const cards = page.locator('li.bank-card');
  await expect(cards).toHaveCount(2);
  await expect(cards.filter({ hasText: 'Connected' })).toHaveCount(1);
  await expect(cards.filter({ hasText: 'Access revoked' })).toHaveCount(1);
  await expect(cards.filter({ hasText: 'Access revoked' })).toContainText('Replaced by your new connection');
  await page.screenshot({ path: `${SHOTS}-02-two-connections.png`, fullPage: true });

  // The new connection is live, with its accounts; the old one's accounts are still there to read.
  const newHref = await cards.filter({ hasText: 'Connected' }).getByRole('link', { name: 'First Platypus Bank' }).getAttribute('href');
  expect(newHref).not.toBe(oldHref);
  await page.goto(newHref!);
  await expect(page.locator('.badge-active')).toHaveText('Connected');
  await expect(page.getByRole('table', { name: 'Accounts at First Platypus Bank' })).toContainText('Plaid Checking');
  // Plaid gives the credit card no available balance (null): said in words, never "null", NaN or $0.00.
  const card = page.getByRole('table', { name: 'Accounts at First Platypus Bank' }).getByRole('row', { name: /Plaid Credit Card/ });
  await expect(card.locator('td[data-label="Available"]')).toHaveText('Not reported by bank');
  await expect(card).not.toContainText(/null|NaN|\$0\.00/);
  await page.goto(oldHref!);
  await expect(page.locator('.badge-revoked')).toHaveText('Access revoked');
  await expect(page.getByRole('table', { name: 'Accounts at First Platypus Bank' })).toContainText('Plaid Checking');
  // Its page says what took its place, in words, and leads there; nothing asks to link it again.
  const replaced = page.getByRole('region', { name: 'First Platypus Bank: replaced by your new connection' });
  await expect(replaced).toContainText('Replaced by your new connection to this bank.');
  await expect(page.locator('main').getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Link again' })).toHaveCount(0);
  await expect(replaced.getByRole('link', { name: 'Go to the new connection' })).toHaveAttribute('href', newHref!);
  await page.screenshot({ path: `${SHOTS}-03-old-history.png`, fullPage: true });
});
