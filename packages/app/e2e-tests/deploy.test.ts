import { test, expect, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';

const artifacts = process.env.E2E_ARTIFACTS ?? 'artifacts/e2e';
const entityPage = '/catalog/default/component/fraud-detector';

/** What scripts/harness/seed_mlflow.py registered (its JSON summary). */
function seededModel(): { name: string; versions: { version: string }[] } {
  const file = process.env.E2E_MLFLOW_SEED;
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      'E2E_MLFLOW_SEED does not name the seed summary; run this test through scripts/e2e.sh',
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')).registeredModel;
}

/** The namespace packages/harness/src/seed/seedKube.ts seeded (the entity's). */
function seededNamespace(): string {
  const file = process.env.E2E_KUBE_SEED;
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      'E2E_KUBE_SEED does not name the seed summary; run this test through scripts/e2e.sh',
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')).namespace;
}

async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  // The guest session is remembered only once the sign-in completed.
  await expect(enter).toBeHidden();
}

function modelsTable(page: Page, service: string): Locator {
  return page.getByRole('table', { name: `Models of ${service}`, exact: true });
}

/** The Serving tab's card of one service (the card holding its models table). */
function serviceCard(page: Page, service: string): Locator {
  return page
    .locator('.MuiCard-root')
    .filter({ has: modelsTable(page, service) });
}

async function openServingTab(page: Page) {
  await page.goto(`${entityPage}/serving`);
  await expect(page.getByText(/^Namespace .+ on cluster /)).toBeVisible();
}

/** The rows of a service's models table: role, model and its share of the traffic. */
async function expectShares(
  page: Page,
  service: string,
  shares: Array<{ role: string; model: string; traffic: string }>,
) {
  const rows = modelsTable(page, service)
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
  await expect(rows).toHaveCount(shares.length);
  for (const [i, share] of shares.entries()) {
    const cells = rows.nth(i).getByRole('cell');
    await expect(cells.nth(0)).toHaveText(share.role);
    await expect(
      cells.nth(1).getByText(share.model, { exact: true }),
    ).toBeVisible();
    await expect(cells.nth(2)).toHaveText(share.traffic);
  }
}

interface DeployInput {
  version: string;
  service: string;
  canaryPercent?: number;
}

/**
 * On the MLflow tab: Deploy… on a version row, fill in the form (mode Standard) and Preview.
 * Returns the dialog, showing the preview.
 */
async function previewDeploy(
  page: Page,
  modelName: string,
  input: DeployInput,
): Promise<Locator> {
  await page.goto(`${entityPage}/mlflow`);
  const versions = page.getByRole('table', {
    name: `Versions of ${modelName}`,
  });
  const deployButton = versions.getByRole('button', {
    name: `Deploy ${modelName} version ${input.version}…`,
    exact: true,
  });
  await expect(deployButton).toBeEnabled();
  await deployButton.click();

  const dialog = page.getByRole('dialog', {
    name: `Deploy ${modelName} version ${input.version}`,
  });
  await expect(dialog).toBeVisible();
  // The only configured target is chosen.
  await expect(dialog.getByRole('button', { name: /^Target/ })).toContainText(
    'Namespace ml-projects on cluster harness',
  );
  await dialog.getByLabel('Service name').fill(input.service);
  await dialog.getByRole('button', { name: /^Deployment mode/ }).click();
  await page.getByRole('option', { name: 'Standard', exact: true }).click();
  await expect(
    dialog.getByRole('button', { name: /^Deployment mode/ }),
  ).toHaveText('Standard');
  await dialog
    .getByLabel('Canary traffic %')
    .fill(String(input.canaryPercent ?? 0));
  await dialog.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(
    dialog.getByRole('region', { name: 'Deploy preview' }),
  ).toBeVisible();
  return dialog;
}

async function confirmAction(page: Page, service: string, action: string) {
  await serviceCard(page, service)
    .getByRole('button', { name: action, exact: true })
    .click();
  const confirm = page.getByRole('dialog', {
    name: `${action} ${service}`,
    exact: true,
  });
  await expect(confirm).toBeVisible();
  return confirm;
}

/** Delete a service from its card on the Serving tab, confirming in the dialog. */
async function deleteService(page: Page, service: string, namespace: string) {
  const confirm = await confirmAction(page, service, 'Delete');
  await expect(confirm).toContainText(
    `Delete InferenceService ${service} in namespace ${namespace}`,
  );
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(modelsTable(page, service)).toHaveCount(0);
}

/** Services an earlier run left behind when it failed before deleting its own. */
async function deleteLeftovers(page: Page, namespace: string) {
  await openServingTab(page);
  // The seeded service's card is there once the services are loaded.
  await expect(
    page.getByRole('table', { name: /^Models of / }).first(),
  ).toBeVisible();
  const leftovers = page.getByRole('table', { name: /^Models of fraud-e2e-/ });
  for (let n = await leftovers.count(); n > 0; n = await leftovers.count()) {
    const label = await leftovers.first().getAttribute('aria-label');
    await deleteService(page, label!.replace(/^Models of /, ''), namespace);
  }
}

