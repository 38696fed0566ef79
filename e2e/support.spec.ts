import { expect, test } from '@playwright/test';
import { SUPPORT_USER, signInThroughForm } from './fixtures';

test('a support user lands on the support console after signing in', async ({ page }) => {
  await signInThroughForm(page, SUPPORT_USER);
  await expect(page).toHaveURL(/\/support$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Support' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'Support console' })).toBeVisible();
});
