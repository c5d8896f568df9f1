import { defineConfig } from '@playwright/test';

/**
 * Browser tests run by scripts/e2e.sh, which builds the app, serves it from the backend and
 * sets PORTAL_URL. Chromium is Debian's: no browser is downloaded.
 */
const artifacts = process.env.E2E_ARTIFACTS ?? 'artifacts/e2e';

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 60_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: `${artifacts}/report` }],
  ],
  outputDir: `${artifacts}/results`,
  use: {
    baseURL: process.env.PORTAL_URL ?? 'http://localhost:3000',
    viewport: { width: 1600, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
