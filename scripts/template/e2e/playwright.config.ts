import { defineConfig } from '@playwright/test';

/** The template form's browser test (scripts/template/test-form.sh); Debian's Chromium. */
const artifacts = process.env.E2E_ARTIFACTS ?? 'artifacts/template-form';

export default defineConfig({
  testDir: '.',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: `${artifacts}/results`,
  use: {
    baseURL: process.env.PORTAL_URL ?? 'http://localhost:3000',
    viewport: { width: 1600, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    },
  },
});
