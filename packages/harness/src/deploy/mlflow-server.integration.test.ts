/*
 * The MLflow container of deploy/minikube/base/mlflow, run outside the cluster: its command,
 * arguments and settings, taken from the rendered Deployment, start the same MLflow version
 * (the harness venv's) against the harness's MinIO. Only what cannot work outside a pod is
 * changed (database file, port, listen address, S3 endpoint and credentials). It must serve
 * the names the cluster uses for it, and refuse a foreign Host header.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectToolPath } from '../projectTools';
import { requireHarnessService } from '../harnessState';
import { deployPath, kustomize, parseDocuments } from './kubectl';

jest.setTimeout(180_000);

const VENV_BIN = projectToolPath('venv', 'bin');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** GET with an explicit Host header (fetch does not let one set it). */
function get(
  port: number,
  urlPath: string,
  host: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, headers: { host } },
      res => {
        let body = '';
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function waitForHealth(
  port: number,
  server: ChildProcess,
  log: () => string,
) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) {
      throw new Error(`mlflow server exited ${server.exitCode}:\n${log()}`);
    }
    try {
      if ((await get(port, '/health', `127.0.0.1:${port}`)).status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`mlflow server did not become healthy:\n${log()}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

describe('the MLflow Deployment of deploy/minikube', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstack-mlflow-'));
  let server: ChildProcess | undefined;
  let output = '';
  let port = 0;
  let command: string[] = [];

  beforeAll(async () => {
    const s3 = requireHarnessService('s3');
    const objects = parseDocuments(
      await kustomize(deployPath('base', 'mlflow')),
    );
    const deployment = objects.find(o => o.kind === 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    const env: Record<string, string> = Object.fromEntries(
      container.env
        .filter((e: any) => e.value !== undefined)
        .map((e: any) => [e.name, String(e.value)]),
    );
    port = await freePort();
    const overrides: Record<string, string> = {
      '--backend-store-uri': `sqlite:///${path.join(tmp, 'mlflow.db')}`,
      '--host': '127.0.0.1',
      '--port': String(port),
    };
    const args: string[] = [...container.args];
    for (const [flag, value] of Object.entries(overrides)) {
      const i = args.indexOf(flag);
      if (i < 0) {
        throw new Error(`the MLflow container has no ${flag} argument`);
      }
      args[i + 1] = value;
    }
    command = container.command;
    server = spawn(path.join(VENV_BIN, 'mlflow'), ['server', ...args], {
      cwd: tmp,
      env: {
        PATH: `${VENV_BIN}:${process.env.PATH}`,
        ...env,
        HOME: tmp,
        MLFLOW_S3_ENDPOINT_URL: s3.endpoint,
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: `mlflow server` forks uvicorn/gunicorn workers, and they
      // must stop with it before the temporary directory they write to is removed.
      detached: true,
    });
    server.stdout?.on('data', d => {
      output += d;
    });
    server.stderr?.on('data', d => {
      output += d;
    });
    await waitForHealth(port, server, () => output);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise(resolve => server!.once('exit', resolve));
      process.kill(-server.pid!, 'SIGTERM');
      await Promise.race([exited, new Promise(r => setTimeout(r, 10_000))]);
    }
    if (server?.pid) {
      // Workers that outlived the server (or ignored SIGTERM) go with the group.
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch (e: any) {
        if (e.code !== 'ESRCH') throw e;
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it("runs the image's mlflow server, as the container's command says", () => {
    expect(command).toEqual(['mlflow', 'server']);
  });

  it.each([
    'mlflow.mlflow.svc.cluster.local:5000',
    'mlflow.mlflow.svc:5000',
    'mlflow.mlflow:5000',
    'mlflow:5000',
    'localhost:5000',
    '127.0.0.1:5000',
  ])('answers requests for %s', async host => {
    const res = await get(
      port,
      '/api/2.0/mlflow/experiments/search?max_results=1',
      host,
    );
    expect({ host, status: res.status }).toEqual({ host, status: 200 });
  });

  it('refuses a Host header it does not know (DNS rebinding)', async () => {
    const res = await get(
      port,
      '/api/2.0/mlflow/experiments/search?max_results=1',
      'attacker.example.com',
    );
    expect(res.status).toBe(403);
  });

  it('proxies artifacts to s3://mlflow-artifacts', async () => {
    const res = await get(
      port,
      '/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default',
      `localhost:${port}`,
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).experiment.artifact_location).toMatch(
      /^mlflow-artifacts:/,
    );
  });
});
