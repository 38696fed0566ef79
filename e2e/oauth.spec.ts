import { expect, test } from '@playwright/test';
import { signInThroughForm, signUpNewUser } from './fixtures';
import { linkFrame } from './link-helpers';

// The e2e server runs on the plain embedded default (no PLAID_REDIRECT_URI): against the emulator the
// link token's redirect_uri defaults to the app's own /oauth-return, so OAuth banks link out of the box.

test('an OAuth bank goes out to the bank and back to /oauth-return, where Link resumes and the bank is linked', async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/link');
  await page.getByRole('button', { name: 'Continue to Plaid' }).click();
  const frame = linkFrame(page);
  await frame.getByLabel('Search institutions').fill('Platypus OAuth');
  await frame.getByRole('button', { name: 'Platypus OAuth Bank' }).click();
  await frame.getByRole('button', { name: 'Continue to log in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(/\/oauth-return\?oauth_state_id=/);
  await expect(page.getByRole('heading', { name: 'Finishing with your bank…' })).toBeVisible();
  const resumed = linkFrame(page);
  await expect(resumed.getByRole('heading', { name: 'Select accounts' })).toBeVisible({ timeout: 30_000 });
  await resumed.getByRole('button', { name: 'Continue' }).click();
  await resumed.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 30_000 });
  await expect(page.getByRole('link', { name: 'Platypus OAuth Bank' }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/oauth-linked.png', fullPage: true });
});
