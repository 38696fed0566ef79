import { expect, test } from '@playwright/test';
import { SUPPORT_USER, signInThroughForm } from './fixtures';

test('a support user reaches the support console', async ({ page }) => {
  await signInThroughForm(page, SUPPORT_USER);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('link', { name: 'Support' }).click();
  await expect(page.getByRole('heading', { name: 'Support console' })).toBeVisible();
});
