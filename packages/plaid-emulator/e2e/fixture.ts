import { expect, test as base, type FrameLocator, type Page } from '@playwright/test';
import { Configuration, CountryCode, PlaidApi, Products } from 'plaid';
import { createEmulator } from '../src/index';
import type { LinkRecord } from './harness-app';
import { MOUNT, startHarness, type Harness } from './harness-server';

/**
 * Playwright fixture for the Link stand-in specs: per worker, one emulator mounted under the
 * harness server (127.0.0.1:0) and an official SDK client pointed at it; plus the steps the
 * specs share.
 */
export interface LinkFixture {
  harness: Harness;
  plaid: PlaidApi;
  close(): Promise<void>;
}

export async function startLinkFixture(): Promise<LinkFixture> {
  const emulator = createEmulator({ mountPath: MOUNT, seed: 'link-e2e', rateLimits: false });
  const harness = await startHarness((req) => emulator.handle(req));
  const plaid = new PlaidApi(new Configuration({
    basePath: harness.emulatorBase,
    baseOptions: { headers: { 'PLAID-CLIENT-ID': 'link-e2e', 'PLAID-SECRET': 'link-e2e-secret' } },
  }));
  return {
    harness,
    plaid,
    async close() {
      await harness.close();
      await emulator.close();
    },
  };
}

export const test = base.extend<object, { fx: LinkFixture }>({
  fx: [async ({}, use) => {
    const fx = await startLinkFixture();
    await use(fx);
    await fx.close();
  }, { scope: 'worker' }],
});
export { expect };

export const CDN_SCRIPT = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

export async function newLinkToken(fx: LinkFixture, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await fx.plaid.linkTokenCreate({
    client_name: 'Tributary',
    language: 'en',
    country_codes: [CountryCode.Us],
    user: { client_user_id: `user-${Date.now()}` },
    products: [Products.Transactions],
    ...extra,
  });
  return res.data.link_token;
}

export const linkRecord = (page: Page) => page.evaluate(() => window.__link as LinkRecord);
export const linkFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Plaid Link"]');

/** Loads the harness page at `path` with `token` and clicks its Link button. */
export async function openLink(page: Page, fx: LinkFixture, path: string, token: string): Promise<FrameLocator> {
  await page.goto(`${fx.harness.origin}${path}?token=${encodeURIComponent(token)}`);
  await page.getByRole('button', { name: 'Connect a bank' }).click();
  const frame = linkFrame(page);
  await expect(frame.getByRole('dialog')).toBeVisible();
  return frame;
}

/** Searches for `institution`, picks it and submits the credentials. */
export async function logIn(frame: FrameLocator, institution: string, username: string, password: string): Promise<void> {
  await frame.getByLabel('Search institutions').fill(institution.split(' ')[0]!);
  await frame.getByRole('button', { name: institution }).click();
  await frame.getByLabel('Username').fill(username);
  await frame.getByLabel('Password').fill(password);
  await frame.getByRole('button', { name: 'Submit' }).click();
}
