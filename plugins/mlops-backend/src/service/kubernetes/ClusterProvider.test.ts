import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import { KubernetesClusters } from '@mlstack/plugin-mlops-node';
import { ClusterProvider } from './ClusterProvider';

const noConfig = new ConfigReader({});

describe('ClusterProvider', () => {
  it('answers 503 saying what to configure when there is no cluster at all, and logs it once', () => {
    const logger = mockServices.logger.mock();
    const build = jest.fn();
    const provider = new ClusterProvider({
      config: noConfig,
      logger,
      env: { HOME: '/nowhere' },
      fileExists: () => false,
      build,
    });
    provider.check();
    expect(() => provider.get()).toThrow(ServiceUnavailableError);
    expect(() => provider.get()).toThrow(/mlops\.kubernetes\.clusters/);
    expect(build).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('uses a kubeconfig named by KUBECONFIG, or the pod’s account', () => {
    const clusters = {
      get: jest.fn(() => 'cluster'),
      names: () => ['default'],
    };
    const build = jest.fn(() => clusters as unknown as KubernetesClusters);
    const seen: string[] = [];
    const withFile = new ClusterProvider({
      config: noConfig,
      logger: mockServices.logger.mock(),
      env: { KUBECONFIG: '/a/missing:/b/config' },
      fileExists: file => {
        seen.push(file);
        return file === '/b/config';
      },
      build,
    });
    expect(withFile.get()).toBe('cluster');
    expect(seen).toEqual(['/a/missing', '/b/config']);
    const inPod = new ClusterProvider({
      config: noConfig,
      logger: mockServices.logger.mock(),
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
      fileExists: () => false,
      build,
    });
    expect(inPod.get()).toBe('cluster');
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('turns a config that cannot be loaded into 503, and tries again next time', () => {
    const config = new ConfigReader({
      mlops: {
        kubernetes: { clusters: [{ name: 'x', kubeconfigContext: 'gone' }] },
      },
    });
    const build = jest
      .fn()
      .mockImplementationOnce(() => {
        throw new Error("the kubeconfig has no context 'gone'");
      })
      .mockImplementationOnce(() => ({ get: () => 'ok' }));
    const provider = new ClusterProvider({
      config,
      logger: mockServices.logger.mock(),
      build,
    });
    expect(() => provider.get('x')).toThrow(
      "Kubernetes is not available to the MLStack backend: the kubeconfig has no context 'gone'",
    );
    expect(provider.get('x')).toBe('ok');
  });

  it('builds real clusters from config, and names the configured ones for an unknown name', () => {
    const provider = new ClusterProvider({
      config: new ConfigReader({
        mlops: {
          kubernetes: {
            clusters: [{ name: 'prod', url: 'https://10.0.0.1:6443' }],
          },
        },
      }),
      logger: mockServices.logger.mock(),
    });
    expect(provider.get().name).toBe('prod');
    expect(() => provider.get('dev')).toThrow(
      "Unknown Kubernetes cluster 'dev'; the configured clusters are: prod",
    );
  });
});
