import { ConfigReader } from '@backstage/config';
import { readDeployTargets } from './deployTargets';

const read = (targets: unknown[]) =>
  readDeployTargets(
    new ConfigReader({ mlops: { deploy: { targets } } } as any),
  );

describe('readDeployTargets (mlops.deploy.targets)', () => {
  it('reads one target per namespace; modes default to both, Standard first', () => {
    expect(
      read([
        {
          cluster: 'harness',
          namespaces: ['fraud-detection', 'fraud-detection-dev'],
          serviceAccountName: 'kserve-models',
        },
        { cluster: 'prod.eu', namespaces: ['serving'], modes: ['Knative'] },
      ]),
    ).toEqual([
      {
        cluster: 'harness',
        namespace: 'fraud-detection',
        modes: ['Standard', 'Knative'],
        serviceAccountName: 'kserve-models',
        serviceAccountNames: ['kserve-models'],
      },
      {
        cluster: 'harness',
        namespace: 'fraud-detection-dev',
        modes: ['Standard', 'Knative'],
        serviceAccountName: 'kserve-models',
        serviceAccountNames: ['kserve-models'],
      },
      {
        cluster: 'prod.eu',
        namespace: 'serving',
        modes: ['Knative'],
        serviceAccountNames: [],
      },
    ]);
  });

  it('allows no target when the config is absent', () => {
    expect(readDeployTargets(new ConfigReader({}))).toEqual([]);
    expect(readDeployTargets(new ConfigReader({ mlops: {} }))).toEqual([]);
    expect(
      readDeployTargets(new ConfigReader({ mlops: { deploy: {} } })),
    ).toEqual([]);
  });

  it('reads the other service accounts a deploy may ask for; the default is always one of them', () => {
    const [withDefault, withoutDefault] = read([
      {
        cluster: 'c',
        namespaces: ['a'],
        serviceAccountName: 'kserve-models',
        serviceAccountNames: ['kserve-gpu', 'kserve-models', 'kserve-s3.eu'],
      },
      { cluster: 'c', namespaces: ['b'], serviceAccountNames: ['kserve-gpu'] },
    ]);
    expect(withDefault).toMatchObject({
      serviceAccountName: 'kserve-models',
      serviceAccountNames: ['kserve-models', 'kserve-gpu', 'kserve-s3.eu'],
    });
    expect(withoutDefault.serviceAccountName).toBeUndefined();
    expect(withoutDefault.serviceAccountNames).toEqual(['kserve-gpu']);
  });

  it('keeps the order of the modes listed (the first is the default)', () => {
    expect(
      read([
        { cluster: 'c', namespaces: ['a'], modes: ['Knative', 'Standard'] },
      ])[0].modes,
    ).toEqual(['Knative', 'Standard']);
  });

  it.each([
    [
      [{ cluster: 'bad cluster', namespaces: ['a'] }],
      "Invalid config at 'mlops.deploy.targets[0].cluster': 'bad cluster' is not a cluster name",
    ],
    [
      [{ cluster: 'c', namespaces: [] }],
      "Invalid config at 'mlops.deploy.targets[0].namespaces': list at least one namespace",
    ],
    [
      [{ cluster: 'c', namespaces: ['ok', 'Not_OK'] }],
      "Invalid config at 'mlops.deploy.targets[0].namespaces[1]': 'Not_OK' is not a Kubernetes namespace name",
    ],
    [
      [{ cluster: 'c', namespaces: ['a'], modes: ['Serverless'] }],
      "Invalid config at 'mlops.deploy.targets[0].modes[0]': 'Serverless' is not a deploy mode",
    ],
    [
      [{ cluster: 'c', namespaces: ['a'], modes: ['Standard', 'Standard'] }],
      "Invalid config at 'mlops.deploy.targets[0].modes[1]': 'Standard' is listed twice",
    ],
    [
      [{ cluster: 'c', namespaces: ['a'], modes: [] }],
      "Invalid config at 'mlops.deploy.targets[0].modes': list at least one",
    ],
    [
      [{ cluster: 'c', namespaces: ['a'], serviceAccountName: 'Bad SA' }],
      "Invalid config at 'mlops.deploy.targets[0].serviceAccountName': 'Bad SA' is not a service account name",
    ],
    [
      [
        {
          cluster: 'c',
          namespaces: ['a'],
          serviceAccountNames: ['ok', 'Not_OK'],
        },
      ],
      "Invalid config at 'mlops.deploy.targets[0].serviceAccountNames[1]': 'Not_OK' is not a service account name",
    ],
    [
      [
        { cluster: 'c', namespaces: ['a', 'b'] },
        { cluster: 'c', namespaces: ['b'] },
      ],
      "Invalid config at 'mlops.deploy.targets[1].namespaces[0]': namespace 'b' of cluster 'c' is already listed by mlops.deploy.targets[0]",
    ],
  ])('refuses %j naming the key', (targets, message) => {
    expect(() => read(targets)).toThrow(message);
  });

  it('allows the same namespace on two clusters', () => {
    expect(
      read([
        { cluster: 'a', namespaces: ['serving'] },
        { cluster: 'b', namespaces: ['serving'] },
      ]),
    ).toHaveLength(2);
  });

  it('refuses a missing cluster with Backstage’s own key error', () => {
    expect(() => read([{ namespaces: ['a'] }])).toThrow(
      /mlops\.deploy\.targets\[0\]\.cluster/,
    );
  });
});
