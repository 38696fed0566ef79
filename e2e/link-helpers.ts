import { expect, type FrameLocator, type Page } from '@playwright/test';

/** The emulated Plaid Link overlay (the stand-in's iframe). */
export const linkFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Plaid Link"]');

/** In Link: pick the bank by search and sign in. */
export async function logInToBank(frame: FrameLocator, institution: string, username: string, password: string) {
  await frame.getByLabel('Search institutions').fill(institution.split(' ')[0]!);
  await frame.getByRole('button', { name: institution }).click();
  await frame.getByLabel('Username').fill(username);
  await frame.getByLabel('Password').fill(password);
  await frame.getByRole('button', { name: 'Submit' }).click();
}

/** From the pre-Link screen through Link to the dashboard: a new First Platypus Bank item. */
export async function linkFirstPlatypus(page: Page, shots?: string) {
  await page.goto('/link');
  await expect(page.getByRole('heading', { name: 'Link your bank' })).toBeVisible();
  if (shots) await page.screenshot({ path: `${shots}-01-pre-link.png`, fullPage: true });
  await page.getByRole('button', { name: 'Continue to Plaid' }).click();
  const frame = linkFrame(page);
  await expect(frame.getByRole('dialog')).toBeVisible({ timeout: 30_000 });
  await logInToBank(frame, 'First Platypus Bank', 'user_good', 'pass_good');
  await expect(frame.getByRole('heading', { name: 'Select accounts' })).toBeVisible();
  if (shots) await page.screenshot({ path: `${shots}-02-link-accounts.png` });
  await frame.getByRole('button', { name: 'Continue' }).click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 30_000 });
  await expect(page.getByRole('link', { name: 'First Platypus Bank' }).first()).toBeVisible();
}

/** Opens /transactions and reloads until the webhook-driven sync has brought rows; returns the rows. */
export async function openTransactionsOnceSynced(page: Page) {
  await page.goto('/transactions');
  const rows = page.getByRole('table', { name: 'Your transactions, newest first' }).locator('tbody tr.tx-row');
  await expect(async () => {
    await page.reload();
    await expect(rows.first()).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 180_000, intervals: [2_000, 3_000, 5_000] });
  return rows;
}
