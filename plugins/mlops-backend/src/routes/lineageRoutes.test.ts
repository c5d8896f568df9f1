import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { FakeKubernetes, KUBE } from '../__testUtils__/fakeKubernetes';
import { mlopsPlugin } from '../plugin';

const ISVC = 'apis/serving.kserve.io/v1beta1/inferenceservices';
const WORKFLOWS = 'apis/argoproj.io/v1alpha1/workflows';
const MLFLOW = 'http://mlflow.test/api/2.0/mlflow';
const COMMIT = '3f2a9c1d4e5b6a7980112233445566778899aabb';

const fraud = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-namespace': 'ml',
      'backstage.io/source-location':
        'url:https://github.com/acme/fraud/tree/main/',
      'mlflow.org/experiment-name': 'fraud',
      'mlflow.org/registered-model-name': 'fraud-model',
      'argoworkflows.argoproj.io/workflow-selector': 'app=fraud',
      'mlstack.io/kserve-selector': 'app=fraud',
    },
  },
  spec: { type: 'ml-project', owner: 'group:default/ml', lifecycle: 'x' },
};

const tags = (workflow?: string) => [
  { key: 'mlstack.io/dvc-data-hash', value: 'a1b2c3d4' },
  { key: 'mlflow.source.git.commit', value: COMMIT },
  ...(workflow ? [{ key: 'mlstack.io/argo-workflow', value: workflow }] : []),
];

const run2 = {
  info: {
    run_id: 'run-2',
    run_name: 'train-2',
    experiment_id: '7',
    status: 'FINISHED',
    lifecycle_stage: 'active',
  },
  data: { tags: tags(), params: [], metrics: [] },
};

const runs: Record<string, unknown> = {
  'run-3': {
    info: {
      run_id: 'run-3',
      run_name: 'train-3',
      experiment_id: '7',
      status: 'FINISHED',
      lifecycle_stage: 'active',
    },
    data: {
      tags: tags('train-abc'),
      params: [{ key: 'max_depth', value: '6' }],
      metrics: [{ key: 'auc', value: 0.91, timestamp: 1, step: 0 }],
    },
    inputs: {
      dataset_inputs: [
        {
          dataset: {
            name: 'transactions',
            digest: 'a1b2c3d4',
            source_type: 's3',
            source: '{"uri": "s3://dvc/fraud/files/md5/a1/b2.dir"}',
          },
        },
      ],
    },
  },
  'run-2': run2,
};

const version = (v: string, aliases: string[] = []) => ({
  name: 'fraud-model',
  version: v,
  source: `models:/m-${v}0`,
  model_id: `m-${v}0`,
  run_id: `run-${v}`,
  status: 'READY',
  aliases,
  creation_timestamp: 1700000000000 + Number(v),
});

const served = (v: string) =>
  JSON.stringify({
    instance: 'main',
    modelName: 'fraud-model',
    version: v,
    storageUri: `s3://mlflow/7/models/m-${v}0/artifacts`,
    deployedAt: '2026-11-01T00:00:00Z',
  });

function service(
  name: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: 'ml', labels: { app: 'fraud' }, annotations },
    spec: {
      predictor: {
        model: { modelFormat: { name: 'mlflow' }, storageUri: 's3://mlflow/x' },
      },
      ...spec,
    },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

