import { expect, request as playwrightRequest, test } from '@playwright/test';
import { type SmtpInbox, startSmtpInbox } from '../server/notifications/smtp-inbox';
import { type OwnApp, startOwnApp } from './own-app';

// A second app, started the way `npm start` starts it, but with SMTP_URL pointing at an SMTP server
// of this test's own on 127.0.0.1: mail must go there.
let smtp: SmtpInbox;
let app: OwnApp | undefined;
let appUrl: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  smtp = await startSmtpInbox();
  app = await startOwnApp('e2e-smtp-url', { SMTP_URL: smtp.url, MAIL_FROM: 'Tributary test <alerts@example.test>' });
  appUrl = app.url;
});

test.afterAll(async () => {
  await app?.stop();
  await smtp?.close();
});

test('with SMTP_URL set, `npm start` sends its mail to that server and runs no inbox of its own', async ({ page }) => {
  const api = await playwrightRequest.newContext({ baseURL: appUrl });
  const email = `smtp-url-${Date.now()}@tributary.local`;
  const signUp = await api.post('/api/auth/sign-up/email', { data: { email, password: 'a-long-password', name: 'Grace' }, headers: { origin: appUrl } });
  expect(signUp.ok(), await signUp.text()).toBe(true);
  await api.dispose();

  await page.goto(`${appUrl}/forgot-password`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('is on its way');

  const mail = await smtp.waitFor((m) => m.envelopeTo.includes(email), 30_000);
  expect(mail).toMatchObject({ subject: 'Reset your Tributary password', from: '"Tributary test" <alerts@example.test>' });
  expect(mail.html).toContain(`${appUrl}/reset-password?link=`);
  expect(mail.text).toContain('Choose a new password');

  // No embedded inbox: the developer mailbox is not there.
  expect((await page.goto(`${appUrl}/dev/mailbox`))?.status()).toBe(404);
});
