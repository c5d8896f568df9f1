import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ARGO_WORKFLOW_RESOURCE } from './customResources';
import { KubeConfigLoaders, KubernetesClusters } from './KubernetesClusters';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const PEM_BASE64 = Buffer.from(PEM).toString('base64');

const KUBECONFIG = `
apiVersion: v1
kind: Config
current-context: kind-mlstack
clusters:
  - name: kind
    cluster: { server: https://127.0.0.1:6443, insecure-skip-tls-verify: true }
  - name: staging
    cluster: { server: https://staging.example.com }
users:
  - name: kind-admin
    user: { token: kind-token }
  - name: staging-user
    user: { token: staging-token }
contexts:
  - name: kind-mlstack
    context: { cluster: kind, user: kind-admin, namespace: ml }
  - name: staging
    context: { cluster: staging, user: staging-user }
`;

function fakeLoaders(): KubeConfigLoaders & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fromDefault() {
      calls.push('default');
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(KUBECONFIG);
      return kubeConfig;
    },
    fromCluster() {
      calls.push('cluster');
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromClusterAndUser(
        {
          name: 'inCluster',
          server: 'https://10.96.0.1:443',
          skipTLSVerify: false,
        },
        { name: 'inClusterUser' },
      );
      return kubeConfig;
    },
  };
}

const withClusters = (clusters: unknown) =>
  new ConfigReader({ mlops: { kubernetes: { clusters } } } as any);

describe('KubernetesClusters', () => {
  it('builds a KubeConfig from url, token and CA', () => {
    const clusters = KubernetesClusters.fromConfig(
      withClusters([
        {
          name: 'prod',
          url: 'https://10.0.0.1:6443',
          serviceAccountToken: 'tok',
          caData: PEM,
        },
      ]),
      { loaders: fakeLoaders(), env: {} },
    );
    const prod = clusters.get('prod');
    expect(prod.name).toBe('prod');
    expect(prod.source).toBe('config');
    expect(prod.server).toBe('https://10.0.0.1:6443');
    expect(prod.kubeConfig.getCurrentCluster()).toEqual({
      name: 'prod',
      server: 'https://10.0.0.1:6443',
      caData: PEM_BASE64,
      skipTLSVerify: false,
    });
    expect(prod.kubeConfig.getCurrentUser()).toEqual({
      name: 'prod',
      token: 'tok',
    });
    expect(prod.defaultNamespace).toBeUndefined();
  });

  it('sends the token as a bearer token', async () => {
    const clusters = KubernetesClusters.fromConfig(
      withClusters([
        {
          name: 'prod',
          url: 'https://10.0.0.1:6443',
          serviceAccountToken: 'tok',
        },
      ]),
      { env: {} },
    );
    const options = await clusters.get().kubeConfig.applyToFetchOptions({});
    const headers = new Headers(options.headers as HeadersInit);
    expect(headers.get('Authorization')).toBe('Bearer tok');
  });

  it('uses a context of the kubeconfig, each cluster with its own KubeConfig', () => {
    const loaders = fakeLoaders();
    const clusters = KubernetesClusters.fromConfig(
      withClusters([
        { name: 'kind', kubeconfigContext: 'kind-mlstack' },
        { name: 'staging', kubeconfigContext: 'staging' },
      ]),
      { loaders, env: {} },
    );
    expect(clusters.names()).toEqual(['kind', 'staging']);
    expect(clusters.defaultName).toBe('kind');
    expect(clusters.get().server).toBe('https://127.0.0.1:6443');
    expect(clusters.get().defaultNamespace).toBe('ml');
    expect(clusters.get('staging').server).toBe('https://staging.example.com');
    expect(clusters.get('staging').kubeConfig.getCurrentUser()?.token).toBe(
      'staging-token',
    );
    expect(clusters.get('kind').source).toBe('kubeconfig');
    expect(loaders.calls).toEqual(['default', 'default']);
  });

  it('fails at startup for a context the kubeconfig does not have', () => {
    expect(() =>
      KubernetesClusters.fromConfig(
        withClusters([{ name: 'x', kubeconfigContext: 'prod' }]),
        {
          loaders: fakeLoaders(),
          env: {},
        },
      ),
    ).toThrow(
      "Invalid config at 'mlops.kubernetes.clusters[0].kubeconfigContext': the kubeconfig has no context 'prod'; it has: kind-mlstack, staging",
    );
  });

  it('fails at startup when the kubeconfig cannot be loaded', () => {
    const loaders = {
      ...fakeLoaders(),
      fromDefault: () => {
        throw new Error('ENOENT: no such file');
      },
    };
    expect(() =>
      KubernetesClusters.fromConfig(
        withClusters([{ name: 'x', kubeconfigContext: 'c' }]),
        {
          loaders,
          env: {},
        },
      ),
    ).toThrow(
      "Invalid config at 'mlops.kubernetes.clusters[0]': cannot load the backend's kubeconfig: ENOENT: no such file",
    );
  });

  it('without config, uses the current kubeconfig context as `default`', () => {
    const loaders = fakeLoaders();
    const clusters = KubernetesClusters.fromConfig(new ConfigReader({}), {
      loaders,
      env: {},
    });
    expect(clusters.names()).toEqual(['default']);
    expect(clusters.get().source).toBe('kubeconfig');
    expect(clusters.get('default').server).toBe('https://127.0.0.1:6443');
    expect(loaders.calls).toEqual(['default']);
  });

  it('without config, in a pod, uses the service account (in-cluster)', () => {
    const loaders = fakeLoaders();
    const clusters = KubernetesClusters.fromConfig(new ConfigReader({}), {
      loaders,
      env: {
        KUBERNETES_SERVICE_HOST: '10.96.0.1',
        KUBERNETES_SERVICE_PORT: '443',
      },
    });
    expect(clusters.get().source).toBe('in-cluster');
    expect(clusters.get().server).toBe('https://10.96.0.1:443');
    expect(loaders.calls).toEqual(['cluster']);
  });

  it('reads the real kubeconfig file named by KUBECONFIG', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, KUBECONFIG);
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = file;
    try {
      const clusters = KubernetesClusters.fromConfig(
        withClusters([{ name: 'staging', kubeconfigContext: 'staging' }]),
        { env: {} },
      );
      expect(clusters.get().server).toBe('https://staging.example.com');
    } finally {
      if (previous === undefined) {
        delete process.env.KUBECONFIG;
      } else {
        process.env.KUBECONFIG = previous;
      }
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('reaches only configured clusters: an unknown name lists the configured ones', () => {
    const clusters = KubernetesClusters.fromConfig(
      withClusters([
        { name: 'prod', url: 'https://prod' },
        { name: 'dev', url: 'https://dev' },
      ]),
      { env: {} },
    );
    expect(clusters.get('').name).toBe('prod');
    expect(clusters.get(' dev ').name).toBe('dev');
    expect(() => clusters.get('staging')).toThrow(InputError);
    expect(() => clusters.get('staging')).toThrow(
      "Unknown Kubernetes cluster 'staging'; the configured clusters are: prod, dev",
    );
  });

  it('asks for a namespace before reading a namespaced object', async () => {
    const cluster = KubernetesClusters.fromConfig(
      withClusters([{ name: 'prod', url: 'https://prod.invalid' }]),
      { env: {} },
    ).get();
    await expect(
      cluster.getCustomObject(ARGO_WORKFLOW_RESOURCE, undefined, 'wf'),
    ).rejects.toThrow("A namespace is needed to read Workflow 'wf'");
  });
});
