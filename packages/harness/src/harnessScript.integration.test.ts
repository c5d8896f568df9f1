import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { targetPaths } from '@backstage/cli-common';

const run = promisify(execFile);
const script = targetPaths.resolveRoot('scripts/harness/harness.sh');

/** Runs harness.sh with its own state folder, so the shared harness is not touched. */
async function harness(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run('bash', [script, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error: any) {
    return {
      code: error.code as number,
      stdout: error.stdout,
      stderr: error.stderr,
    };
  }
}

describe('harness.sh faults', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-test-'));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it('refuses a requested port that is taken, naming it, and leaves nothing running', async () => {
    const blocker = net.createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await harness(['up', 's3'], {
        MLSTACK_HARNESS_DIR: stateDir,
        MLSTACK_S3_PORT: String(port),
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        `MinIO: port ${port} (from MLSTACK_S3_PORT) is already in use`,
      );
      const status = await harness(['status'], {
        MLSTACK_HARNESS_DIR: stateDir,
      });
      expect(status.stdout).toContain('harness: nothing running');
    } finally {
      blocker.close();
    }
  });

  it('names a missing server binary and how to build it', async () => {
    const emptyTools = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-tools-'));
    try {
      const result = await harness(['up', 's3'], {
        MLSTACK_HARNESS_DIR: stateDir,
        MLSTACK_TOOLS: emptyTools,
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        `MinIO is not installed at ${emptyTools}/bin/minio; run scripts/bootstrap/go-binaries.sh minio`,
      );
    } finally {
      fs.rmSync(emptyTools, { recursive: true, force: true });
    }
  });

  it('rejects an unknown service name', async () => {
    const result = await harness(['up', 'postgres'], {
      MLSTACK_HARNESS_DIR: stateDir,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      "unknown harness service 'postgres' (known: s3, mlflow, kube, pg, git, node, argo, kserve)",
    );
  });
});
