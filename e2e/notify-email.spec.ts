import { expect, request as playwrightRequest, test } from '@playwright/test';
import { signInThroughForm, signUpNewUser } from './fixtures';
import { linkFirstPlatypus, linkFrame } from './link-helpers';
import { headerOfOpenMail, messagesTo, openMail } from './mailbox-helpers';

const SHOTS = 'test-results/notify-email';
const BANK = 'First Platypus Bank';

test('a broken login sends one email; its button leads through sign-in into update mode, and the repair sends "connected again"', async ({ page, browser, request, baseURL }) => {
  test.setTimeout(300_000);
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await linkFirstPlatypus(page);

  // The bank asks for a new sign-in: the app calls the emulator's /sandbox/item/reset_login and
  // Plaid's ERROR (ITEM_LOGIN_REQUIRED) webhook comes back.
  await page.getByRole('link', { name: BANK }).first().click();
  await expect(page.getByRole('heading', { name: BANK, level: 1 })).toBeVisible();
  const itemUrl = page.url();
  await page.getByRole('button', { name: 'Simulate login expiry' }).click();
  await expect(page.getByRole('alert', { name: `${BANK} needs attention` })).toBeVisible({ timeout: 30_000 });

  // One email in the embedded inbox, with both parts.
  const htmlPart = await openMail(page, user.email, `Reconnect ${BANK} to keep your account up to date`);
  await page.screenshot({ path: `${SHOTS}-01-mailbox.png`, fullPage: true });
  const text = await page.getByRole('article', { name: 'Message' }).locator('pre.mailbox-text').textContent();
  expect(text).toContain(BANK);
  expect(text).toMatch(/Reconnect\s*\[?https?:\/\/127\.0\.0\.1:\d+\/n\//);
  expect(await headerOfOpenMail(page, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  expect(await headerOfOpenMail(page, 'List-Unsubscribe')).toMatch(/^<https?:\/\/127\.0\.0\.1:\d+\/api\/notifications\/unsubscribe\?token=[\w.-]+>$/);
  const html = page.frameLocator('iframe[title="HTML part"]');
  await expect(html.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(html.getByRole('link', { name: 'Reconnect' })).toHaveAttribute('href', /\/n\/[\w.-]+$/);

  // The person opens the email somewhere they are not signed in and presses the button.
  const elsewhere = await browser.newContext({ baseURL });
  const mailTab = await elsewhere.newPage();
  await mailTab.goto(htmlPart);
  const button = mailTab.getByRole('link', { name: 'Reconnect' });
  const buttonUrl = (await button.getAttribute('href'))!;
  // Email buttons open in a new tab.
  const [phone] = await Promise.all([elsewhere.waitForEvent('page'), button.click()]);
  await expect(phone).toHaveURL(/\/sign-in\?next=%2Fn%2F/);
  await phone.getByLabel('Email').fill(user.email);
  await phone.getByLabel('Password').fill(user.password);
  await phone.getByRole('button', { name: 'Sign in' }).click();

  // Lands on that bank with update mode ready, and repairs it there.
  await expect(phone).toHaveURL(`${itemUrl}?from=email`, { timeout: 30_000 });
  await expect(phone.getByRole('status').filter({ hasText: "You're in the right place" })).toBeVisible();
  await phone.screenshot({ path: `${SHOTS}-02-landed-from-email.png`, fullPage: true });
  const banner = phone.getByRole('alert', { name: `${BANK} needs attention` });
  await banner.getByRole('button', { name: 'Reconnect' }).click();
  const frame = linkFrame(phone);
  await expect(frame.getByRole('heading', { name: `Log in to ${BANK}` })).toBeVisible({ timeout: 30_000 });
  await frame.getByLabel('Username').fill('user_good');
  await frame.getByLabel('Password').fill('pass_good');
  await frame.getByRole('button', { name: 'Submit' }).click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(banner).toHaveCount(0, { timeout: 30_000 });

  // The button worked once: a second press explains itself.
  await phone.goto(buttonUrl);
  await expect(phone.getByRole('heading', { name: 'This link was already used' })).toBeVisible();
  await elsewhere.close();

  // "Connected again" arrives; the person got exactly these two emails.
  await openMail(page, user.email, `${BANK} is connected again`);
  await expect(page.frameLocator('iframe[title="HTML part"]').getByRole('link', { name: 'Open Tributary' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}-03-connected-again.png`, fullPage: true });
  await expect(messagesTo(page, user.email)).toHaveCount(2);
});

test('one-click unsubscribe (RFC 8058 POST) and the unsubscribe page both turn the emails off; bad links get a page in words', async ({ page, request, baseURL }) => {
  test.setTimeout(300_000);
  const user = await signUpNewUser(request, baseURL!);
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await linkFirstPlatypus(page);
  await page.getByRole('link', { name: BANK }).first().click();
  await page.getByRole('button', { name: 'Simulate login expiry' }).click();
  await expect(page.getByRole('alert', { name: `${BANK} needs attention` })).toBeVisible({ timeout: 30_000 });
  await openMail(page, user.email, `Reconnect ${BANK}`);
  const unsubscribeUrl = (await headerOfOpenMail(page, 'List-Unsubscribe')).slice(1, -1);
  await expect(page.frameLocator('iframe[title="HTML part"]').getByRole('link', { name: 'Unsubscribe from these emails' })).toHaveAttribute('href', unsubscribeUrl);
  const emailsOn = page.getByRole('checkbox', { name: /Email me when a connected bank needs me/ });

  // What a mail client does for one click: POST List-Unsubscribe=One-Click, no cookies, no page.
  const mailClient = await playwrightRequest.newContext();
  const oneClick = await mailClient.post(unsubscribeUrl, { form: { 'List-Unsubscribe': 'One-Click' } });
  expect(oneClick.status()).toBe(200);
  expect(oneClick.headers()['content-type']).toContain('text/html');
  expect(await oneClick.text()).toContain("You're unsubscribed");
  await mailClient.dispose();
  await page.goto('/settings/notifications');
  await expect(emailsOn).not.toBeChecked();

  // Back on, then off through the page a person opens from the link (GET shows it, the button confirms).
  await emailsOn.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Your preferences are saved.');
  await expect(emailsOn).toBeChecked();
  const opened = await page.goto(unsubscribeUrl);
  expect(opened?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Stop bank alert emails?' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}-04-unsubscribe-page.png`, fullPage: true });
  await page.goto('/settings/notifications');
  await expect(emailsOn).toBeChecked(); // opening the link alone unsubscribes nobody
  await page.goto(unsubscribeUrl);
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(page.getByRole('heading', { name: "You're unsubscribed" })).toBeVisible();
  await page.goto('/settings/notifications');
  await expect(emailsOn).not.toBeChecked();

  // Bad links: altered, cut short, or another link's token. Words, never JSON.
  const token = new URL(unsubscribeUrl).searchParams.get('token')!;
  const altered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  for (const bad of [altered, token.slice(0, 20), 'not-a-token']) {
    const url = `/api/notifications/unsubscribe?token=${encodeURIComponent(bad)}`;
    const post = await request.post(url, { form: { 'List-Unsubscribe': 'One-Click' } });
    expect(post.status()).toBe(400);
    expect(post.headers()['content-type']).toContain('text/html');
    const body = await post.text();
    expect(body).toContain("This unsubscribe link doesn't work");
    expect(body).not.toMatch(/^\s*[{[]/);
    const shown = await page.goto(url);
    expect(shown?.headers()['content-type']).toContain('text/html');
    await expect(page.getByRole('heading', { name: "This unsubscribe link doesn't work" })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Unsubscribe' })).toHaveCount(0);
  }
  await page.screenshot({ path: `${SHOTS}-05-unsubscribe-bad-link.png`, fullPage: true });

  // An email button link that is not ours explains itself too.
  await page.goto('/n/not-a-real-link');
  await expect(page.getByRole('heading', { name: "This link doesn't work" })).toBeVisible();
});
