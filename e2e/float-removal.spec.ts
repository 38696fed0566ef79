import { expect, test } from '@playwright/test';
import { SUPPORT_USER, signInThroughForm, signUpNewUser } from './fixtures';
import { linkFirstPlatypus } from './link-helpers';

const SHOTS = 'test-results/float';

test('removal is refused while a float is active; support force-removes it and the audit log shows why', async ({ page, browser, request, baseURL }) => {
  test.setTimeout(180_000);
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await linkFirstPlatypus(page);

  // Support finds the user and gives them a float.
  const supportContext = await browser.newContext();
  const support = await supportContext.newPage();
  await signInThroughForm(support, SUPPORT_USER);
  await expect(support).toHaveURL(/\/support$/, { timeout: 30_000 });
  await support.goto('/support');
  await support.getByLabel('Email, name, user id, item id, Plaid item id or institution').fill(user.email);
  await support.getByRole('button', { name: 'Search' }).click();
  await support.getByRole('link', { name: user.email }).click();
  await expect(support.getByRole('heading', { name: user.email })).toBeVisible({ timeout: 30_000 });
  const floatForm = support.getByRole('form', { name: 'Create a float' });
  // More than the main account holds (Plaid Checking: $100 available): refused, in a sentence.
  await floatForm.getByLabel('Amount (USD)').fill('125.00');
  await floatForm.getByLabel('Reason').fill('Advance before payday (e2e)');
  await floatForm.getByRole('button', { name: 'Create float' }).click();
  await floatForm.getByRole('button', { name: 'Confirm float of $125.00' }).click();
  await expect(floatForm.getByRole('alert')).toHaveText(
    'No float was created: the main account (Plaid Checking ending 0000 at First Platypus Bank) has $100.00 available, less than the $125.00 asked for.',
  );
  await floatForm.getByLabel('Amount (USD)').fill('75.00');
  await floatForm.getByLabel('Reason').fill('Advance before payday (e2e)');
  await floatForm.getByRole('button', { name: 'Create float' }).click();
  await floatForm.getByRole('button', { name: 'Confirm float of $75.00' }).click();
  await expect(support.getByRole('region', { name: 'Floats (cash advances)' })).toContainText('$75.00 · ACTIVE');

  // The user cannot remove the bank: the reason is shown.
  await page.getByRole('link', { name: 'First Platypus Bank' }).first().click();
  await page.getByRole('button', { name: 'Remove bank' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove First Platypus Bank?' });
  await expect(dialog).toContainText('active cash advance');
  await dialog.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(/You have an active cash advance of 75\.00 USD; repay it before removing a bank\./);
  await page.screenshot({ path: `${SHOTS}-01-remove-refused.png`, fullPage: true });

  // Support force-removes it, with a reason, and the audit log records it.
  await support.reload();
  await support.getByRole('button', { name: 'Force remove' }).click();
  const confirm = support.getByRole('dialog', { name: 'Force remove' });
  await confirm.getByLabel('Reason').fill('User asked to disconnect; float handled separately');
  await confirm.getByRole('button', { name: 'Confirm force remove' }).click();
  await expect(support.getByRole('region', { name: 'Bank connections' })).toContainText('Removed');
  await support.getByRole('navigation', { name: 'About this user' }).getByRole('link', { name: 'Audit log' }).click();
  const audit = support.getByRole('region', { name: 'Audit log' });
  await expect(audit).toContainText('Force-removed the bank');
  await expect(audit).toContainText('User asked to disconnect; float handled separately');
  await expect(audit).toContainText('Created a float');
  await expect(audit).toContainText(SUPPORT_USER.email);
  await support.screenshot({ path: `${SHOTS}-02-support-audit.png`, fullPage: true });
  await supportContext.close();

  await page.reload();
  await expect(page.locator('.badge-removed')).toHaveText('Removed');
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: 'No bank linked yet' })).toBeVisible();
});
