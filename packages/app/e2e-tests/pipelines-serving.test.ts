import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';

const artifacts = process.env.E2E_ARTIFACTS ?? 'artifacts/e2e';

/** What packages/harness/src/seed/seedKube.ts put into the harness cluster (its JSON summary). */
function seeded(): {
  namespace: string;
  workflowTemplates: string[];
  workflows: { succeeded: string; running: string; failed: string };
  inferenceServices: string[];
} {
  const file = process.env.E2E_KUBE_SEED;
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      'E2E_KUBE_SEED does not name the seed summary; run this test through scripts/e2e.sh',
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  // The guest session is remembered only once the sign-in completed: leaving the page
  // before that shows the sign-in page again.
  await expect(enter).toBeHidden();
}

test('the Pipelines tab of the example ML project lists its runs and draws a run', async ({
  page,
}) => {
  const seed = seeded();
  await signIn(page);
  await page.goto('/catalog/default/component/fraud-detector/pipelines');

  // One row per seeded run, with its phase.
  const rows = page.getByRole('row');
  for (const [name, phase] of [
    [seed.workflows.succeeded, 'Succeeded'],
    [seed.workflows.running, 'Running'],
    [seed.workflows.failed, 'Failed'],
  ]) {
    const row = rows.filter({
      has: page.getByRole('link', { name, exact: true }),
    });
    await expect(row).toBeVisible();
    await expect(row.getByText(phase, { exact: true })).toBeVisible();
  }
  await expect(
    page.getByText('Namespace ml-projects on cluster'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Submit run' })).toBeVisible();
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-pipelines-tab.png`,
    fullPage: true,
  });

  // The succeeded DAG run: header, parameters and its diamond A → B, C → D.
  await page
    .getByRole('link', { name: seed.workflows.succeeded, exact: true })
    .click();
  await expect(
    page.getByRole('heading', { name: `Run ${seed.workflows.succeeded}` }),
  ).toBeVisible();
  for (const step of ['A', 'B', 'C', 'D']) {
    await expect(
      page.getByRole('button', { name: `${step}: Succeeded`, exact: true }),
    ).toBeVisible();
  }
  await expect(page.getByTestId('edge')).toHaveCount(5);
  await expect(page.getByRole('button', { name: 'Retry' })).toBeDisabled();

  // A step's details; the harness runs no pods, so its logs say why there are none.
  await page.getByRole('button', { name: 'B: Succeeded', exact: true }).click();
  await expect(page.getByText('Step B', { exact: true })).toBeVisible();
  await expect(page.getByText(/^Logs are not available: .+/)).toBeVisible();
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-pipelines-run.png`,
    fullPage: true,
  });

  // The failed run with retries: its pods are drawn failed, and it can be retried.
  await page.goto(
    `/catalog/default/component/fraud-detector/pipelines?workflow=${seed.workflows.failed}`,
  );
  const failedPod = page.getByRole('button', {
    name: 'fail(0): Failed',
    exact: true,
  });
  await expect(failedPod).toBeVisible();
  await expect(failedPod).toHaveAttribute('data-phase', 'Failed');
  await expect(page.getByRole('button', { name: 'Retry' })).toBeEnabled();
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-pipelines-failed-run.png`,
    fullPage: true,
  });

  // A 500-node run: every node is drawn, and a failed shard opens from the list above the graph.
  const started = Date.now();
  await page.goto(
    `/catalog/default/component/fraud-detector/pipelines?workflow=${seed.workflows.large}`,
  );
  await expect(page.getByTestId('node')).toHaveCount(500);
  await expect(
    page.getByRole('button', { name: 'shard-97: Failed', exact: true }),
  ).toBeVisible();
  test.info().annotations.push({
    type: 'render time of 500 nodes (ms)',
    description: String(Date.now() - started),
  });
  await page.getByRole('button', { name: 'shard-97', exact: true }).click();
  await expect(page.getByText('Step shard-97', { exact: true })).toBeVisible();
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-pipelines-500-nodes.png`,
    fullPage: true,
  });
});

test('a run is submitted from the template and resubmitted, through the backend', async ({
  page,
}) => {
  const seed = seeded();
  await signIn(page);
  await page.goto('/catalog/default/component/fraud-detector/pipelines');

  // Submit: the template's parameters come prefilled; the required run name is filled in.
  await page.getByRole('button', { name: 'Submit run' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('learning-rate')).toHaveValue('0.1');
  await dialog.getByLabel('learning-rate').fill('0.05');
  await dialog.getByLabel(/run-name/).fill('e2e-submit');
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-pipelines-submit.png`,
  });
  await dialog.getByRole('button', { name: 'Submit' }).click();
  // Argo names it after the template (generateName).
  await expect(page.getByRole('heading', { name: /^Run / })).toHaveText(
    new RegExp(`^Run ${seed.workflowTemplates[0]}-[a-z0-9]{5}$`),
  );
  const parameters = page.getByRole('table', { name: 'Parameters' });
  await expect(parameters.getByText('0.05', { exact: true })).toBeVisible();
  await expect(
    parameters.getByText('e2e-submit', { exact: true }),
  ).toBeVisible();

  // Resubmit the succeeded run: the new run opens.
  await page.goto(
    `/catalog/default/component/fraud-detector/pipelines?workflow=${seed.workflows.succeeded}`,
  );
  await page.getByRole('button', { name: 'Resubmit' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Resubmit' })
    .click();
  await expect(page.getByRole('heading', { name: /^Run / })).toHaveText(
    new RegExp(`^Run ${seed.workflows.succeeded}-[a-z0-9]{5}$`),
  );
  await expect(
    page.getByRole('link', { name: seed.workflows.succeeded, exact: true }),
  ).toBeVisible();
});

test('the Serving tab of the example ML project shows its InferenceService', async ({
  page,
}) => {
  const seed = seeded();
  const service = seed.inferenceServices[0];
  await signIn(page);
  await page.goto('/catalog/default/component/fraud-detector/serving');

  const conditions = page.getByRole('table', {
    name: `Conditions of ${service}`,
  });
  await expect(conditions).toBeVisible();
  await expect(
    page.locator('[aria-label="Status ok"]', { hasText: /^Ready$/ }).first(),
  ).toBeVisible();
  for (const type of ['IngressReady', 'PredictorReady', 'Ready']) {
    await expect(conditions.getByText(type, { exact: true })).toBeVisible();
  }

  // The traffic split recorded upstream: all of it on the latest ready revision.
  const traffic = page.getByRole('table', { name: `Traffic of ${service}` });
  await expect(traffic).toBeVisible();
  await expect(traffic.getByText('100%')).toBeVisible();
  await expect(
    page.getByText(/Canary rollout: a new revision gets 20% of the traffic/),
  ).toBeVisible();
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-serving-tab.png`,
    fullPage: true,
  });
});