test('a model version is deployed, canaried, promoted, rolled back and deleted from the portal', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const model = seededModel();
  const namespace = seededNamespace();
  const [v1, v2, v3] = model.versions.map(v => v.version);
  // The harness outlives a run: a new service each time (a DNS-1035 label, ≤ 45 chars).
  const service = `fraud-e2e-${Date.now().toString(36)}`;

  await signIn(page);
  await deleteLeftovers(page, namespace);

  // 1. Deploy version 1 as a new service: the preview says "create" and shows the manifest.
  let dialog = await previewDeploy(page, model.name, {
    version: v1,
    service,
  });
  await expect(dialog.getByRole('status')).toHaveText(
    `Create: Create InferenceService ${service} in namespace ${namespace} on cluster harness, serving the model with all traffic.`,
  );
  await expect(
    dialog.getByText(`${model.name} v${v1}`, { exact: true }),
  ).toBeVisible();
  const manifest = dialog.getByLabel('Manifest', { exact: true });
  await expect(manifest).toContainText('kind: InferenceService');
  await expect(manifest).toContainText(`name: ${service}`);
  await expect(manifest).toContainText(`namespace: ${namespace}`);
  await expect(manifest).toContainText('storageUri: s3://');
  await page.screenshot({
    path: `${artifacts}/screenshots/deploy-preview-create.png`,
  });

  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    `Created InferenceService ${service} in namespace ${namespace} on cluster harness. The Serving tab shows it as it rolls out.`,
  );
  await page.screenshot({
    path: `${artifacts}/screenshots/deploy-result-create.png`,
  });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();

  // 2. The Serving tab: the new service serves version 1 with all traffic.
  await openServingTab(page);
  await expectShares(page, service, [
    { role: 'Stable', model: `${model.name} v${v1}`, traffic: '100%' },
  ]);
  const card = serviceCard(page, service);
  // No canary yet: nothing to promote or roll back.
  await expect(card.getByRole('button', { name: 'Promote' })).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Roll back' })).toHaveCount(0);
  await card.screenshot({
    path: `${artifacts}/screenshots/deploy-serving-v1.png`,
  });

  // 3. Version 2 as a 20% canary on the same service.
  dialog = await previewDeploy(page, model.name, {
    version: v2,
    service,
    canaryPercent: 20,
  });
  await expect(dialog.getByRole('status')).toHaveText(
    `Canary: Start a canary on InferenceService ${service} in namespace ${namespace} on cluster harness: the new model takes 20% of the traffic until it is promoted or rolled back.`,
  );
  await expect(dialog.getByRole('note')).toContainText(
    'In Standard mode KServe gives a canary its own Deployment',
  );
  await expect(dialog.getByLabel('Manifest', { exact: true })).toContainText(
    'trafficPercent: 20',
  );
  await page.screenshot({
    path: `${artifacts}/screenshots/deploy-preview-canary.png`,
  });
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    `Started a canary on InferenceService ${service} in namespace ${namespace} on cluster harness. The Serving tab shows it as it rolls out.`,
  );
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();

  await openServingTab(page);
  await expectShares(page, service, [
    { role: 'Stable', model: `${model.name} v${v1}`, traffic: '80%' },
    { role: 'Canary', model: `${model.name} v${v2}`, traffic: '20%' },
  ]);
  // The canary's share is not contradicted by the Traffic section.
  await expect(
    serviceCard(page, service).getByText(/sends all traffic/),
  ).toHaveCount(0);
  await serviceCard(page, service).screenshot({
    path: `${artifacts}/screenshots/deploy-serving-canary.png`,
  });

  // 4. Promote: version 2 takes all traffic.
  let confirm = await confirmAction(page, service, 'Promote');
  await expect(confirm).toContainText(
    `Promote the canary of ${service}: ${model.name} v${v2} gets all the traffic and replaces ${model.name} v${v1}.`,
  );
  await confirm.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expectShares(page, service, [
    { role: 'Stable', model: `${model.name} v${v2}`, traffic: '100%' },
  ]);
  await serviceCard(page, service).screenshot({
    path: `${artifacts}/screenshots/deploy-serving-promoted.png`,
  });

  // 5. A 50% canary of version 3, rolled back: version 2 takes all traffic again.
  dialog = await previewDeploy(page, model.name, {
    version: v3,
    service,
    canaryPercent: 50,
  });
  await expect(dialog.getByRole('status')).toContainText(
    'the new model takes 50% of the traffic',
  );
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog.getByRole('status')).toContainText(
    `Started a canary on InferenceService ${service}`,
  );
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();

  await openServingTab(page);
  await expectShares(page, service, [
    { role: 'Stable', model: `${model.name} v${v2}`, traffic: '50%' },
    { role: 'Canary', model: `${model.name} v${v3}`, traffic: '50%' },
  ]);
  confirm = await confirmAction(page, service, 'Roll back');
  await expect(confirm).toContainText(
    `Roll back the canary of ${service}: ${model.name} v${v3} is removed and ${model.name} v${v2} gets all the traffic again.`,
  );
  await confirm.getByRole('button', { name: 'Roll back', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expectShares(page, service, [
    { role: 'Stable', model: `${model.name} v${v2}`, traffic: '100%' },
  ]);
  await serviceCard(page, service).screenshot({
    path: `${artifacts}/screenshots/deploy-serving-rolled-back.png`,
  });

  // 6. Delete, so that reruns on the same harness stay clean.
  await deleteService(page, service, namespace);
});
