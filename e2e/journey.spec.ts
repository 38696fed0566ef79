import { expect, test } from '@playwright/test';
import { signInThroughForm, signUpNewUser } from './fixtures';
import { linkFirstPlatypus, linkFrame, openTransactionsOnceSynced, logInToBank } from './link-helpers';

const SHOTS = 'test-results/journey';

test('links First Platypus Bank, sees its data after the sync, breaks the login and repairs it in update mode', async ({ page, request, baseURL }) => {
  test.setTimeout(300_000);
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page.getByRole('heading', { name: 'No bank linked yet' })).toBeVisible();

  await linkFirstPlatypus(page, SHOTS);
  const balances = page.getByRole('table', { name: 'Your bank and investment accounts' });
  await expect(balances).toContainText('Plaid Checking');
  await expect(balances).toContainText('$');
  await expect(page.getByRole('link', { name: 'First Platypus Bank' }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}-03-dashboard-linked.png`, fullPage: true });

  // Transactions arrive through the webhook-driven sync (SYNC_UPDATES_AVAILABLE → sync job).
  const rows = await openTransactionsOnceSynced(page);
  await expect(rows.first().locator('td').last()).toHaveText(/^[+−]\$[\d,]+\.\d{2}$/);
  await page.screenshot({ path: `${SHOTS}-04-transactions.png`, fullPage: true });
  await page.goto('/dashboard');
  await expect(page.getByRole('list', { name: 'Spending by category' })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}-05-dashboard-synced.png`, fullPage: true });

  // The bank asks for a new sign-in (simulated).
  await page.getByRole('link', { name: 'First Platypus Bank' }).first().click();
  await expect(page.getByRole('heading', { name: 'First Platypus Bank', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Simulate login expiry' }).click();
  const banner = page.getByRole('alert', { name: 'First Platypus Bank needs attention' });
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('needs you to sign in again');
  await page.goto('/dashboard');
  await expect(banner).toBeVisible();
  await page.screenshot({ path: `${SHOTS}-06-error-banner.png`, fullPage: true });

  // Reconnect: Link opens in update mode, straight at the item's bank.
  await banner.getByRole('button', { name: 'Reconnect' }).click();
  const frame = linkFrame(page);
  await expect(frame.getByRole('heading', { name: 'Log in to First Platypus Bank' })).toBeVisible();
  await frame.getByLabel('Username').fill('user_good');
  await frame.getByLabel('Password').fill('pass_good');
  await frame.getByRole('button', { name: 'Submit' }).click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByText('Connected').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}-07-repaired.png`, fullPage: true });
});

test('an error_ITEM_LOCKED password shows the bank’s error and links nothing', async ({ page, request, baseURL }) => {
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/link');
  await page.getByRole('button', { name: 'Continue to Plaid' }).click();
  const frame = linkFrame(page);
  await logInToBank(frame, 'First Platypus Bank', 'user_good', 'error_ITEM_LOCKED');
  await expect(frame.getByRole('alert')).toHaveText('The given credentials belong to a locked account.');
  await frame.getByRole('button', { name: 'Exit' }).last().click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('The given credentials belong to a locked account. Nothing was linked.');
  await page.screenshot({ path: 'test-results/item-locked.png', fullPage: true });
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: 'No bank linked yet' })).toBeVisible();
});
