import { test, expect, type Page } from '@playwright/test';

const artifacts = process.env.E2E_ARTIFACTS ?? 'artifacts/e2e';

async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await expect(enter).toBeHidden();
}

/** A node of the lineage graph, by what it is and its label (its accessible name). */
const node = (page: Page, kind: string, label: string) =>
  page.getByRole('button', { name: new RegExp(`^${kind} ${label}( |$)`) });

test('the Lineage tab of the example ML project tells the champion’s story and names the gaps', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/fraud-detector/lineage');
  await expect(page.getByLabel('Lineage graph')).toBeVisible({
    timeout: 60_000,
  });

  // Version 2 (the champion): data → workflow → run → version → the service serving it
  // (scripts/harness/seed_mlflow.py and packages/harness/src/seed/seedKube.ts).
  // Versions 2 and 3 were trained on the same data: one data node each.
  await expect(node(page, 'Data version', 'DVC 9e107d9d372b')).toHaveCount(2);
  await expect(
    node(page, 'Argo workflow', 'fraud-detector-dag-82q7s'),
  ).toBeVisible();
  await expect(node(page, 'MLflow run', 'lr-0\\.1').first()).toBeVisible();
  await expect(
    node(page, 'Model version', 'fraud-detector v2').first(),
  ).toBeVisible();
  await expect(
    node(page, 'InferenceService', 'fraud-detector').first(),
  ).toBeVisible();

  // The gaps are said, not hidden: version 3's run has no workflow tag, version 1's workflow
  // is gone.
  await expect(
    page.getByText(/Run lr-0\.3 has no mlstack\.io\/argo-workflow tag/).first(),
  ).toBeVisible();
  await expect(
    page
      .getByText(
        /Workflow fraud-detector-train-gc7x2 \(tagged on run lr-0\.01\) not found/,
      )
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-lineage-tab.png`,
    fullPage: true,
  });

  // A node opens its details, with a link to the run in the MLflow tab.
  await node(page, 'MLflow run', 'lr-0\\.1').first().click();
  const runDetail = page.getByRole('link', {
    name: 'Run detail (MLflow tab)',
  });
  await expect(runDetail).toBeVisible();
  await runDetail.click();
  await expect(page).toHaveURL(/\/fraud-detector\/mlflow\?.*run=/);
});

test('the registered model is a catalog entity of the project’s owner, with its own lineage', async ({
  page,
}) => {
  // The model appears after the catalog module's first run (up to a minute after start).
  test.setTimeout(5 * 60_000);
  await signIn(page);
  // The catalog module ingests the model every minute (app-config.yaml
  // catalog.providers.mlstackModels); the instance is the e2e config's `harness`.
  const model = '/catalog/default/resource/harness-fraud-detector';
  await expect(async () => {
    await page.goto(model);
    await expect(
      page
        .getByRole('heading', { name: 'fraud-detector', exact: true })
        .first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000 });
  await expect(page.getByText('ml-model').first()).toBeVisible();
  await expect(page.getByText('ml-team').first()).toBeVisible();
  await expect(page.getByText('About').first()).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({
    path: `${artifacts}/screenshots/model-entity-overview.png`,
    fullPage: true,
  });

  await page.goto(`${model}/lineage`);
  // Version 2 is among the newest on a fresh harness; an MLflow that other runs registered
  // versions into folds it away until every version is shown.
  const version2 = node(page, 'Model version', 'fraud-detector v2').first();
  const showAll = page.getByRole('button', { name: 'Show all versions' });
  await expect(version2.or(showAll).first()).toBeVisible({ timeout: 60_000 });
  if (await showAll.isVisible()) {
    await showAll.click();
  }
  await expect(version2).toBeVisible();
  await expect(node(page, 'MLflow run', 'lr-0\\.1').first()).toBeVisible();
  await page.screenshot({
    path: `${artifacts}/screenshots/model-entity-lineage-tab.png`,
    fullPage: true,
  });

  // The project depends on its model, and the catalog graph draws project → model.
  await page.goto('/catalog/default/component/fraud-detector');
  await expect(
    page.getByRole('link', { name: 'fraud-detector', exact: true }).first(),
  ).toBeVisible({ timeout: 60_000 });
  await page.goto(
    `/catalog-graph?rootEntityRefs%5B%5D=${encodeURIComponent(
      'component:default/fraud-detector',
    )}&maxDepth=2`,
  );
  await expect(
    page.getByText('fraud-detector', { exact: true }).first(),
  ).toBeVisible({ timeout: 60_000 });
  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-catalog-graph.png`,
    fullPage: true,
  });
});
