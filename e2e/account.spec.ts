import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signInThroughForm, signUpNewUser } from './fixtures';
import { messagesTo, openMail } from './mailbox-helpers';
import { checkPage } from './page-checks';

const newEmail = () => `e2e-${randomUUID()}@tributary.local`;

test('sign-up page: says what is missing, creates the account and signs in; a taken email is told plainly', async ({ page, browser, baseURL }) => {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await page.getByRole('button', { name: 'Create account' }).click();
  const alert = page.locator('form').getByRole('alert');
  await expect(alert).toHaveText('Enter your name, your email and a password to create your account.');
  const email = newEmail();
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(alert).toHaveText('Choose a password of at least 8 characters.');
  await page.getByLabel('Password').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('banner')).toContainText(email);

  // The same email again, from another browser.
  const other = await (await browser.newContext({ baseURL })).newPage();
  await other.goto('/sign-up');
  await other.getByLabel('Your name').fill('Someone Else');
  await other.getByLabel('Email').fill(email);
  await other.getByLabel('Password').fill('another-long-password');
  await other.getByRole('button', { name: 'Create account' }).click();
  await expect(other.locator('form').getByRole('alert')).toHaveText(/An account with this email already exists/);
  await other.context().close();
});

test('from the 3rd wrong password on, sign-in says in words how many tries are left before the pause', async ({ page, request, baseURL }) => {
  const user = await signUpNewUser(request, baseURL!);
  await page.goto('/sign-in');
  const alert = page.locator('form').getByRole('alert');
  await page.getByLabel('Email').fill(user.email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toHaveText('Enter your password to sign in.');
  const expected = [
    /^That email and password do not match an account\. Check them and try again\.$/,
    /^That email and password do not match an account\. Check them and try again\.$/,
    /You have two more tries before sign-in for this email is paused for 15 minutes\.$/,
    /You have one more try before sign-in for this email is paused for 15 minutes\.$/,
    /Sign-in for this email is now paused for 15 minutes/,
  ];
  for (const [i, message] of expected.entries()) {
    await page.getByLabel('Password').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(alert).toHaveText(message);
    if (i === 2) await checkPage(page, 'sign-in-lockout-warning');
  }
  // Locked: even the right password waits.
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toHaveText(/Try again in 15 minutes/);
});

test('password reset by email: same answer for any address, a single-use link, a new password that works', async ({ page: first, request, baseURL }) => {
  let page = first;
  test.setTimeout(120_000);
  const user = await signUpNewUser(request, baseURL!);
  const stranger = newEmail();
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('Enter your email to get a reset link.');

  const answerFor = async (email: string) => {
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const status = page.getByRole('status');
    await expect(status).toContainText('an email with a link to choose a new password is on its way');
    return (await status.textContent())!.replace(email, '<email>');
  };
  expect(await answerFor(stranger)).toBe(await answerFor(user.email));
  await checkPage(page, 'forgot-password-sent');

  // The mail: both parts, one button.
  const htmlPart = await openMail(page, user.email, 'Reset your Tributary password');
  const text = await page.getByRole('article', { name: 'Message' }).locator('pre.mailbox-text').textContent();
  expect(text).toMatch(/Choose a new password\s*\[?https?:\/\/127\.0\.0\.1:\d+\/reset-password\?link=/);
  expect(text).toContain('works once, for the next 60 minutes');
  await expect(messagesTo(page, stranger)).toHaveCount(0);
  await page.goto(htmlPart);
  const button = page.getByRole('link', { name: 'Choose a new password' });
  const link = (await button.getAttribute('href'))!;
  // Email buttons open in a new tab; the reset goes on there.
  const [tab] = await Promise.all([page.context().waitForEvent('page'), button.click()]);
  await page.close();
  page = tab;
  await expect(page).toHaveURL(/\/reset-password\?link=/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await checkPage(page, 'reset-password');
  await page.getByRole('textbox', { name: /^New password At least/ }).fill('the-new-password-1');
  await page.getByLabel('New password again').fill('the-new-password-2');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('The two passwords are not the same. Type the new password twice.');
  await page.getByLabel('New password again').fill('the-new-password-1');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');

  // Used once: the link now explains itself; an altered one too.
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This reset link was already used' })).toBeVisible();
  await page.goto(`${link.slice(0, -3)}xyz`);
  await expect(page.getByRole('heading', { name: "This reset link doesn't work" })).toBeVisible();

  // The old password no longer works; the new one does.
  await signInThroughForm(page, user);
  await expect(page.locator('form').getByRole('alert')).toHaveText(/do not match/);
  await signInThroughForm(page, { email: user.email, password: 'the-new-password-1' });
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('a favicon and an app icon are served', async ({ request }) => {
  const ico = await request.get('/favicon.ico');
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  const apple = await request.get('/apple-icon.png');
  expect(apple.status()).toBe(200);
  expect(apple.headers()['content-type']).toBe('image/png');
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest).toMatchObject({ name: 'Tributary', icons: expect.arrayContaining([expect.objectContaining({ src: '/apple-icon.png' })]) });
});
