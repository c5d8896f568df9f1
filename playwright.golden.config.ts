import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The golden path's browser check (scripts/harness/node/test-golden-path.sh): the pages of a
 * project whose pipeline really ran on the harness's node. Not part of scripts/e2e.sh's tests,
 * which need no node.
 */
export default defineConfig({
  ...base,
  testDir: 'packages/app/e2e-golden',
  timeout: 120_000,
});
