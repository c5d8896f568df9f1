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
async function harness(
  args: string[],
  env: Record<string, string>,
  timeout = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', [script, ...args], {
      env: { ...process.env, ...env },
      timeout,
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

describe('harness.sh on a machine that ran only scripts/start.sh', () => {
  it('starts the embedded stack of scripts/start.sh from only what `all.sh --stack` builds', async () => {
    // A machine that ran only the README's first command: the Python venv and the outputs of
    // `go-binaries.sh stack` (each binary with its version stamp), nothing the tests add
    // (PostgreSQL, the node's binaries). Linked from this checkout's .tools/.
    const tools = path.join(
      targetPaths.resolveRoot('.tools'),
      'stack-only-test',
    );
    fs.rmSync(tools, { recursive: true, force: true });
    fs.mkdirSync(path.join(tools, 'bin'), { recursive: true });
    fs.chmodSync(tools, 0o755);
    const harnessDir = path.join(tools, 'harness');
    const { stdout: list } = await run('bash', [
      targetPaths.resolveRoot('scripts/bootstrap/go-binaries.sh'),
      '--list',
      'stack',
    ]);
    const outputs = ['venv', ...list.split('\n').filter(Boolean)];
    for (const output of outputs) {
      const linked = [output];
      if (output.startsWith('bin/')) {
        linked.push(`bin/.${path.basename(output)}.version`);
      }
      for (const file of linked) {
        fs.symlinkSync(
          targetPaths.resolveRoot('.tools', file),
          path.join(tools, file),
        );
      }
    }
    const env = { MLSTACK_TOOLS: tools, MLSTACK_HARNESS_DIR: harnessDir };
    try {
      const up = await harness(
        ['up', 's3', 'mlflow', 'kube', 'git'],
        env,
        360_000,
      );
      expect({ code: up.code, stderr: up.code ? up.stderr : '' }).toEqual({
        code: 0,
        stderr: '',
      });
      const status = await harness(['status'], env);
      expect(
        status.stdout
          .split('\n')
          .map(line => line.split(/\s+/)[0])
          .filter(name => ['s3', 'mlflow', 'kube', 'git'].includes(name)),
      ).toEqual(['s3', 'mlflow', 'kube', 'git']);
    } finally {
      await harness(['down', 's3', 'mlflow', 'kube', 'git'], env, 120_000);
      fs.rmSync(tools, { recursive: true, force: true });
    }
  }, 540_000);
});
