import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../../../../../e2e/chromium';

/**
 * The Link stand-in's browser specs, self-contained: each spec file starts its own emulator and
 * harness server on 127.0.0.1:0. Run: `npx playwright test -c server/plaid/emulator/link/e2e`.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  outputDir: '../../../../../test-results/link-e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
