import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { describeLeaks, type KnownSecret, scanAll } from '../test/support/secret-scan';
import { SUPPORT_USER, signInThroughForm, signUpNewUser } from './fixtures';
import { linkFirstPlatypus, linkFrame, openTransactionsOnceSynced } from './link-helpers';
import { E2E_PLAID_CLIENT_ID, E2E_PLAID_SECRET } from './plaid-credentials';

/**
 * The leak scan in the browser: a user links a bank, waits for the sync, breaks and repairs the
 * login; support looks the user up. Every user and support page's HTML and every response body
 * the app sends the browser is searched for the access tokens, public tokens, Plaid secret and
 * full account/routing numbers the emulator holds (the truth, read from its state file), and for
 * anything shaped like a Plaid token. The emulator's own routes (/api/plaid-emulator/…) are Plaid's
 * side — in production, Plaid's servers and Link — and are not the app's to scan.
 */

const DATA_DIR = process.env.E2E_DATA_DIR ?? '.test-data/e2e';
const EMULATOR_MOUNT = '/api/plaid-emulator/';

type Seen = { where: string; text: string };

/** Records every response body the app sends to pages of this context (Plaid's side excluded). */
function recordResponses(context: BrowserContext, origin: string, seen: Seen[]) {
  const pending: Array<Promise<void>> = [];
  context.on('response', (res) => {
    const url = new URL(res.url());
    if (url.origin !== origin || url.pathname.startsWith(EMULATOR_MOUNT)) return;
    const where = `response ${res.request().method()} ${url.pathname}${url.search} (${res.status()})`;
    // Redirects and aborted requests have no body to read.
    pending.push(res.body().then((b) => void seen.push({ where, text: b.toString('utf8') }), () => undefined));
  });
  return () => Promise.all(pending);
}

async function snapshot(page: Page, seen: Seen[], pages: string[]) {
  const url = new URL(page.url());
  pages.push(url.pathname);
  seen.push({ where: `page ${url.pathname}${url.search}`, text: await page.content() });
}

interface EmulatorState {
  accessTokens: Record<string, string>;
  publicTokens: Record<string, unknown>;
  items: Record<string, { accounts: Array<{ account: { name: string; mask: string | null }; numbers: { account: string; routing: string; wireRouting: string } | null }> }>;
}

/** Every secret the mounted emulator ever handed out, from its persisted state. */
function emulatorSecrets(): { secrets: KnownSecret[]; accessTokens: string[]; state: EmulatorState } {
  const state = JSON.parse(readFileSync(path.resolve(DATA_DIR, 'emulator/state.json'), 'utf8')) as EmulatorState;
  const accessTokens = Object.keys(state.accessTokens);
  const numbers = new Map<string, string>();
  for (const item of Object.values(state.items)) {
    for (const a of item.accounts) {
      if (!a.numbers) continue;
      numbers.set(a.numbers.account, `an account number (${a.account.name})`);
      if (!numbers.has(a.numbers.routing)) numbers.set(a.numbers.routing, 'a routing number');
      if (!numbers.has(a.numbers.wireRouting)) numbers.set(a.numbers.wireRouting, 'a wire routing number');
    }
  }
  const secrets: KnownSecret[] = [
    ...accessTokens.map((value) => ({ label: 'an access token', value })),
    ...Object.keys(state.publicTokens).map((value) => ({ label: 'a public token', value })),
    ...[...numbers].map(([value, label]) => ({ label, value })),
    { label: 'the Plaid secret', value: E2E_PLAID_SECRET },
  ];
  return { secrets, accessTokens, state };
}

