import type { MlflowModelsResponse } from '@mlstack/plugin-mlops-common';
import type { MlflowEntityService } from './MlflowEntityService';
import { ServedVersionFinder } from './ServedVersionFinder';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud' },
};

const version = (v: string, source: string, aliases: string[] = []) => ({
  name: 'm',
  version: v,
  status: 'READY' as const,
  source,
  aliases,
  tags: {},
  uiUrl: `http://ui/m/${v}`,
});

function mlflowWith(
  models: MlflowModelsResponse,
  downloadUris: Record<string, string> = {
    '3': 's3://bucket/1/models/m-abc/artifacts/',
  },
) {
  const downloadUri = jest.fn(
    async (_e: unknown, _m: string, v: string) =>
      downloadUris[v] ?? 'elsewhere',
  );
  const mlflow = {
    getModels: jest.fn(async () => models),
    getModelVersionDownloadUri: downloadUri,
    forOneRequest: (requested: unknown) => requested,
    // The instance's --artifacts-destination: where mlflow-artifacts:/ files really are.
    clientOf: () => ({ name: 'main', artifactsDestination: 's3://bucket' }),
  } as unknown as MlflowEntityService;
  return { mlflow, downloadUri };
}

describe('ServedVersionFinder', () => {
  const models: MlflowModelsResponse = {
    instance: 'main',
    missingModels: [],
    refusedModels: [],
    models: [
      {
        name: 'm',
        claim: 'owned',
        aliases: {},
        tags: {},
        uiUrl: 'http://ui/m',
        versions: [
          version('3', 'models:/m-abc'),
          version('2', 's3://bucket/model/', ['champion']),
          version('1', 's3://bucket/model'),
        ],
      },
    ],
  };

  it('matches sources (the newest version first), then download URIs, each looked up once', async () => {
    const { mlflow, downloadUri } = mlflowWith(models);
    const finder = new ServedVersionFinder(mlflow);
    const uris = ['s3://bucket/model', 's3://bucket/1/models/m-abc/artifacts'];
    const found = await finder.find(entity, uris);
    expect(found.get('s3://bucket/model')).toEqual({
      instance: 'main',
      modelName: 'm',
      version: '2',
      aliases: ['champion'],
      uiUrl: 'http://ui/m/2',
    });
    expect(found.get('s3://bucket/1/models/m-abc/artifacts')?.version).toBe(
      '3',
    );
    await finder.find(entity, uris);
    expect(downloadUri).toHaveBeenCalledTimes(1);
  });

  it('matches a proxied download URI (mlflow-artifacts:/) under the instance’s artifacts destination, as deploys write it', async () => {
    const { mlflow } = mlflowWith(models, {
      '3': 'mlflow-artifacts:/1/models/m-abc/artifacts',
    });
    const finder = new ServedVersionFinder(mlflow);
    const found = await finder.find(entity, [
      's3://bucket/1/models/m-abc/artifacts',
    ]);
    expect(found.get('s3://bucket/1/models/m-abc/artifacts')?.version).toBe(
      '3',
    );
  });

  it('asks nothing when no service has a storage URI, and nothing more once all match', async () => {
    const { mlflow, downloadUri } = mlflowWith(models);
    const finder = new ServedVersionFinder(mlflow);
    expect((await finder.find(entity, [])).size).toBe(0);
    expect(mlflow.getModels).not.toHaveBeenCalled();
    await finder.find(entity, ['s3://bucket/model']);
    expect(downloadUri).not.toHaveBeenCalled();
  });
});
