/**
 * The portal's search finds the model entities: the real catalog with this module, the search
 * backend (its default in-memory Lunr engine) and the catalog collator the portal's backend runs
 * (`@backstage/plugin-search-backend-module-catalog`, no filter, as in app-config.yaml), against
 * the harness's real MLflow.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import { requireHarnessService } from '@internal/harness';
import {
  entitiesModule,
  recordingLogger,
  recordingScheduler,
} from './__testUtils__/testBackendServices';
import { catalogModuleMlstackModels } from './module';

jest.setTimeout(120_000);

const stamp = Date.now().toString(36);
const MODEL = `search-${stamp}-churn`;
const PROJECT = `churn-project-${stamp}`;
const mlflowUrl = requireHarnessService('mlflow').url;

const project: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: PROJECT,
    namespace: 'default',
    annotations: {
      'mlflow.org/registered-model-name': MODEL,
      'mlflow.org/instance': 'main',
    },
  },
  spec: {
    type: 'ml-project',
    lifecycle: 'experimental',
    owner: 'group:default/ml-team',
  },
};

describe('search finds the model entities', () => {
  const scheduler = recordingScheduler();
  const claimers = entitiesModule();
  let baseUrl: string;
  let stopBackend: () => Promise<void>;

  const get = async (path: string) => {
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: mockCredentials.service.header() },
    });
    return {
      status: res.status,
      body: res.ok ? await res.json() : await res.text(),
    };
  };

  beforeAll(async () => {
    const res = await fetch(
      `${mlflowUrl}/api/2.0/mlflow/registered-models/create`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: MODEL,
          description: 'Predicts which subscribers cancel next month',
          tags: [{ key: 'mlstack.io/owner', value: 'group:default/ml-team' }],
        }),
      },
    );
    if (!res.ok) {
      throw new Error(
        `MLflow registered-models/create: ${res.status} ${await res.text()}`,
      );
    }
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleMlstackModels,
        claimers.module,
        searchPlugin,
        searchModuleCatalogCollator,
        scheduler.factory,
        recordingLogger().factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: {
                mlstackModels: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 2 },
                  },
                },
              },
            },
            mlops: {
              mlflow: { instances: [{ name: 'main', baseUrl: mlflowUrl }] },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}`;
    stopBackend = () => backend.stop();
    await claimers.apply([project]);
  });

  afterAll(async () => {
    await stopBackend?.();
  });

  it('indexes the model Resource: a search for its description finds it by title, kind and type', async () => {
    const modelPath = `/api/catalog/entities/by-name/resource/default/main-${MODEL}`;
    const deadline = Date.now() + 60_000;
    // The project must be processed (its owner resolved) before the provider reads it.
    while ((await get(modelPath)).status !== 200 && Date.now() < deadline) {
      await scheduler.run('mlstack-models:refresh');
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    expect((await get(modelPath)).status).toBe(200);

    await scheduler.run('search_index_software_catalog');
    const { body } = await get(
      `/api/search/query?term=${encodeURIComponent(
        'subscribers cancel',
      )}&types[0]=software-catalog`,
    );
    const documents = (
      body as { results: Array<{ document: Record<string, unknown> }> }
    ).results.map(r => r.document);
    expect(documents).toContainEqual(
      expect.objectContaining({
        title: MODEL,
        kind: 'Resource',
        type: 'ml-model',
        owner: 'group:default/ml-team',
        location: `/catalog/default/resource/main-${MODEL}`,
      }),
    );
  });
});
