import { ConfigReader } from '@backstage/config';
import { readKubernetesClustersConfig } from './config';

type ConfigData = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const PEM_BASE64 = Buffer.from(PEM).toString('base64');

function read(clusters: unknown) {
  return readKubernetesClustersConfig(
    new ConfigReader({ mlops: { kubernetes: { clusters } } } as ConfigData),
  );
}

describe('readKubernetesClustersConfig', () => {
  it('is undefined when nothing is configured', () => {
    expect(readKubernetesClustersConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readKubernetesClustersConfig(
        new ConfigReader({ mlops: { kubernetes: {} } }),
      ),
    ).toBeUndefined();
  });

  it('reads url clusters and kubeconfig contexts', () => {
    expect(
      read([
        {
          name: 'prod',
          url: 'https://10.0.0.1:6443/',
          serviceAccountToken: 'tok',
          caData: PEM_BASE64,
        },
        { name: 'dev', url: 'https://dev.example.com', skipTLSVerify: true },
        { name: 'kind', kubeconfigContext: 'kind-mlstack' },
      ]),
    ).toEqual([
      {
        name: 'prod',
        url: 'https://10.0.0.1:6443',
        serviceAccountToken: 'tok',
        caData: PEM_BASE64,
        skipTLSVerify: false,
      },
      { name: 'dev', url: 'https://dev.example.com', skipTLSVerify: true },
      { name: 'kind', kubeconfigContext: 'kind-mlstack' },
    ]);
  });

  it('accepts a bare PEM as caData and encodes it', () => {
    expect(read([{ name: 'a', url: 'https://a', caData: PEM }])).toEqual([
      { name: 'a', url: 'https://a', caData: PEM_BASE64, skipTLSVerify: false },
    ]);
  });

  it.each([
    [
      [],
      "Invalid config at 'mlops.kubernetes.clusters': list at least one cluster",
    ],
    [
      [{ name: 'bad name', url: 'https://a' }],
      "'mlops.kubernetes.clusters[0].name': 'bad name' must start",
    ],
    [
      [
        { name: 'a', url: 'https://a' },
        { name: 'a', kubeconfigContext: 'c' },
      ],
      "'mlops.kubernetes.clusters[1].name': the name 'a' is already used by mlops.kubernetes.clusters[0]",
    ],
    [
      [{ name: 'a' }],
      'set kubeconfigContext (a context of the backend kubeconfig) or url',
    ],
    [
      [{ name: 'a', url: 'https://a', kubeconfigContext: 'c' }],
      'set either kubeconfigContext or url, not both',
    ],
    [
      [{ name: 'a', kubeconfigContext: 'c', serviceAccountToken: 't' }],
      'serviceAccountToken, caData and skipTLSVerify go with url',
    ],
    [
      [{ name: 'a', url: 'ftp://a' }],
      "'ftp://a' must be an http:// or https:// URL",
    ],
    [[{ name: 'a', url: 'not a url' }], "'not a url' is not a valid URL"],
    [[{ name: 'a', url: 'https://u:p@a' }], 'must not carry credentials'],
    [
      [{ name: 'a', url: 'https://a', caData: 'bm90IGEgY2VydA==' }],
      "'mlops.kubernetes.clusters[0].caData': must be a PEM CA certificate",
    ],
    [
      [
        {
          name: 'a',
          url: 'https://a',
          caData: PEM_BASE64,
          skipTLSVerify: true,
        },
      ],
      'caData and skipTLSVerify: true contradict each other',
    ],
  ])('rejects %j', (clusters, message) => {
    expect(() => read(clusters)).toThrow(message);
  });

  it('never puts the token in an error message', () => {
    const attempt = () =>
      read([
        {
          name: 'a',
          url: 'https://a',
          serviceAccountToken: 'sekret',
          kubeconfigContext: 'c',
        },
      ]);
    expect(attempt).toThrow('set either kubeconfigContext or url, not both');
    expect(attempt).not.toThrow(/sekret/);
  });
});
