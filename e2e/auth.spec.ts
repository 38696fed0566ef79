import { expect, test } from '@playwright/test';
import { DEMO_USER, signInThroughForm, signUpNewUser } from './fixtures';

test('the sign-in page lists the demo accounts in emulator mode', async ({ page }) => {
  await page.goto('/sign-in');
  const demos = page.getByRole('complementary', { name: 'Demo accounts' });
  await expect(demos).toContainText('demo@tributary.local');
  await expect(demos).toContainText('support@tributary.local');
  await expect(demos).toContainText('tributary-demo');
});

test('signing in as the demo user reaches the dashboard shell', async ({ page }) => {
  await signInThroughForm(page, DEMO_USER);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: 'Your money' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(DEMO_USER.email);
  await page.screenshot({ path: 'test-results/dashboard-shell.png' });
});

test('a wrong password shows a clear error and creates no session', async ({ page, context }) => {
  await signInThroughForm(page, { email: DEMO_USER.email, password: 'not-the-password' });
  await expect(page.locator('form').getByRole('alert')).toHaveText(/email and password do not match/i);
  await expect(page).toHaveURL(/\/sign-in/);
  const cookies = await context.cookies();
  expect(cookies.filter((c) => c.name.includes('session_token'))).toEqual([]);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard/);
});

test('an anonymous visit to a signed-in page is redirected to sign-in and back', async ({ page, baseURL, request }) => {
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard/);
  const user = await signUpNewUser(request, baseURL!);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: 'No bank linked yet' })).toBeVisible();
});

test('a user visiting the support console gets a 403 page', async ({ page, baseURL, request }) => {
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  const response = await page.goto('/support');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'This page is for support staff' })).toBeVisible();
});

test('signing out ends the session', async ({ page }) => {
  await signInThroughForm(page, DEMO_USER);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/, { timeout: 15_000 });
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});
