import { expect, test } from '@playwright/test';
import { SUPPORT_USER, signInThroughForm } from './fixtures';

test('support sees institutions with their health and the streams with backlog and throughput', async ({ page }) => {
  await signInThroughForm(page, SUPPORT_USER);
  await expect(page).toHaveURL(/\/support$/);
  await page.goto('/support/institutions');
  await expect(page.getByRole('heading', { name: 'Institutions', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Support console' }).getByRole('link', { name: 'Institutions' })).toHaveAttribute('aria-current', 'page');
  await page.screenshot({ path: 'test-results/support-institutions.png', fullPage: true });
  await page.goto('/support/streams');
  await expect(page.getByRole('heading', { name: 'Streams', level: 1 })).toBeVisible();
  await expect(page.getByText('Waiting to publish').first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: 'test-results/support-streams.png', fullPage: true });
});
