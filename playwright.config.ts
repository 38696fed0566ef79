import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';
import { E2E_PLAID_CLIENT_ID, E2E_PLAID_SECRET } from './e2e/plaid-credentials';

// The app under test runs on its embedded defaults (PGlite, emulator, embedded runner) in a
// throwaway data directory, on a port of its own, bound to 127.0.0.1.
const port = Number(process.env.E2E_PORT ?? 3917);
const baseURL = `http://127.0.0.1:${port}`;

// The workspace packages' build steps (the emulator's Link scripts) before any spec file is loaded:
// the link-standin specs import the emulator, which serves those scripts.
execFileSync('npm', ['run', 'build', '--workspaces', '--if-present', '--silent'], { cwd: import.meta.dirname, stdio: 'inherit' });

export default defineConfig({
  projects: [
    // The app on its embedded defaults, in Chromium.
    { name: 'app', testDir: './e2e', testMatch: '**/*.spec.ts' },
    // The emulator's Link stand-in driven through the real react-plaid-link (own servers, no app).
    { name: 'link-standin', testDir: './packages/plaid-emulator/e2e', testMatch: '**/*.e2e.ts', use: { baseURL: undefined } },
  ],
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  // `npm test` also asks for JSON (PLAYWRIGHT_JSON_OUTPUT_FILE) to print failures after its summary.
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }], ...(process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [['json'] as const] : [])],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    command: 'rm -rf .test-data/e2e && node scripts/start.mjs',
    url: `${baseURL}/sign-in`,
    timeout: 300_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    // Every browser signs in from 127.0.0.1: lift the per-IP sign-in limit for the suite.
    env: {
      PORT: String(port),
      DATA_DIR: '.test-data/e2e',
      LOG_LEVEL: 'warn',
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
      // The server's own stop (requests and job steps in flight) fits inside gracefulShutdown's 10 s.
      SHUTDOWN_GRACE_MS: '5000',
      // Notification emails go out a few seconds after a bank breaks (the digest window), not a minute.
      NOTIFY_DIGEST_WINDOW_SECONDS: '3',
      // Credentials the mounted emulator insists on; the leak scan (e2e/leak-scan.spec.ts) looks for this secret.
      PLAID_EMULATOR_CLIENT_ID: E2E_PLAID_CLIENT_ID,
      PLAID_EMULATOR_SECRET: E2E_PLAID_SECRET,
    },
  },
});
