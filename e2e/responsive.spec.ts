import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { SUPPORT_USER, signInThroughForm, signUpNewUser } from './fixtures';
import { linkFirstPlatypus, linkFrame, openTransactionsOnceSynced } from './link-helpers';
import { axeViolations, checkPage, PHONE, sidewaysOverflow } from './page-checks';

test('every user page fits 1280 and 390 px without sideways scroll, passes axe, and speaks plainly', async ({ page, request, baseURL }) => {
  // Every user page at two widths with axe on each: about 5 minutes on CI's two cores.
  test.setTimeout(600_000);
  await page.goto('/sign-in');
  await checkPage(page, 'sign-in');
  // A favicon on every page (no 404 in the tab).
  const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect((await page.request.get(icon!)).status()).toBe(200);
  // An empty form says what is missing instead of "wrong password".
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('Enter your email and your password to sign in.');
  expect((await page.request.get('/favicon.ico')).status()).toBe(200);
  // The other pages a signed-out person meets.
  const signedOut = [
    ['sign-up', '/sign-up'], ['forgot-password', '/forgot-password'],
    ['reset-password-bad-link', '/reset-password?link=not-a-link'], ['unsubscribe-bad-link', '/unsubscribe?token=not-a-token'],
  ] as const;
  for (const [name, path] of signedOut) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await checkPage(page, name);
  }

  const user = await signUpNewUser(request, baseURL!);
  // A reset email for this person: the development inbox walked below then holds a message (as it
  // does after the other specs), shown in a sandboxed frame.
  await page.goto('/forgot-password');
  await page.getByLabel('Email').fill(user.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText(`If ${user.email} has a Tributary account`);
  await checkPage(page, 'forgot-password-sent');
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await checkPage(page, 'dashboard-empty');

  // The phone menu: closed, it hides the links; open, they fit and the current page is marked.
  await page.setViewportSize(PHONE);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'e2e/screenshots/menu-open-390.png' });

  // Link on a phone: the modal fits the window.
  await page.goto('/link');
  await checkPage(page, 'link');
  await page.setViewportSize(PHONE);
  await page.getByRole('button', { name: 'Continue to Plaid' }).click();
  const dialog = linkFrame(page).getByRole('dialog');
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({ path: 'e2e/screenshots/link-modal-390.png' });
  await linkFirstPlatypus(page);
  await openTransactionsOnceSynced(page);

  // Transactions: a total, numbered pages, a detail view, and a CSV of the same filter.
  await page.goto('/transactions');
  const pager = page.getByRole('navigation', { name: 'Pages' }).getByRole('status');
  await expect(pager).toHaveText(/^1–50 of [\d,]+ · page 1 of \d+$/);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toHaveText(/^51–100 of [\d,]+ · page 2 of \d+$/);
  await page.locator('tr.tx-row button.linklike').first().click();
  const detail = page.getByRole('dialog');
  await expect(detail).toContainText('Account');
  await page.screenshot({ path: 'e2e/screenshots/transaction-detail-390.png' });
  await detail.getByRole('button', { name: 'Close' }).click();
  const csv = await page.request.get('/transactions/export');
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect((await csv.text()).split('\r\n')[0]).toBe('Date,Description,Merchant,Category,Amount,Currency,Status');

  // Net worth over 90 days from stored balances: today's point is the net worth shown above it, the
  // days before the bank was linked are worked back from its transactions (dashed, called estimates).
  await page.goto('/dashboard');
  const history = page.getByRole('region', { name: 'Net worth, last 90 days' });
  const chart = history.getByRole('img');
  await expect(chart).toHaveAttribute('data-points', '90');
  const netWorth = await page.getByRole('region', { name: 'Net worth', exact: true }).locator('.big-number').innerText();
  await expect(chart).toHaveAccessibleName(new RegExp(`and is ${netWorth.replace(/[$.]/g, '\\$&')} on `));
  const ys = ((await chart.locator('path.net-worth-line.estimated').getAttribute('d')) ?? '').split(' ').map((p) => Number(p.split(',')[1]));
  expect(ys.length).toBe(90);
  expect(new Set(ys).size, 'the estimated days follow the transactions').toBeGreaterThan(1);
  await expect(history).toContainText('is an estimate');
  await history.getByText('Show as a table').click();
  await expect(history.getByRole('table').locator('tbody tr')).toHaveCount(13);
  await expect(history.getByRole('table').locator('tbody tr').last()).toContainText(netWorth);

  for (const [name, path] of [['dashboard', '/dashboard'], ['banks', '/items'], ['transactions', '/transactions']] as const) {
    await page.goto(path);
    await checkPage(page, name);
  }
  // The other signed-in pages: email settings, an email button that does not work, an OAuth return
  // with nothing to resume, and the development inbox.
  const others = [
    ['settings-notifications', '/settings/notifications'], ['email-link-broken', '/n/not-a-real-link'],
    ['oauth-return-expired', '/oauth-return'], ['dev-mailbox', '/dev/mailbox'],
  ] as const;
  for (const [name, path] of others) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await checkPage(page, name);
  }
  // The reset email as its reader gets it: the inbox lists it, and its HTML, opened as a page, passes axe.
  await page.goto('/dev/mailbox');
  const mail = page.getByRole('list', { name: 'Messages' }).getByRole('link').filter({ hasText: `To ${user.email}` }).first();
  await mail.click();
  const frameSrc = await page.locator('iframe.mailbox-html').getAttribute('src');
  await page.goto(frameSrc!);
  expect(await axeViolations(page), 'the reset email').toEqual([]);
  await page.goto('/items');
  await page.getByRole('link', { name: 'First Platypus Bank' }).first().click();
  await expect(page).toHaveURL(/\/items\/[0-9a-f-]{36}$/);
  await checkPage(page, 'bank');

  // A date that is no date: the filter is dropped and the person is told, in words.
  await page.goto('/transactions?from=2026-02-31&to=yesterday');
  await expect(page.getByRole('status').filter({ hasText: 'We ignored the start date' })).toContainText('Dates look like 2026-01-31');
  await checkPage(page, 'transactions-bad-dates');

  // Unknown, malformed and other people's bank ids: one styled page, HTTP 404.
  for (const path of [`/items/${randomUUID()}`, '/items/not-an-id', '/no-such-page']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { name: 'We could not find that page' })).toBeVisible();
  }
  await checkPage(page, 'not-found');

  // The support console is not for customers: a plain page, HTTP 403, no code in the heading.
  const forbidden = await page.goto('/support');
  expect(forbidden?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is for support staff');
  await checkPage(page, 'forbidden');
});