describe('mlops backend: lineage route', () => {
  const msw = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
      passthrough(),
    ),
  );
  registerMswTestHooks(msw);
  let kube: FakeKubernetes;
  let runSearches: Array<{ experiment_ids: string[]; filter: string }>;
  let runGets: number;
  let registryReads: number;

  beforeEach(() => {
    kube = new FakeKubernetes();
    runSearches = [];
    runGets = 0;
    registryReads = 0;
    msw.use(
      ...kube.handlers(),
      http.get(`${MLFLOW}/experiments/get-by-name`, () =>
        HttpResponse.json({
          experiment: {
            experiment_id: '7',
            name: 'fraud',
            lifecycle_stage: 'active',
          },
        }),
      ),
      http.get(`${MLFLOW}/registered-models/get`, () => {
        registryReads += 1;
        return HttpResponse.json({
          registered_model: {
            name: 'fraud-model',
            aliases: [{ alias: 'champion', version: '3' }],
          },
        });
      }),
      http.get(`${MLFLOW}/model-versions/search`, () =>
        HttpResponse.json({
          model_versions: [version('3', ['champion']), version('2')],
        }),
      ),
      http.get(`${MLFLOW}/model-versions/get-download-uri`, () =>
        HttpResponse.json({ artifact_uri: 's3://mlflow/elsewhere' }),
      ),
      http.post(`${MLFLOW}/runs/search`, async ({ request: r }) => {
        const body = (await r.json()) as {
          experiment_ids: string[];
          filter: string;
        };
        runSearches.push(body);
        const ids = /^attributes\.run_id IN \((.*)\)$/
          .exec(body.filter)![1]
          .split(',')
          .map(quoted => quoted.slice(1, -1));
        return HttpResponse.json({
          runs: ids.flatMap(id => (runs[id] ? [runs[id]] : [])),
        });
      }),
      http.get(`${MLFLOW}/runs/get`, () => {
        runGets += 1;
        return HttpResponse.json({}, { status: 500 });
      }),
    );
    kube.put(WORKFLOWS, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        name: 'train-abc',
        namespace: 'ml',
        labels: { app: 'fraud' },
      },
      status: { phase: 'Succeeded' },
    });
    kube.put(
      ISVC,
      service('fraud', { 'mlstack.io/served-model': served('3') }),
    );
    kube.put(
      ISVC,
      service(
        'fraud-eu',
        {
          'mlstack.io/served-model': served('3'),
          'mlstack.io/canary-model': served('2'),
        },
        {
          canary: [
            {
              trafficPercent: 30,
              predictor: {
                name: 'fraud-eu-v2',
                model: { modelFormat: { name: 'mlflow' } },
              },
            },
          ],
        },
      ),
    );
  });

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogServiceMock.factory({ entities: [fraud] }),
        mockServices.rootConfig.factory({
          data: {
            mlops: {
              mlflow: {
                timeoutMs: 1000,
                instances: [{ name: 'main', baseUrl: 'http://mlflow.test' }],
              },
              ownership: {
                namespaces: [{ owner: 'group:default/ml', namespaces: ['ml'] }],
              },
              kubernetes: {
                clusters: [{ name: 'c1', url: KUBE, skipTLSVerify: true }],
              },
            },
          },
        }),
      ],
    });
    return server;
  }

  const lineage = '/api/mlops/entities/component/default/fraud/lineage';
  const edgesOf = (body: any) =>
    body.edges.map((e: any) => `${e.from} -> ${e.to} [${e.label}]`);

  it('links data, workflow, run, logged model, version and both services, with the canary traffic', async () => {
    const res = await request(await startBackend())
      .get(lineage)
      .expect(200);
    expect(res.body).toMatchObject({
      model: 'fraud-model',
      models: ['fraud-model'],
      focus: {},
      versions: [
        { version: '3', aliases: ['champion'] },
        { version: '2', aliases: [] },
      ],
    });
    expect(edgesOf(res.body)).toEqual(
      expect.arrayContaining([
        `data:a1b2c3d4@${COMMIT} -> workflow:train-abc [trained on]`,
        'workflow:train-abc -> run:run-3 [ran]',
        'dataset:transactions@a1b2c3d4 -> run:run-3 [dataset input]',
        'run:run-3 -> logged-model:m-30 [logged]',
        'logged-model:m-30 -> version:fraud-model/3 [registered as]',
        'version:fraud-model/3 -> service:fraud [stable · 100%]',
        'version:fraud-model/3 -> service:fraud-eu [stable · 70%]',
        'version:fraud-model/2 -> service:fraud-eu [canary · 30%]',
      ]),
    );
    expect(res.body.gaps.map((g: any) => g.message)).toEqual([
      'Run train-2 has no mlstack.io/argo-workflow tag: the pipeline run that made it is unknown',
    ]);
    expect(
      res.body.nodes.find((n: any) => n.id === 'dataset:transactions@a1b2c3d4')
        .fields,
    ).toContainEqual({
      label: 'source',
      value: 's3://dvc/fraud/files/md5/a1/b2.dir',
    });
  });

  it('reads the runs in one search over the entity experiments, and the workflows from their list', async () => {
    const server = await startBackend();
    await request(server).get(lineage).expect(200);
    expect(runSearches).toEqual([
      {
        experiment_ids: ['7'],
        filter: "attributes.run_id IN ('run-3','run-2')",
        run_view_type: 'ALL',
        max_results: 2,
      },
    ]);
    expect(runGets).toBe(0);
    // Once for the versions and the services' version links together.
    expect(registryReads).toBe(1);
    // Listed by the entity's selector (the watch cache's first list, or directly while it
    // starts); never a GET per workflow name.
    expect(kube.requests.filter(r => r.path.includes('/workflows/'))).toEqual(
      [],
    );
    expect(kube.requests.filter(r => r.path.endsWith('/workflows'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          query: expect.objectContaining({ labelSelector: 'app=fraud' }),
        }),
      ]),
    );
  });

  it('finds a workflow past the first 500 of the entity list', async () => {
    for (let i = 0; i < 520; i++) {
      kube.put(WORKFLOWS, {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: {
          name: `filler-${String(i).padStart(3, '0')}`,
          namespace: 'ml',
          labels: { app: 'fraud' },
        },
        status: { phase: 'Succeeded' },
      });
    }
    const res = await request(await startBackend())
      .get(`${lineage}?version=3`)
      .expect(200);
    expect(edgesOf(res.body)).toContain(
      'workflow:train-abc -> run:run-3 [ran]',
    );
    expect(res.body.gaps).toEqual([]);
    expect(kube.requests.filter(r => r.path.includes('/workflows/'))).toEqual(
      [],
    );
  });

  it('lists at most two pages for a workflow that is gone, then reads it by name', async () => {
    kube.objects.delete(`${WORKFLOWS}/ml/train-abc`);
    for (let i = 0; i < 1200; i++) {
      kube.put(WORKFLOWS, {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: {
          name: `filler-${String(i).padStart(4, '0')}`,
          namespace: 'ml',
          labels: { app: 'fraud' },
        },
        status: { phase: 'Succeeded' },
      });
    }
    const res = await request(await startBackend())
      .get(`${lineage}?version=3`)
      .expect(200);
    expect(res.body.gaps.map((g: any) => g.reason)).toEqual([
      'workflow-not-found',
    ]);
    const pagesOfWorkflows = kube.requests.filter(
      r => r.path.endsWith('/workflows') && r.query?.limit === '500',
    );
    // The third page (continue=1000) is read once: by the watch cache's first list, which
    // pages through everything; the lookup itself stops after two pages.
    expect(
      pagesOfWorkflows.filter(r => r.query?.continue === '1000'),
    ).toHaveLength(1);
    expect(
      kube.requests.filter(r => r.path.endsWith('/workflows/train-abc')),
    ).toHaveLength(1);
  });

  it('shows a run MLflow does not return for the entity experiments as not found', async () => {
    delete runs['run-2'];
    try {
      const res = await request(await startBackend())
        .get(`${lineage}?version=2`)
        .expect(200);
      expect(res.body.gaps.map((g: any) => g.reason)).toEqual([
        'run-not-found',
      ]);
    } finally {
      runs['run-2'] = run2;
    }
  });

  it('focuses on an alias, and says when a workflow is gone', async () => {
    kube.objects.delete(`${WORKFLOWS}/ml/train-abc`);
    const res = await request(await startBackend())
      .get(`${lineage}?alias=champion`)
      .expect(200);
    expect(res.body.focus).toEqual({ alias: 'champion' });
    expect(res.body.nodes.map((n: any) => n.id)).not.toContain(
      'version:fraud-model/2',
    );
    expect(res.body.gaps).toEqual([
      {
        reason: 'workflow-not-found',
        nodeId: 'workflow:train-abc',
        message:
          "Workflow train-abc (tagged on run train-3) not found among the entity's Argo workflows (garbage-collected?)",
      },
    ]);
  });

  it('does not read a workflow outside the entity scope: it is a gap, like a missing one', async () => {
    kube.put(WORKFLOWS, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        name: 'train-abc',
        namespace: 'ml',
        labels: { app: 'other-team' },
      },
      status: { phase: 'Succeeded' },
    });
    const res = await request(await startBackend())
      .get(`${lineage}?version=3`)
      .expect(200);
    expect(res.body.gaps.map((g: any) => g.reason)).toEqual([
      'workflow-not-found',
    ]);
    expect(
      res.body.nodes.find((n: any) => n.id === 'workflow:train-abc').fields,
    ).toEqual([]);
  });

  it('still shows the services when MLflow is down, naming the upstream', async () => {
    msw.use(http.all(`${MLFLOW}/*`, () => HttpResponse.error()));
    const res = await request(await startBackend())
      .get(lineage)
      .expect(200);
    expect(res.body.gaps).toEqual([
      expect.objectContaining({ reason: 'upstream-error', upstream: 'mlflow' }),
    ]);
    expect(edgesOf(res.body)).toEqual(
      expect.arrayContaining([
        'version:fraud-model/2 -> service:fraud-eu [canary · 30%]',
      ]),
    );
  });

  it.each([
    ['version=abc', 'version: not a version number'],
    ['alias=a%20b', 'alias: not an MLflow alias'],
    [
      'version=3&alias=champion',
      'alias: give either version or alias, not both',
    ],
    [
      'model=other',
      'model: other is not one of the registered models of component:default/fraud (fraud-model)',
    ],
    ['modle=x', 'query: Unrecognized key: "modle"'],
  ])('answers 400 naming the parameter for %s', async (query, message) => {
    const res = await request(await startBackend())
      .get(`${lineage}?${query}`)
      .expect(400);
    expect(res.body.error.message).toContain(message);
  });

  it('answers 404 for a version or alias the model does not have', async () => {
    const server = await startBackend();
    const res = await request(server).get(`${lineage}?alias=gone`).expect(404);
    expect(res.body.error.message).toBe('Model fraud-model has no alias gone');
    await request(server).get(`${lineage}?version=9`).expect(404);
  });
});
