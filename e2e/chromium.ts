/**
 * The system Chromium (Debian's, or PLAYWRIGHT_CHROMIUM_PATH) with the flags this offline machine
 * needs: no sandbox as root, and no background calls to Google's services.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
