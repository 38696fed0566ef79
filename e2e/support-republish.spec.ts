import { expect, test } from '@playwright/test';
import { SUPPORT_USER, signInThroughForm, signUpNewUser } from './fixtures';
import { linkFirstPlatypus } from './link-helpers';

test('support re-publishes a bank connection to the streams, with a reason, and sees what was sent', async ({ page, request, baseURL }) => {
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await linkFirstPlatypus(page);
  await page.context().clearCookies();

  await signInThroughForm(page, SUPPORT_USER);
  await expect(page).toHaveURL(/\/support$/);
  await page.getByLabel('Email, name, user id, item id, Plaid item id or institution').fill(user.email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: user.email }).click();
  await expect(page).toHaveURL(/\/support\/users\//);

  const bank = page.getByRole('article', { name: 'First Platypus Bank' });
  await bank.getByRole('button', { name: 'Re-publish to streams' }).click();
  const dialog = page.getByRole('dialog', { name: 'Re-publish to streams' });
  await expect(dialog.getByRole('heading', { name: 'Re-publish everything we hold for First Platypus Bank to the data streams?' })).toBeVisible();
  await dialog.getByLabel('Reason').fill('Data team lost a partition');
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/support-republish-dialog-${width}.png` });
  }
  await dialog.getByRole('button', { name: 'Confirm re-publish to streams' }).click();
  await expect(bank.getByRole('status')).toHaveText(/^Re-published \d+ accounts? and \d+ transactions? to the streams\.$/);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/support-republish-done-${width}.png`, fullPage: true });
  }
});
