import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { MlflowInstances } from '@mlstack/plugin-mlops-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MlflowEntityService } from './MlflowEntityService';

const MLFLOW = 'http://mlflow.test';
const API = `${MLFLOW}/api/2.0/mlflow`;
const REF = 'component:default/fraud-detector';

const entityNaming = (experiments: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud-detector',
    namespace: 'default',
    annotations: { 'mlflow.org/experiment-name': experiments },
  },
  spec: {},
});

const experimentIds: Record<string, string> = {
  'fraud-a': '1',
  'fraud-b': '2',
};

describe('MlflowEntityService.searchRuns', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let searchedExperimentIds: string[][];

  const service = () =>
    new MlflowEntityService({
      instances: MlflowInstances.fromConfig(
        mockServices.rootConfig({
          data: {
            mlops: {
              mlflow: { instances: [{ name: 'main', baseUrl: MLFLOW }] },
            },
          },
        }),
      ),
    });

  beforeEach(() => {
    searchedExperimentIds = [];
    server.use(
      http.get(`${API}/experiments/get-by-name`, ({ request }) => {
        const name = new URL(request.url).searchParams.get('experiment_name')!;
        return HttpResponse.json({
          experiment: {
            experiment_id: experimentIds[name],
            name,
            lifecycle_stage: 'active',
          },
        });
      }),
      http.post(`${API}/runs/search`, async ({ request }) => {
        const body = (await request.json()) as { experiment_ids: string[] };
        searchedExperimentIds.push(body.experiment_ids);
        return HttpResponse.json({ runs: [] });
      }),
    );
  });

  it('starts the next page early and uses it when the entity still resolves the same', async () => {
    const mlflow = service();
    await mlflow.searchRuns(REF, async () => entityNaming('fraud-a'), {});
    let release: (e: Entity) => void = () => undefined;
    const slowCatalog = new Promise<Entity>(resolve => {
      release = resolve;
    });

    const page = mlflow.searchRuns(REF, () => slowCatalog, {});
    // The search went out before the catalog answered.
    await new Promise(r => setTimeout(r, 50));
    expect(searchedExperimentIds).toEqual([['1'], ['1']]);

    release(entityNaming('fraud-a'));
    await expect(page).resolves.toEqual({
      runs: [],
      metricKeys: [],
      paramKeys: [],
    });
    expect(searchedExperimentIds).toHaveLength(2);
  });

  it('returns nothing to a caller the catalog refuses, even with an early page', async () => {
    const mlflow = service();
    await mlflow.searchRuns(REF, async () => entityNaming('fraud-a'), {});
    await expect(
      mlflow.searchRuns(
        REF,
        async () => {
          throw new NotFoundError('hidden');
        },
        {},
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('searches again when the entity now names other experiments', async () => {
    const mlflow = service();
    await mlflow.searchRuns(REF, async () => entityNaming('fraud-a'), {});
    await mlflow.searchRuns(REF, async () => entityNaming('fraud-b'), {});
    // Early (stale) search for experiment 1, then the real one for experiment 2.
    expect(searchedExperimentIds).toEqual([['1'], ['1'], ['2']]);
  });
});

describe('MlflowEntityService run scope checks', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let runGets: string[];

  beforeEach(() => {
    runGets = [];
    server.use(
      http.get(`${API}/experiments/get-by-name`, ({ request }) => {
        const name = new URL(request.url).searchParams.get('experiment_name')!;
        return HttpResponse.json({
          experiment: {
            experiment_id: experimentIds[name],
            name,
            lifecycle_stage: 'active',
          },
        });
      }),
      http.get(`${API}/runs/get`, ({ request }) => {
        const runId = new URL(request.url).searchParams.get('run_id')!;
        runGets.push(runId);
        return HttpResponse.json({
          run: {
            info: {
              run_id: runId,
              experiment_id: runId === 'foreign' ? '9' : '1',
              status: 'FINISHED',
              lifecycle_stage: 'active',
            },
            data: {},
          },
        });
      }),
      http.get(`${API}/metrics/get-history`, () =>
        HttpResponse.json({
          metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 0 }],
        }),
      ),
    );
  });

  const service = () =>
    new MlflowEntityService({
      instances: MlflowInstances.fromConfig(
        mockServices.rootConfig({
          data: {
            mlops: {
              mlflow: { instances: [{ name: 'main', baseUrl: MLFLOW }] },
            },
          },
        }),
      ),
    });

  it('checks a run once, then serves its metric histories without another runs/get', async () => {
    const mlflow = service();
    const entity = entityNaming('fraud-a');
    await mlflow.getRun(entity, 'r1');
    await mlflow.getMetricHistory(entity, 'r1', 'loss');
    await mlflow.getMetricHistory(entity, 'r1', 'accuracy');
    expect(runGets).toEqual(['r1']);
  });

  it('refuses the metrics of a run of another experiment', async () => {
    const mlflow = service();
    await expect(
      mlflow.getMetricHistory(entityNaming('fraud-a'), 'foreign', 'loss'),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Remembered, and still refused.
    await expect(
      mlflow.getMetricHistory(entityNaming('fraud-a'), 'foreign', 'loss'),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(runGets).toEqual(['foreign']);
  });
});

describe('MlflowEntityService.getRunsByIds', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let searches: Array<{
    experiment_ids: string[];
    filter: string;
    max_results: number;
    run_view_type: string;
  }>;

  const idsIn = (filter: string) =>
    /^attributes\.run_id IN \((.*)\)$/
      .exec(filter)![1]
      .split(',')
      .map(quoted => quoted.slice(1, -1));

  beforeEach(() => {
    searches = [];
    server.use(
      http.get(`${API}/experiments/get-by-name`, ({ request }) => {
        const name = new URL(request.url).searchParams.get('experiment_name')!;
        return experimentIds[name]
          ? HttpResponse.json({
              experiment: {
                experiment_id: experimentIds[name],
                name,
                lifecycle_stage: 'active',
              },
            })
          : HttpResponse.json(
              { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'none' },
              { status: 404 },
            );
      }),
      http.post(`${API}/runs/search`, async ({ request }) => {
        const body = (await request.json()) as (typeof searches)[number];
        searches.push(body);
        // Answers every asked id but `gone`; `stray` as if it were another experiment's.
        return HttpResponse.json({
          runs: idsIn(body.filter)
            .filter(id => id !== 'gone')
            .map(id => ({
              info: {
                run_id: id,
                experiment_id: id === 'stray' ? '9' : '1',
                status: 'FINISHED',
                lifecycle_stage: 'active',
              },
              data: {},
              inputs: {
                dataset_inputs: [
                  {
                    dataset: {
                      name: 'd',
                      digest: 'x',
                      source_type: 's3',
                      source: '{"uri": "s3://dvc/files/md5/ab/c.dir"}',
                    },
                  },
                ],
              },
            })),
        });
      }),
    );
  });

  const service = () =>
    new MlflowEntityService({
      instances: MlflowInstances.fromConfig(
        mockServices.rootConfig({
          data: {
            mlops: {
              mlflow: { instances: [{ name: 'main', baseUrl: MLFLOW }] },
            },
          },
        }),
      ),
    });

  it('reads 250 runs in two searches of at most 200 ids over the entity experiments only', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `r${i}`);
    const runs = await service().getRunsByIds(
      entityNaming('fraud-a, fraud-b'),
      [...ids, 'r0'],
    );
    expect(searches.map(s => idsIn(s.filter).length)).toEqual([200, 50]);
    expect(searches.flatMap(s => idsIn(s.filter))).toEqual(ids);
    expect(searches.map(s => s.experiment_ids)).toEqual([
      ['1', '2'],
      ['1', '2'],
    ]);
    expect(searches.map(s => [s.max_results, s.run_view_type])).toEqual([
      [200, 'ALL'],
      [50, 'ALL'],
    ]);
    expect(runs.size).toBe(250);
    expect(runs.get('r7')?.datasets[0].source).toBe(
      's3://dvc/files/md5/ab/c.dir',
    );
  });

  it('leaves out a run MLflow does not have and one of another experiment', async () => {
    const runs = await service().getRunsByIds(entityNaming('fraud-a'), [
      'r1',
      'gone',
      'stray',
    ]);
    expect(Array.from(runs.keys())).toEqual(['r1']);
  });

  it('makes no call for an entity without experiments of its own, nor for a malformed id', async () => {
    const mlflow = service();
    expect(
      (await mlflow.getRunsByIds(entityNaming('unknown-experiment'), ['r1']))
        .size,
    ).toBe(0);
    await expect(
      mlflow.getRunsByIds(entityNaming('fraud-a'), ["r1') OR ('1"]),
    ).rejects.toThrow("Not MLflow run ids: r1') OR ('1");
    expect(searches).toEqual([]);
  });
});

