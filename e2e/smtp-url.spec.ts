import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { type SmtpInbox, startSmtpInbox } from '../server/notifications/smtp-inbox';
import { E2E_PLAID_CLIENT_ID, E2E_PLAID_SECRET } from './plaid-credentials';

// A second app, started the way `npm start` starts it (scripts/start.mjs, the same build), but with
// SMTP_URL pointing at an SMTP server of this test's own on 127.0.0.1: mail must go there.
const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.join(root, '.test-data/e2e-smtp-url');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let smtp: SmtpInbox;
let app: ChildProcess;
let appUrl: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  smtp = await startSmtpInbox();
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  rmSync(dataDir, { recursive: true, force: true });
  app = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // What a person's shell gives `npm start` (no NODE_ENV), plus this test's own settings.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV')),
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Tributary test <alerts@example.test>',
      PLAID_EMULATOR_CLIENT_ID: E2E_PLAID_CLIENT_ID,
      PLAID_EMULATOR_SECRET: E2E_PLAID_SECRET,
    } as unknown as NodeJS.ProcessEnv,
  });
  await expect(async () => {
    expect(app.exitCode).toBeNull();
    const res = await fetch(`${appUrl}/sign-in`);
    expect(res.status).toBe(200);
  }).toPass({ timeout: 240_000, intervals: [1_000, 2_000] });
});

test.afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app.once('exit', resolve));
    app.kill('SIGTERM');
    await exited;
  }
  await smtp?.close();
  rmSync(dataDir, { recursive: true, force: true });
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
