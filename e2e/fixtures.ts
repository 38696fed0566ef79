import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, type Page } from '@playwright/test';

export const DEMO_USER = { email: 'demo@tributary.local', password: 'tributary-demo' };
export const SUPPORT_USER = { email: 'support@tributary.local', password: 'tributary-demo' };

/** A brand-new user, made through the auth API (each test makes its own). */
export async function signUpNewUser(request: APIRequestContext, baseURL: string) {
  const user = { email: `e2e-${randomUUID()}@tributary.local`, password: `pw-${randomUUID()}`, name: 'E2E User' };
  const res = await request.post('/api/auth/sign-up/email', { data: user, headers: { origin: baseURL } });
  expect(res.ok(), await res.text()).toBe(true);
  return user;
}

export async function signInThroughForm(page: Page, user: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
