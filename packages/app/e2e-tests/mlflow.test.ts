import { test, expect } from '@playwright/test';
import fs from 'node:fs';

const artifacts = process.env.E2E_ARTIFACTS ?? 'artifacts/e2e';

/** What scripts/harness/seed_mlflow.py put into the harness MLflow (its JSON summary). */
function seeded(): Record<string, any> {
  const file = process.env.E2E_MLFLOW_SEED;
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      'E2E_MLFLOW_SEED does not name the seed summary; run this test through scripts/e2e.sh',
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

test('the MLflow tab of the example ML project shows the seeded runs and models', async ({
  page,
}) => {
  const seed = seeded();
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  // The guest session is kept only once the sign-in has completed.
  await expect(enter).toBeHidden();
  await page.goto('/catalog/default/component/fraud-detector/mlflow');

  // The runs table lists the seeded runs of the experiment, with their statuses.
  await expect(page.getByText('training-sweep').first()).toBeVisible();
  for (const name of [
    'lr-0.01',
    'lr-0.1',
    'lr-0.3',
    'oom-crash',
    'live-training',
  ]) {
    await expect(page.getByText(name, { exact: true }).first()).toBeVisible();
  }

  // The registered model with its versions and aliases, as seeded.
  expect(seed.registeredModel.aliases).toMatchObject({
    champion: expect.any(String),
    challenger: expect.any(String),
  });
  const model = page.getByLabel(`Versions of ${seed.registeredModel.name}`);
  await expect(model.getByText('champion')).toBeVisible();
  await expect(model.getByText('challenger')).toBeVisible();

  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-mlflow-tab.png`,
    fullPage: true,
  });

  // A run's detail view, with its parameters and metric history chart.
  await page.getByRole('link', { name: 'lr-0.1', exact: true }).first().click();
  await expect(page.getByText('learning_rate').first()).toBeVisible();
  await expect(page.getByText('0.1', { exact: true }).first()).toBeVisible();
  // Its artifacts (as logged by the seed) and the metric history drawn by recharts.
  await expect(page.getByText('notes.txt')).toBeVisible();
  await expect(page.locator('.recharts-line').first()).toBeVisible();
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-mlflow-run.png`,
    fullPage: true,
  });
});
