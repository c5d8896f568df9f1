import { test, expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The README's first command, `scripts/start.sh`, as a new user runs it: the portal on its
 * embedded stack, each ML tab of the example project showing data. Only the ports (free ones,
 * as other portals may run on this machine) and the harness folder (its own, so this start
 * starts MinIO, MLflow and the API server, seeds them from empty, and must stop them again)
 * differ from a user's run. Stopped as a user stops it (Ctrl-C: SIGINT to its process group).
 */

const root = path.resolve(__dirname, '../../..');
const artifacts = process.env.E2E_ARTIFACTS ?? path.join(root, 'artifacts/e2e');
const out = path.join(artifacts, 'first-run');
const harnessDir = path.join(out, 'harness');
const screenshots = path.join(artifacts, 'screenshots');

let start: ChildProcess | undefined;
let exited: Promise<number | null> | undefined;
let frontendPort = 0;
let backendPort = 0;
let startedAt = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return res.ok;
  } catch {
    return false;
  }
}

function harness(...args: string[]): string {
  const res = spawnSync('bash', ['scripts/harness/harness.sh', ...args], {
    cwd: root,
    env: { ...process.env, MLSTACK_HARNESS_DIR: harnessDir },
    encoding: 'utf8',
  });
  return res.stdout;
}

function startLog(): string {
  return fs.readFileSync(path.join(out, 'start.log'), 'utf8');
}

/** Ctrl-C in the terminal: SIGINT to the process group of scripts/start.sh. */
async function stop(signal: NodeJS.Signals): Promise<number | null> {
  if (!start?.pid || !exited) return null;
  try {
    process.kill(-start.pid, signal);
  } catch {
    // already gone
  }
  return Promise.race([
    exited,
    new Promise<null>(r => setTimeout(() => r(null), 90_000)),
  ]);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  // The first start on a fresh machine may build everything (README: up to 15 minutes).
  test.setTimeout(20 * 60_000);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(harnessDir, { recursive: true });
  fs.mkdirSync(screenshots, { recursive: true });
  frontendPort = await freePort();
  do {
    backendPort = await freePort();
  } while (backendPort === frontendPort);

  const log = fs.openSync(path.join(out, 'start.log'), 'w');
  startedAt = Date.now();
  start = spawn('scripts/start.sh', [], {
    cwd: root,
    env: {
      ...process.env,
      MLSTACK_FRONTEND_PORT: String(frontendPort),
      MLSTACK_BACKEND_PORT: String(backendPort),
      MLSTACK_HARNESS_DIR: harnessDir,
    },
    detached: true,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const child = start;
  exited = new Promise(resolve => child.on('exit', code => resolve(code)));
  let gone = false;
  child.on('exit', () => {
    gone = true;
  });

  const backend = `http://localhost:${backendPort}/.backstage/health/v1/readiness`;
  const frontend = `http://localhost:${frontendPort}/`;
  for (;;) {
    if (gone) {
      throw new Error(
        `scripts/start.sh exited before the portal was ready:\n${startLog().slice(
          -4000,
        )}`,
      );
    }
    if ((await answers(backend)) && (await answers(frontend))) break;
    await new Promise(r => setTimeout(r, 1_000));
  }
  test.info().annotations.push({
    type: 'scripts/start.sh to a usable portal (s)',
    description: String(Math.round((Date.now() - startedAt) / 1000)),
  });
});

test.afterAll(async () => {
  test.setTimeout(3 * 60_000);
  if (!start) return;
  let code = await stop('SIGINT');
  if (code === null && start.exitCode === null) {
    code = await stop('SIGKILL');
    harness('down');
    throw new Error('scripts/start.sh did not stop on Ctrl-C (SIGINT)');
  }
  // The portal's ports are free again, and the services this start started are stopped.
  expect(await answers(`http://localhost:${backendPort}/`)).toBe(false);
  expect(await answers(`http://localhost:${frontendPort}/`)).toBe(false);
  const status = harness('status');
  if (!/nothing running/.test(status)) {
    harness('down');
    throw new Error(`the harness services were left running:\n${status}`);
  }
  expect(startLog()).toContain('stopping the services this start started');
});

async function signIn(page: Page) {
  await page.goto(`http://localhost:${frontendPort}/`);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  // The guest session is kept only once the sign-in has completed.
  await expect(enter).toBeHidden();
}

/** What an ML tab shows when its service is missing or refuses the portal. */
const errorPanelText =
  /is unavailable \(|request failed \(|The cluster is unreachable|Not allowed: |No Kubernetes cluster|Not found in /;

test('scripts/start.sh: the example project shows data on its MLflow, Pipelines and Serving tabs', async ({
  page,
}) => {
  test.setTimeout(5 * 60_000);
  expect(startLog()).toContain('MLStack is ready at');
  await signIn(page);

  // The product's name and logo in the sidebar and the page title.
  await expect(
    page.getByRole('img', { name: 'MLStack' }).first(),
  ).toBeVisible();
  await expect(page).toHaveTitle(/MLStack/);

  const entity = `http://localhost:${frontendPort}/catalog/default/component/fraud-detector`;
  // The backend is ready before the catalog has read its locations: the entity page says
  // "Entity not found" for the first seconds.
  await expect(async () => {
    await page.goto(entity);
    await expect(
      page.getByRole('heading', { name: 'Fraud detector' }).first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000 });
  test.info().annotations.push({
    type: 'scripts/start.sh to the example project in the catalog (s)',
    description: String(Math.round((Date.now() - startedAt) / 1000)),
  });

  // MLflow: the seeded experiment's runs and the registered model's aliases.
  await page.goto(`${entity}/mlflow`);
  await expect(page.getByText('training-sweep').first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText('lr-0.1', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('champion').first()).toBeVisible();
  await expect(page.getByText(errorPanelText)).toHaveCount(0);
  await page.screenshot({
    path: path.join(screenshots, 'first-run-mlflow-tab.png'),
    fullPage: true,
  });

  // Pipelines: the seeded Argo runs of the project's namespace.
  await page.goto(`${entity}/pipelines`);
  await expect(page.getByText('Namespace ml-projects on cluster')).toBeVisible({
    timeout: 60_000,
  });
  const dag = page.getByRole('row').filter({
    has: page.getByRole('link', {
      name: 'fraud-detector-dag-82q7s',
      exact: true,
    }),
  });
  await expect(dag.getByText('Succeeded', { exact: true })).toBeVisible();
  await expect(page.getByText(errorPanelText)).toHaveCount(0);
  await page.screenshot({
    path: path.join(screenshots, 'first-run-pipelines-tab.png'),
    fullPage: true,
  });

  // Serving: the project's InferenceService and its conditions.
  await page.goto(`${entity}/serving`);
  const conditions = page.getByRole('table', {
    name: 'Conditions of fraud-detector',
  });
  await expect(conditions).toBeVisible({ timeout: 60_000 });
  await expect(
    conditions.getByText('Ready', { exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByText(errorPanelText)).toHaveCount(0);
  await page.screenshot({
    path: path.join(screenshots, 'first-run-serving-tab.png'),
    fullPage: true,
  });
});