test('every support page fits 1280 and 390 px without sideways scroll and passes axe; a too-long id is a plain 404', async ({ page, request, baseURL }) => {
  test.setTimeout(480_000);
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, SUPPORT_USER);
  await expect(page).toHaveURL(/\/support$/);
  await checkPage(page, 'support-home');
  await page.goto(`/support?q=${encodeURIComponent(user.email)}`);
  await checkPage(page, 'support-search');
  await page.getByRole('link', { name: user.email }).first().click();
  await expect(page).toHaveURL(/\/support\/users\//);
  await checkPage(page, 'support-user');
  for (const tab of ['Item timeline', 'Webhooks', 'Syncs and jobs', 'Link sessions', 'Notifications', 'Audit log']) {
    await page.getByRole('navigation', { name: 'About this user' }).getByRole('link', { name: tab }).click();
    await expect(page.getByRole('navigation', { name: 'About this user' }).getByRole('link', { name: tab })).toHaveAttribute('aria-current', 'page');
    await checkPage(page, `support-user-${tab.toLowerCase().replace(/ /g, '-')}`);
  }
  const pages = [
    ['support-items-errors', '/support/items'], ['support-items-active', '/support/items?status=ACTIVE'], ['support-items-search', '/support/items?q=Platypus'],
    ['support-webhooks', '/support/webhooks'], ['support-syncs', '/support/syncs'], ['support-sync-failures', '/support/syncs?failed=1'],
    ['support-audit', '/support/audit'], ['support-institutions', '/support/institutions'], ['support-streams', '/support/streams'],
    ['support-link-conversion', '/support/link-conversion'], ['support-link-conversion-90-days', `/support/link-conversion?from=${new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10)}`],
    ['support-ops-hour', '/support/ops'], ['support-ops-day', '/support/ops?window=day'],
  ] as const;
  for (const [name, path] of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await checkPage(page, name);
  }
  // From the items list to one item's timeline: its link, webhooks and syncs in one list, oldest first.
  await page.goto('/support/items?status=ACTIVE');
  // Other specs' banks share this list: take the first row with a First Platypus timeline link.
  const timelineLink = page.getByRole('link', { name: /^First Platypus Bank ?: timeline$/ });
  const row = page.getByRole('row').filter({ has: timelineLink }).first();
  const toTimeline = row.getByRole('link', { name: /^First Platypus Bank ?: timeline$/ });
  const itemId = new URL((await toTimeline.getAttribute('href'))!, baseURL).searchParams.get('item')!;
  await expect(row).toContainText(`item ${itemId}`);
  await toTimeline.click();
  await expect(page).toHaveURL(new RegExp(`/support/users/[^?]+\\?tab=timeline&item=${itemId}$`));
  await expect(page.getByRole('navigation', { name: 'About this user' }).getByRole('link', { name: 'Item timeline' })).toHaveAttribute('aria-current', 'page');
  const timeline = page.getByRole('list', { name: 'Timeline of First Platypus Bank' });
  await expect(timeline.locator('li').first()).toBeVisible();
  const kinds = await timeline.locator('.tl-kind').allTextContents();
  for (const kind of ['Link', 'Webhook', 'Sync']) expect(kinds, `the timeline shows ${kind} events`).toContain(kind);
  const times = (await timeline.locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!))).map((t) => Date.parse(t));
  expect(times.length).toBe(kinds.length);
  expect(times, 'oldest first').toEqual([...times].sort((a, b) => a - b));
  expect(kinds[0], 'the timeline starts with Link').toBe('Link');
  await checkPage(page, 'support-item-timeline-from-items');

  // Every user's syncs, with the bank and its owner (the first test's bank synced).
  await page.goto('/support/syncs');
  await expect(page.getByRole('table', { name: 'Sync runs' })).toContainText('First Platypus Bank');
  // One search box also finds bank connections (the first test linked First Platypus Bank).
  await page.goto('/support?q=First%20Platypus');
  await expect(page.getByRole('region', { name: /Bank connections/ })).toContainText('First Platypus Bank');
  await page.goto('/support/webhooks');
  await page.locator('details.webhook summary').first().click();
  await expect(page.locator('details.webhook dl').first()).toBeVisible();
  await checkPage(page, 'support-webhook-open');
  const res = await page.goto(`/support/users/${'x'.repeat(400)}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We could not find that page' })).toBeVisible();
  await checkPage(page, 'support-unknown-user');
});
