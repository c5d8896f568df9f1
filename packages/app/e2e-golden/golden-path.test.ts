import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What scripts/harness/node/test-golden-path.sh ran for real before this test: the project, the
 * pipeline run it submitted from the Pipelines route (its steps' logs saved under
 * E2E_ARTIFACTS), the run it made fail (a wrong S3 key), and the canary it deployed from the
 * Serving route.
 */
function golden() {
  const artifacts = process.env.E2E_ARTIFACTS;
  const need = [
    'GOLDEN_PROJECT',
    'GOLDEN_RUN',
    'GOLDEN_FAILED_RUN',
    'GOLDEN_CANARY_VERSION',
  ];
  const missing = need.filter(name => !process.env[name]);
  if (!artifacts || missing.length > 0) {
    throw new Error(
      `run this test through scripts/harness/node/test-golden-path.sh (unset: ${[
        'E2E_ARTIFACTS',
        ...missing,
      ].join(', ')})`,
    );
  }
  return {
    artifacts,
    project: process.env.GOLDEN_PROJECT!,
    run: process.env.GOLDEN_RUN!,
    failedRun: process.env.GOLDEN_FAILED_RUN!,
    canaryVersion: process.env.GOLDEN_CANARY_VERSION!,
  };
}

async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await expect(enter).toBeHidden();
}

/**
 * The last line of a step's real log (what the logs route returned to the script) that starts
 * with `prefix`. The log viewer follows a log's end, so a line near it is on the screen.
 */
function lastLogLine(
  artifacts: string,
  logFile: string,
  prefix: string,
): string {
  const text = fs.readFileSync(path.join(artifacts, logFile), 'utf8');
  const line = text
    .split('\n')
    .reverse()
    .find(l => l.startsWith(prefix));
  if (!line) throw new Error(`no line of ${logFile} starts with '${prefix}'`);
  return line.trim();
}

test('the Pipelines tab shows the real run, its steps and their logs', async ({
  page,
}) => {
  const g = golden();
  await signIn(page);
  await page.goto(`/catalog/default/component/${g.project}/pipelines`);
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: g.run, exact: true }) });
  await expect(row.getByText('Succeeded', { exact: true })).toBeVisible();
  await page.screenshot({
    path: `${g.artifacts}/screenshots/golden-pipelines-tab.png`,
    fullPage: true,
  });

  await row.getByRole('link', { name: g.run, exact: true }).click();
  await expect(
    page.getByRole('heading', { name: `Run ${g.run}` }),
  ).toBeVisible();
  for (const step of ['pull-data', 'train', 'select-and-register', 'deploy']) {
    await expect(
      page.getByRole('button', { name: `${step}: Succeeded`, exact: true }),
    ).toBeVisible();
  }
  // The train step's pod log, as the node's kubelet served it: the project's own line for its
  // last candidate's evaluation (src/<package>/evaluate.py).
  await page
    .getByRole('button', { name: 'train: Succeeded', exact: true })
    .click();
  await expect(page.getByText('Step train', { exact: true })).toBeVisible();
  await expect(
    page
      .getByRole('log', { name: 'Logs' })
      .getByText(lastLogLine(g.artifacts, 'logs-train.txt', 'evaluate: run ')),
  ).toBeVisible();
  await page.screenshot({
    path: `${g.artifacts}/screenshots/golden-pipelines-run-train-logs.png`,
    fullPage: true,
  });
});

test('the Pipelines tab shows the failed run: the step, its exit code and its real error', async ({
  page,
}) => {
  const g = golden();
  const workflow = JSON.parse(
    fs.readFileSync(path.join(g.artifacts, 'failed-workflow.json'), 'utf8'),
  );
  const pullData = workflow.nodes.find(
    (n: { displayName: string }) => n.displayName === 'pull-data',
  );
  await signIn(page);
  await page.goto(`/catalog/default/component/${g.project}/pipelines`);
  const row = page.getByRole('row').filter({
    has: page.getByRole('link', { name: g.failedRun, exact: true }),
  });
  await expect(row.getByText('Failed', { exact: true })).toBeVisible();

  await row.getByRole('link', { name: g.failedRun, exact: true }).click();
  const step = page.getByRole('button', {
    name: 'pull-data: Failed',
    exact: true,
  });
  await expect(step).toHaveAttribute('data-phase', 'Failed');
  await step.click();
  await expect(page.getByText('Step pull-data', { exact: true })).toBeVisible();
  // Argo's reason, with the exit code, and DVC's own error from the pod's log.
  await expect(page.getByText(pullData.message, { exact: true })).toBeVisible();
  await expect(
    page
      .getByRole('log', { name: 'Logs' })
      .getByText(
        lastLogLine(g.artifacts, 'logs-failed-pull-data.txt', 'ERROR'),
      ),
  ).toBeVisible();
  await page.screenshot({
    path: `${g.artifacts}/screenshots/golden-pipelines-failed-run.png`,
    fullPage: true,
  });
});

test('the Serving tab shows the service Ready with its canary beside it', async ({
  page,
}) => {
  const g = golden();
  await signIn(page);
  await page.goto(`/catalog/default/component/${g.project}/serving`);
  const models = page.getByRole('table', {
    name: `Models of ${g.project}`,
    exact: true,
  });
  await expect(models).toBeVisible();
  const rows = models.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(rows).toHaveCount(2);
  const stable = rows.nth(0).getByRole('cell');
  await expect(stable.nth(0)).toHaveText('Stable');
  // What the pipeline deployed: version 1, found by the artifacts it serves.
  await expect(
    stable.nth(1).getByText(`${g.project} v1`, { exact: true }),
  ).toBeVisible();
  await expect(stable.nth(2)).toHaveText('80%');
  const canary = rows.nth(1).getByRole('cell');
  await expect(canary.nth(0)).toHaveText('Canary');
  await expect(
    canary
      .nth(1)
      .getByText(`${g.project} v${g.canaryVersion}`, { exact: true }),
  ).toBeVisible();
  await expect(canary.nth(2)).toHaveText('20%');
  await expect(canary.nth(3)).toHaveText('Canary ready');
  await expect(
    page.locator('[aria-label="Status ok"]', { hasText: /^Ready$/ }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${g.artifacts}/screenshots/golden-serving-canary.png`,
    fullPage: true,
  });
});