test('no page, and no response the browser receives, carries a token, the Plaid secret or a full account/routing number', async ({ page, request, browser, baseURL }) => {
  test.setTimeout(300_000);
  const origin = new URL(baseURL!).origin;
  const seen: Seen[] = [];
  const pages: string[] = [];
  const settled = [recordResponses(page.context(), origin, seen)];

  // The user's journey: link, data after the sync, login broken and repaired in update mode.
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page.getByRole('heading', { name: 'No bank linked yet' })).toBeVisible();
  await snapshot(page, seen, pages);
  await linkFirstPlatypus(page);
  await snapshot(page, seen, pages);
  await openTransactionsOnceSynced(page);
  await snapshot(page, seen, pages);
  await page.goto('/dashboard');
  await expect(page.getByRole('list', { name: 'Spending by category' })).toBeVisible({ timeout: 30_000 });
  await snapshot(page, seen, pages);
  await page.goto('/items');
  await snapshot(page, seen, pages);
  await page.getByRole('link', { name: 'First Platypus Bank' }).first().click();
  await expect(page.getByRole('heading', { name: 'First Platypus Bank', level: 1 })).toBeVisible();
  await snapshot(page, seen, pages);
  await page.getByRole('button', { name: 'Simulate login expiry' }).click();
  const banner = page.getByRole('alert', { name: 'First Platypus Bank needs attention' });
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await snapshot(page, seen, pages);
  await banner.getByRole('button', { name: 'Reconnect' }).click();
  const frame = linkFrame(page);
  await frame.getByLabel('Username').fill('user_good');
  await frame.getByLabel('Password').fill('pass_good');
  await frame.getByRole('button', { name: 'Submit' }).click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  await snapshot(page, seen, pages);
  await page.goto('/link');
  await snapshot(page, seen, pages);

  // Support looks the user up, then at institutions and streams.
  const supportContext = await browser.newContext();
  settled.push(recordResponses(supportContext, origin, seen));
  const support = await supportContext.newPage();
  await signInThroughForm(support, SUPPORT_USER);
  await expect(support).toHaveURL(/\/support$/, { timeout: 30_000 });
  await support.goto(`/support?q=${encodeURIComponent(user.email)}`);
  await snapshot(support, seen, pages);
  await support.getByRole('link', { name: user.email }).click();
  await expect(support).toHaveURL(/\/support\/users\//);
  await expect(support.getByText('First Platypus Bank').first()).toBeVisible();
  await snapshot(support, seen, pages);
  await support.goto('/support/institutions');
  await expect(support.getByRole('heading', { name: 'Institutions', level: 1 })).toBeVisible();
  await snapshot(support, seen, pages);
  await support.goto('/support/streams');
  await expect(support.getByRole('heading', { name: 'Streams', level: 1 })).toBeVisible();
  await snapshot(support, seen, pages);
  await supportContext.close();
  await Promise.all(settled.map((s) => s()));

  // The truth: the emulator's secrets. The access token and the Plaid secret are the real ones:
  // the emulator answers an API call made with them.
  const { secrets, accessTokens } = emulatorSecrets();
  expect(accessTokens.length).toBeGreaterThan(0);
  const proof = await request.post(`${EMULATOR_MOUNT}accounts/get`, {
    data: { client_id: E2E_PLAID_CLIENT_ID, secret: E2E_PLAID_SECRET, access_token: accessTokens.at(-1) },
  });
  expect(proof.status(), await proof.text()).toBe(200);
  expect(secrets.filter((s) => s.label.startsWith('an account number')).length).toBeGreaterThan(0);
  expect(secrets.filter((s) => s.label === 'a public token').length).toBeGreaterThanOrEqual(2); // new item + update mode

  // The scan covered every page and looked where the numbers would be (the masks are shown).
  expect(new Set(pages.map((p) => p.replace(/[0-9a-f-]{36}/g, ':id')))).toEqual(
    new Set(['/dashboard', '/transactions', '/items', '/items/:id', '/link', '/support', '/support/users/:id', '/support/institutions', '/support/streams']),
  );
  expect(seen.some((s) => s.where.startsWith('page /items/') && s.text.includes('0000'))).toBe(true);
  expect(seen.filter((s) => s.where.startsWith('response ')).length).toBeGreaterThan(20);
  expect(seen.some((s) => s.where.includes('/api/trpc/'))).toBe(true);
  const leaks = scanAll(seen, secrets);
  console.log(`leak scan (browser): ${pages.length} page snapshots, ${seen.length - pages.length} response bodies, ${secrets.length} secrets + token shapes: ${leaks.length} leak(s)`);
  expect(describeLeaks(leaks)).toBe('no leaks');
});
