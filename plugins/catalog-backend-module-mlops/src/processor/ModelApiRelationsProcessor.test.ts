import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { ModelApiRelationsProcessor } from './ModelApiRelationsProcessor';

const location = {
  type: 'url',
  target: 'http://mlflow.example.com/#/models/m',
};

function resource(type: string, providesApis?: unknown): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'main-m', namespace: 'team-a' },
    spec: {
      type,
      owner: 'group:default/t',
      ...(providesApis ? { providesApis } : {}),
    },
  };
}

async function emitted(entity: Entity): Promise<CatalogProcessorResult[]> {
  const results: CatalogProcessorResult[] = [];
  await new ModelApiRelationsProcessor().postProcessEntity(
    entity,
    location,
    r => results.push(r),
  );
  return results;
}

describe('ModelApiRelationsProcessor', () => {
  it('relates an ml-model Resource and its APIs both ways (refs default to kind API, the model’s namespace)', async () => {
    const results = await emitted(
      resource('ml-model', ['serving-api', 'api:other/x']),
    );
    expect(results).toEqual([
      {
        type: 'relation',
        relation: {
          source: { kind: 'Resource', namespace: 'team-a', name: 'main-m' },
          type: 'providesApi',
          target: { kind: 'API', namespace: 'team-a', name: 'serving-api' },
        },
      },
      {
        type: 'relation',
        relation: {
          source: { kind: 'API', namespace: 'team-a', name: 'serving-api' },
          type: 'apiProvidedBy',
          target: { kind: 'Resource', namespace: 'team-a', name: 'main-m' },
        },
      },
      expect.objectContaining({
        relation: expect.objectContaining({
          type: 'providesApi',
          target: { kind: 'api', namespace: 'other', name: 'x' },
        }),
      }),
      expect.objectContaining({
        relation: expect.objectContaining({ type: 'apiProvidedBy' }),
      }),
    ]);
  });

  it('leaves other Resources alone', async () => {
    expect(await emitted(resource('database', ['serving-api']))).toEqual([]);
  });

  it('reports a providesApis that is not a list', async () => {
    const results = await emitted(resource('ml-model', 'serving-api'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ type: 'error' });
  });
});
