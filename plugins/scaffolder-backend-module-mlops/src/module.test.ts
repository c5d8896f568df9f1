import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleMlops } from './module';

describe('scaffolderModuleMlops', () => {
  it('registers the six actions, reading mlops.s3, mlops.git and mlops.deploy', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleMlops,
        mockServices.rootConfig.factory({
          data: {
            mlops: {
              s3: {
                endpoint: 'http://localhost:9000',
                accessKeyId: 'a',
                secretAccessKey: 'b',
              },
              git: { allowedRoots: ['/srv/git'], allowedHosts: ['localhost'] },
              scaffolder: {
                kubernetesApply: { namespaces: [{ patterns: ['ml-*'] }] },
              },
              ownership: {
                namespaces: [{ owner: 'ml-team', namespaces: ['ml-projects'] }],
              },
              deploy: {
                targets: [{ cluster: 'default', namespaces: ['ml-projects'] }],
              },
            },
          },
        }),
      ],
    });
    const actions = addActions.mock.calls.flat();
    expect(actions.map(a => [a.id, a.supportsDryRun])).toEqual([
      ['mlops:s3:create-bucket', true],
      ['mlops:mlflow:create-experiment', true],
      ['mlops:mlflow:create-registered-model', true],
      ['mlops:kubernetes:apply', true],
      ['mlops:publish:git', true],
      ['mlops:kserve:deploy', true],
    ]);
    expect(actions[5].schema.input.required).toEqual(
      expect.arrayContaining([
        'entityRef',
        'owner',
        'source',
        'cluster',
        'namespace',
        'serviceName',
      ]),
    );
    expect(actions[0].schema.input.required).toEqual(['bucket', 'owner']);
    expect(actions[2].schema.input.required).toEqual(['name', 'owner']);
    expect(actions[3].schema.input.required).toEqual(
      expect.arrayContaining(['namespace', 'owner', 'manifestPaths']),
    );
    expect(actions.every(a => a.examples.length > 0)).toBe(true);
  });

  it('starts with an incomplete mlops.s3 (credentials from unset variables) and warns', async () => {
    const addActions = jest.fn();
    const logger = mockServices.logger.mock();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleMlops,
        logger.factory,
        mockServices.rootConfig.factory({
          data: { mlops: { s3: { endpoint: 'http://localhost:9000' } } },
        }),
      ],
    });
    expect(addActions).toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'mlops.s3 is incomplete (mlops.s3.accessKeyId, mlops.s3.secretAccessKey not set)',
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'mlops.scaffolder.kubernetesApply.namespaces is not configured: mlops:kubernetes:apply refuses every namespace',
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'mlops.deploy.targets is not configured: mlops:kserve:deploy refuses every namespace',
      ),
    );
  });

  it('refuses to start with an invalid mlops.s3, mlops.git, mlops.scaffolder or mlops.ownership, naming the key', async () => {
    const start = (mlops: object) =>
      startTestBackend({
        extensionPoints: [
          [scaffolderActionsExtensionPoint, { addActions: jest.fn() }],
        ],
        features: [
          scaffolderModuleMlops,
          mockServices.rootConfig.factory({ data: { mlops } }),
        ],
      });
    await expect(
      start({
        s3: { endpoint: 'minio:9000', accessKeyId: 'a', secretAccessKey: 'b' },
      }),
    ).rejects.toThrow("Invalid config at 'mlops.s3.endpoint'");
    await expect(start({ git: { allowedRoots: ['srv/git'] } })).rejects.toThrow(
      "Invalid config at 'mlops.git.allowedRoots[0]': 'srv/git' must be an absolute directory path",
    );
    await expect(
      start({ git: { allowedHosts: ['https://git.example.com'] } }),
    ).rejects.toThrow("Invalid config at 'mlops.git.allowedHosts[0]'");
    await expect(
      start({
        scaffolder: {
          kubernetesApply: { namespaces: [{ patterns: ['ML'] }] },
        },
      }),
    ).rejects.toThrow(
      "Invalid config at 'mlops.scaffolder.kubernetesApply.namespaces[0].patterns[0]'",
    );
    await expect(
      start({
        ownership: { namespaces: [{ owner: 'a:b:c', namespaces: ['x'] }] },
      }),
    ).rejects.toThrow(
      "Invalid config at 'mlops.ownership.namespaces[0].owner'",
    );
    await expect(
      start({
        deploy: { targets: [{ cluster: 'default', namespaces: ['No_Ns'] }] },
      }),
    ).rejects.toThrow(
      "Invalid config at 'mlops.deploy.targets[0].namespaces[0]'",
    );
  });
});
