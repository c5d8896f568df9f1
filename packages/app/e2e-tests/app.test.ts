import { test, expect } from '@playwright/test';

const artifacts = process.env.E2E_ARTIFACTS ?? 'artifacts/e2e';

test('a guest signs in, finds the example ML project and opens its page', async ({
  page,
}) => {
  await page.goto('/');

  // Guest sign-in (the only provider of the embedded defaults).
  await page.getByRole('button', { name: 'Enter' }).click();

  // The catalog is the landing page and lists the example ML project.
  await expect(
    page.getByRole('heading', { name: 'MLStack Catalog' }),
  ).toBeVisible();
  const row = page.getByRole('link', { name: 'Fraud detector', exact: true });
  await expect(row).toBeVisible();

  await row.click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/fraud-detector/);
  await expect(
    page.getByRole('heading', { name: 'Fraud detector' }).first(),
  ).toBeVisible();
  // The overview's About card has loaded the entity: its description and owner.
  await expect(
    page.getByText(/Example ML project: a scikit-learn/),
  ).toBeVisible();
  await expect(page.getByText('ml-team').first()).toBeVisible();

  await page.screenshot({
    path: `${artifacts}/screenshots/fraud-detector-entity-page.png`,
    fullPage: false,
  });
});
