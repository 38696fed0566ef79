import { expect, test } from '@playwright/test';
import { SUPPORT_USER, signInThroughForm, signUpNewUser } from './fixtures';
import { linkFirstPlatypus, linkFrame, logInToBank, openTransactionsOnceSynced } from './link-helpers';
import { checkPage } from './page-checks';

test('a duplicate link gets one clear message, a removed bank keeps its transactions, and support reads it all on the item timeline', async ({ page, browser, request, baseURL }) => {
  test.setTimeout(600_000); // generous: the machine is shared, and a loaded one is several times slower
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  // A first attempt the bank refuses: an exit the conversion page counts by reason, error and bank.
  await page.goto('/link');
  await page.getByRole('button', { name: 'Continue to Plaid' }).click();
  await logInToBank(linkFrame(page), 'First Platypus Bank', 'user_good', 'error_ITEM_LOCKED');
  await linkFrame(page).getByRole('button', { name: 'Exit' }).last().click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('Nothing was linked.');
  await linkFirstPlatypus(page);
  await openTransactionsOnceSynced(page);
  // Read the total once the whole history is in (the dashboard stops showing the first sync's progress).
  await expect(async () => {
    await page.goto('/dashboard');
    await expect(page.getByRole('heading', { name: 'Fetching your transactions' })).toHaveCount(0);
  }).toPass({ timeout: 180_000, intervals: [2_000, 3_000, 5_000] });
  await page.goto('/transactions');
  const pager = page.getByRole('navigation', { name: 'Pages' }).getByRole('status');
  const total = (await pager.textContent())!.match(/of ([\d,]+)/)![1];

  // The same bank again: one plain message, and never "Connecting…" on the way.
  await page.goto('/link');
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seenTexts: string[] }).seenTexts = seen;
    new MutationObserver(() => seen.push(document.querySelector('main')?.textContent ?? '')).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('button', { name: 'Continue to Plaid' }).click();
  const frame = linkFrame(page);
  await expect(frame.getByRole('dialog')).toBeVisible({ timeout: 30_000 });
  await logInToBank(frame, 'First Platypus Bank', 'user_good', 'pass_good');
  await frame.getByRole('button', { name: 'Continue' }).click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  const note = page.getByRole('status').filter({ hasText: 'already linked' });
  await expect(note).toHaveText('First Platypus Bank is already linked to your account. Nothing new was added, and your existing connection is unchanged. See that bank');
  expect((await page.evaluate(() => (window as unknown as { seenTexts: string[] }).seenTexts)).some((t) => t.includes('Connecting'))).toBe(false);
  await expect(page).toHaveURL(/\/link$/);
  await checkPage(page, 'link-duplicate');
  await page.goto('/items');
  await expect(page.getByRole('link', { name: 'First Platypus Bank' })).toHaveCount(1);

  // Remove the bank: the dialog says its transactions are kept, and they are.
  await page.getByRole('link', { name: 'First Platypus Bank' }).click();
  await page.getByRole('button', { name: 'Remove bank' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove First Platypus Bank?' });
  await expect(dialog).toContainText('Transactions already here are kept.');
  await dialog.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'was removed' })).toBeVisible({ timeout: 30_000 });
  await page.goto('/transactions');
  await expect(pager).toHaveText(new RegExp(`^1–50 of ${total} · page 1 of \\d+$`));
  await expect(page.locator('tr.tx-row').first()).toBeVisible();
  await checkPage(page, 'transactions-after-removal');

  // Support: the item's whole story in one list, and Link conversion drawn as a funnel.
  const staffContext = await browser.newContext(); // axe needs a page of its own context
  const staff = await staffContext.newPage();
  await signInThroughForm(staff, SUPPORT_USER);
  await expect(staff).toHaveURL(/\/support$/);
  await staff.goto(`/support?q=${encodeURIComponent(user.email)}`);
  await staff.getByRole('link', { name: user.email }).first().click();
  await staff.getByRole('navigation', { name: 'About this user' }).getByRole('link', { name: 'Item timeline' }).click();
  await expect(staff.getByRole('navigation', { name: 'About this user' }).getByRole('link', { name: 'Item timeline' })).toHaveAttribute('aria-current', 'page');
  const timeline = staff.getByRole('list', { name: 'Timeline of First Platypus Bank' });
  await expect(timeline).toContainText('Linked First Platypus Bank');
  await expect(timeline).toContainText('Link opened');
  await expect(timeline).toContainText('Sync succeeded');
  await expect(timeline).toContainText('Status active → removed');
  await expect(timeline).toContainText('Removed the bank');
  // Oldest first: the Link session that made the item, then the item, and its removal last.
  const entries = await timeline.getByRole('listitem').locator('.tl-title').allTextContents();
  expect(entries.length).toBeGreaterThan(6);
  expect(entries[0]).toBe('Link opened');
  expect(entries.indexOf('Linked First Platypus Bank')).toBeLessThan(entries.indexOf('Status active → removed'));
  expect(entries.indexOf('Sync succeeded')).toBeLessThan(entries.indexOf('Removed the bank'));
  await checkPage(staff, 'support-item-timeline');

  await staff.getByRole('navigation', { name: 'Support console' }).getByRole('link', { name: 'Link conversion' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: 'Link conversion' })).toBeVisible();
  const funnel = staff.getByRole('list', { name: 'Link conversion funnel' });
  await expect(funnel.getByRole('listitem')).toHaveCount(4);
  await expect(funnel.getByRole('listitem').first()).toContainText('Opened Link');
  await expect(funnel.locator('svg polygon')).toHaveCount(4);
  await expect(staff.getByRole('region', { name: 'By error' })).toContainText('Item locked');
  await expect(staff.getByRole('region', { name: 'By bank' })).toContainText('First Platypus Bank');
  await checkPage(staff, 'support-link-conversion-after-links');

  // Institutions' health as Plaid reports it: the bank Link shows as down is down here too.
  await staff.goto('/support/institutions');
  await staff.getByRole('button', { name: 'Check now (Unhealthy Platypus Bank - Down)' }).click();
  await expect(staff.getByRole('status')).toHaveText('Plaid reports Unhealthy Platypus Bank - Down as down.');
  const down = staff.getByRole('row', { name: /Unhealthy Platypus Bank - Down/ });
  await expect(down).toContainText('Down');
  await expect(down).toContainText('Sign-ins down');
  await expect(down).toContainText('Incident: Unhealthy Platypus Bank - Down is down');
  await checkPage(staff, 'support-institutions-checked');
  await staffContext.close();
});
