/*
 * deploy/minikube/install.sh, the part that needs no Minikube and downloads nothing: its
 * `secrets` step (namespaces + generated credentials), run for real against the harness API
 * server, twice. Credentials are generated at install, kept in Secrets only, and reused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireHarnessService } from '../harnessState';
import { KUBECTL, deployPath, kubectlOk, run } from './kubectl';

jest.setTimeout(180_000);

type SecretView = {
  namespace: string;
  name: string;
  values: Record<string, string>;
  annotations: Record<string, string>;
  resourceVersion: string;
};

async function readSecret(
  namespace: string,
  name: string,
): Promise<SecretView> {
  const secret = JSON.parse(
    await kubectlOk(['-n', namespace, 'get', 'secret', name, '-o', 'json']),
  );
  return {
    namespace,
    name,
    values: Object.fromEntries(
      Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
    ),
    annotations: secret.metadata.annotations ?? {},
    resourceVersion: secret.metadata.resourceVersion,
  };
}

const SECRETS = [
  ['minio', 'minio-root'],
  ['minio', 'mlstack-s3'],
  ['mlflow', 'mlstack-s3'],
  ['ml-projects', 'mlstack-s3'],
] as const;

describe('install.sh secrets (against the harness API server)', () => {
  const kube = requireHarnessService('kube');
  // A kubeconfig of its own, whose current context is not the one install.sh must use:
  // the script has to honour MLSTACK_KUBE_CONTEXT.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstack-install-'));
  const kubeconfig = path.join(tmp, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    fs
      .readFileSync(kube.kubeconfig, 'utf8')
      .replace(
        /^current-context: .*$/m,
        `current-context: ${kube.noRightsContext}`,
      ),
    { mode: 0o600 },
  );
  const env = {
    ...process.env,
    KUBECONFIG: kubeconfig,
    MLSTACK_KUBE_CONTEXT: kube.context,
    KUBECTL,
    // No minikube or helm needed for this step: make sure none is found.
    MINIKUBE: '/nonexistent/minikube',
    HELM: '/nonexistent/helm',
    HOME: tmp,
  };
  const install = (...args: string[]) =>
    run('bash', [deployPath('install.sh'), ...args], { env });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('creates the namespaces and the credentials, then reuses them unchanged', async () => {
    const first = await install('secrets');
    expect(first.stderr).toContain('credentials are in Secrets');
    expect(first.code).toBe(0);

    const created = await Promise.all(
      SECRETS.map(([ns, n]) => readSecret(ns, n)),
    );
    const [root, ...s3] = created;
    expect(Object.keys(root.values).sort()).toEqual([
      'MINIO_ROOT_PASSWORD',
      'MINIO_ROOT_USER',
    ]);
    expect(root.values.MINIO_ROOT_USER).toMatch(/^root-[0-9a-f]{12}$/);
    expect(root.values.MINIO_ROOT_PASSWORD).toMatch(/^[0-9a-f]{40}$/);
    for (const secret of s3) {
      // One application user, the same in every namespace.
      expect(secret.values).toEqual(s3[0].values);
    }
    expect(s3[0].values.AWS_ACCESS_KEY_ID).toMatch(/^mlstack-[0-9a-f]{12}$/);
    expect(s3[0].values.AWS_SECRET_ACCESS_KEY).toMatch(/^[0-9a-f]{40}$/);
    expect(s3[0].values.AWS_SECRET_ACCESS_KEY).not.toBe(
      root.values.MINIO_ROOT_PASSWORD,
    );

    // KServe's storage initializer reads the MinIO endpoint from the Secret's annotations.
    const projects = created.find(s => s.namespace === 'ml-projects')!;
    expect(projects.annotations).toMatchObject({
      'serving.kserve.io/s3-endpoint': 'minio.minio.svc.cluster.local:9000',
      'serving.kserve.io/s3-usehttps': '0',
      'serving.kserve.io/s3-region': 'us-east-1',
      'serving.kserve.io/s3-useanoncredential': 'false',
    });
    for (const secret of created) {
      // Server-side apply: the values are not repeated in a last-applied annotation.
      expect(Object.keys(secret.annotations)).not.toContain(
        'kubectl.kubernetes.io/last-applied-configuration',
      );
    }
    // Nothing secret on the terminal.
    for (const value of [
      root.values.MINIO_ROOT_PASSWORD,
      s3[0].values.AWS_SECRET_ACCESS_KEY,
    ]) {
      expect(first.stdout + first.stderr).not.toContain(value);
    }

    const second = await install('secrets');
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("reusing MinIO's root user");
    expect(second.stderr).toContain('reusing the application user');
    const again = await Promise.all(
      SECRETS.map(([ns, n]) => readSecret(ns, n)),
    );
    expect(again.map(s => s.values)).toEqual(created.map(s => s.values));
    // Not even rewritten.
    expect(again.map(s => s.resourceVersion)).toEqual(
      created.map(s => s.resourceVersion),
    );
  });

  it('refuses an unknown step and a missing context with a clear message', async () => {
    const unknown = await install('everything');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown step 'everything'");

    const noContext = await run('bash', [deployPath('install.sh'), 'secrets'], {
      env: { ...env, MLSTACK_KUBE_CONTEXT: 'no-such-context' },
    });
    expect(noContext.code).not.toBe(0);
    expect(noContext.stderr).toContain(
      "there is no kubeconfig context 'no-such-context'",
    );
    expect(noContext.stderr).toContain('minikube start');
  });

  it('checks for minikube and helm before a full install', async () => {
    const res = await install();
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/minikube is not installed/);
  });
});
