import { test, expect } from '@playwright/test';

/**
 * The ml-project template's form in the browser, as a new user meets it on the embedded stack:
 * Create page -> ML project -> four pages (the default target: the portal's Git server) ->
 * Create -> the task's "Open in catalog" -> the new entity's page. Run by
 * scripts/template/test-form.sh (a backend with the harness Gitea configured).
 */
const artifacts = process.env.E2E_ARTIFACTS ?? 'artifacts/template-form';
const gitUrl = process.env.MLSTACK_GIT_URL ?? '';
const gitOrg = process.env.MLSTACK_GIT_ORG ?? 'mlstack';

test('Create page -> ml-project form -> task -> Open in catalog -> the new entity', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const suffix = Date.now().toString(36).slice(-6);
  const name = `form-proj-${suffix}`;

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: 'MLStack Catalog' }),
  ).toBeVisible();

  await page.goto('/create');
  // the innermost element holding the template's title (ancestors come first in the DOM)
  const card = page
    .locator('article, .MuiCard-root, div')
    .filter({
      has: page.getByRole('heading', {
        name: 'ML project (MLflow, DVC, Argo Workflows, KServe)',
      }),
    })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last();
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Choose' }).click();

  // Page 1: Project
  await page.getByLabel('Name', { exact: false }).first().fill(name);
  // OwnerPicker: typed (it accepts an entity name; a Group by default)
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.pressSequentially('ml-team', { delay: 50 });
  await owner.press('Tab');
  await page.screenshot({ path: `${artifacts}/screenshots/1-project.png` });
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 2: Tracking and data (a bucket of its own)
  const bucket = page.getByLabel(/DVC bucket/).first();
  await bucket.fill(`form-${suffix}`);
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 3: Cluster and serving (defaults)
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 4: Repository: the default is the portal's Git server
  await expect(page.getByText(/The portal's Git server/).first()).toBeVisible();
  await page.screenshot({ path: `${artifacts}/screenshots/4-repository.png` });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.screenshot({ path: `${artifacts}/screenshots/5-review.png` });
  await page.getByRole('button', { name: 'Create' }).click();

  // The task: completed, with its links
  const open = page.getByRole('link', { name: 'Open in catalog' });
  await expect(open).toBeVisible({ timeout: 180_000 });
  const repo = page.getByRole('link', { name: 'Repository' });
  await expect(repo).toHaveAttribute('href', `${gitUrl}/${gitOrg}/${name}`);
  await page.screenshot({
    path: `${artifacts}/screenshots/6-task-completed.png`,
    fullPage: true,
  });

  await open.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
  );
  await expect(page.getByRole('heading', { name }).first()).toBeVisible();
  await expect(page.getByText('ml-team').first()).toBeVisible();
  // "View source" points at the repository's tree on the Gitea server
  const source = page.getByRole('link', { name: /View source/i }).first();
  await expect(source).toHaveAttribute(
    'href',
    new RegExp(`^${gitUrl}/${gitOrg}/${name}/src/branch/main/?$`),
  );
  await page.screenshot({ path: `${artifacts}/screenshots/7-entity-page.png` });
});