describe('MlflowEntityService.getModels', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let modelGets: number;

  beforeEach(() => {
    modelGets = 0;
    server.use(
      http.get(`${API}/registered-models/get`, () => {
        modelGets += 1;
        return HttpResponse.json({ registered_model: { name: 'm' } });
      }),
      http.get(`${API}/model-versions/search`, () =>
        HttpResponse.json({
          model_versions: [{ name: 'm', version: '1', status: 'READY' }],
        }),
      ),
    );
  });

  const service = () =>
    new MlflowEntityService({
      instances: MlflowInstances.fromConfig(
        mockServices.rootConfig({
          data: {
            mlops: {
              mlflow: { instances: [{ name: 'main', baseUrl: MLFLOW }] },
            },
          },
        }),
      ),
    });
  const naming = (): Entity => ({
    ...entityNaming('fraud-a'),
    metadata: {
      name: 'fraud-detector',
      annotations: { 'mlflow.org/registered-model-name': 'm' },
    },
  });

  it('shares a read in flight for the same entity object, and reads again once it settled', async () => {
    const mlflow = service();
    const entity = naming();
    const [a, b] = await Promise.all([
      mlflow.getModels(entity),
      mlflow.getModels(entity),
    ]);
    expect(a.models.map(m => m.versions.length)).toEqual([1]);
    expect(b).toBe(a);
    expect(modelGets).toBe(1);
    await mlflow.getModels(entity);
    await mlflow.getModels(naming());
    expect(modelGets).toBe(3);
  });

  it('reads the registry once for an entity of one request, and again for the next request', async () => {
    const mlflow = service();
    const entity = naming();
    const request = mlflow.forOneRequest(entity);
    const first = await mlflow.getModels(request);
    expect(await mlflow.getModels(request)).toBe(first);
    expect(modelGets).toBe(1);
    await mlflow.getModels(mlflow.forOneRequest(entity));
    expect(modelGets).toBe(2);
    // A request's entity passed on (the lineage to the services' version links) stays one read.
    expect(mlflow.forOneRequest(request)).toBe(request);
    await mlflow.getModels(mlflow.forOneRequest(request));
    expect(modelGets).toBe(2);
  });
});
