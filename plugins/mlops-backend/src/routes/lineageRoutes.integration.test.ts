/**
 * The lineage route against the harness (scripts/harness/harness.sh up mlflow kube): MLflow
 * seeded by the real MLflow client (scripts/harness/seed_mlflow.py: three runs with DVC hash,
 * git commit and dataset input; version 2's run names an Argo workflow that exists, version
 * 1's one that does not, version 3's none), the Workflow and two InferenceServices in a real
 * kube-apiserver: `iris` serves version 2, `iris-eu` serves version 2 with version 3 as a 30%
 * canary.
 */
import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ARGO_WORKFLOW_RESOURCE,
  KSERVE_INFERENCE_SERVICE_RESOURCE,
} from '@mlstack/plugin-mlops-node';
import {
  diamondWorkflow,
  MlflowSeedSummary,
  requireHarnessService,
  seedMlflow,
  sklearnIris,
} from '@internal/harness';
import request from 'supertest';
import { harnessClusters } from '../__testUtils__/harnessClusters';
import { mlopsPlugin } from '../plugin';

jest.setTimeout(300_000);

const mlflowUrl = requireHarnessService('mlflow').url;
const stamp = Date.now();
const prefix = `it-lineage-${stamp}-`;
const namespace = `mlops-lineage-it-${stamp}`;
const OWNER = 'group:default/ml-team';
const WORKFLOW = 'fraud-detector-dag-82q7s';
const GONE_WORKFLOW = 'fraud-detector-train-gc7x2';
const { admin, clusters } = harnessClusters();

const served = (model: string, version: string) =>
  JSON.stringify({
    instance: 'main',
    modelName: model,
    version,
    storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
    deployedAt: new Date(stamp).toISOString(),
  });

function service(
  name: string,
  annotations: Record<string, string>,
  canaryTrafficPercent?: number,
) {
  const object: Record<string, any> = sklearnIris(namespace, { app: 'fraud' });
  return {
    ...object,
    metadata: { ...object.metadata, name, annotations },
    spec: {
      ...object.spec,
      predictor: { ...object.spec.predictor, canaryTrafficPercent },
    },
  };
}

describe('lineage route against the harness', () => {
  let server: Parameters<typeof request>[0];
  let seed: MlflowSeedSummary;
  let model: string;
  const lineage = '/api/mlops/entities/component/default/fraud/lineage';

  beforeAll(async () => {
    seed = await seedMlflow(mlflowUrl, prefix, { owner: OWNER });
    model = seed.registeredModel.name;
    await admin.coreApi().createNamespace({
      body: {
        metadata: {
          name: namespace,
          annotations: { 'mlstack.io/owner': OWNER },
        },
      },
    });
    await admin.createCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      diamondWorkflow(namespace, { app: 'fraud' }, WORKFLOW),
    );
    await admin.createCustomObject(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      namespace,
      service('iris', { 'mlstack.io/served-model': served(model, '2') }),
    );
    const canary = service(
      'iris-eu',
      {
        'mlstack.io/served-model': served(model, '2'),
        'mlstack.io/canary-model': served(model, '3'),
      },
      30,
    );
    const created = await admin.createCustomObject(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      namespace,
      canary,
    );
    await admin.customObjectsApi().replaceNamespacedCustomObjectStatus({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      plural: 'inferenceservices',
      namespace,
      name: 'iris-eu',
      body: {
        ...(created as object),
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
    });

    ({ server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'fraud',
                namespace: 'default',
                annotations: {
                  'backstage.io/source-location':
                    'url:https://github.com/acme/fraud-detector/tree/main/',
                  'backstage.io/kubernetes-namespace': namespace,
                  'mlflow.org/experiment-name':
                    seed.experiments.fraudDetector.name,
                  'mlflow.org/registered-model-name': model,
                  'argoworkflows.argoproj.io/workflow-selector': 'app=fraud',
                  'mlstack.io/kserve-selector': 'app=fraud',
                },
              },
              spec: { type: 'ml-project', owner: OWNER, lifecycle: 'x' },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            mlops: {
              mlflow: { instances: [{ name: 'main', baseUrl: mlflowUrl }] },
              kubernetes: { clusters },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await admin
      .coreApi()
      .deleteNamespace({ name: namespace })
      .catch(() => undefined);
  });

  const edgesOf = (body: any) =>
    body.edges.map((e: any) => `${e.from} -> ${e.to} [${e.label}]`);
  const child = (version: string) =>
    seed.runs.children.find(c => c.modelVersion === version)!;

  it('links every step of version 2, both services with the canary traffic, and names the gaps', async () => {
    const res = await request(server).get(lineage).expect(200);
    const v2 = child('2');
    const v3 = child('3');
    const dataId = `data:9e107d9d372bb6826bd81d3542a419d6@${v2.gitCommit}`;
    const datasetNode = res.body.nodes.find(
      (n: any) => n.kind === 'dataset' && n.label === 'fraud-train',
    );
    expect(edgesOf(res.body)).toEqual(
      expect.arrayContaining([
        `${dataId} -> workflow:${WORKFLOW} [trained on]`,
        `workflow:${WORKFLOW} -> run:${v2.runId} [ran]`,
        `${datasetNode.id} -> run:${v2.runId} [dataset input]`,
        `run:${v2.runId} -> logged-model:${v2.loggedModelId} [logged]`,
        `logged-model:${v2.loggedModelId} -> version:${model}/2 [registered as]`,
        `version:${model}/2 -> service:iris [stable · 100%]`,
        `version:${model}/2 -> service:iris-eu [stable · 70%]`,
        `version:${model}/3 -> service:iris-eu [canary · 30%]`,
        // Version 3's run has no workflow tag: its data goes straight to the run.
        `data:9e107d9d372bb6826bd81d3542a419d6@${v3.gitCommit} -> run:${v3.runId} [trained on]`,
      ]),
    );
    const byId = new Map(res.body.nodes.map((n: any) => [n.id, n]));
    expect((byId.get(dataId) as any).links).toEqual([
      {
        title: 'Repository at 2222222',
        url: `https://github.com/acme/fraud-detector/tree/${v2.gitCommit}`,
      },
    ]);
    expect((byId.get(`workflow:${WORKFLOW}`) as any).status).toEqual({
      level: 'ok',
      text: 'Succeeded',
    });
    expect((byId.get(`version:${model}/2`) as any).label).toBe(
      `${model} v2 @champion`,
    );
    expect((byId.get(`run:${v2.runId}`) as any).fields).toEqual(
      expect.arrayContaining([
        { label: 'param learning_rate', value: '0.1' },
        { label: 'metric accuracy', value: String(v2.finalMetrics.accuracy) },
      ]),
    );
    expect((byId.get('service:iris-eu') as any).status).toEqual({
      level: 'ok',
      text: 'Ready',
    });
    expect(
      res.body.gaps.map((g: any) => [g.reason, g.nodeId ?? null]).sort(),
    ).toEqual(
      [
        ['workflow-not-found', `workflow:${GONE_WORKFLOW}`],
        ['no-workflow-tag', `run:${v3.runId}`],
        ['not-served', `version:${model}/1`],
      ].sort(),
    );
  });

  it('focuses on an alias: the champion and where it serves, with no gap', async () => {
    const res = await request(server)
      .get(lineage)
      .query({ alias: 'champion' })
      .expect(200);
    expect(res.body.focus).toEqual({ alias: 'champion' });
    expect(
      res.body.nodes
        .filter((n: any) => n.kind === 'modelVersion')
        .map((n: any) => n.id),
    ).toEqual([`version:${model}/2`]);
    expect(
      res.body.nodes
        .filter((n: any) => n.kind === 'inferenceService')
        .map((n: any) => n.id)
        .sort(),
    ).toEqual(['service:iris', 'service:iris-eu']);
    expect(res.body.gaps).toEqual([]);
  });

  it('reads a service back to its data: version 3 through the canary', async () => {
    const res = await request(server)
      .get(lineage)
      .query({ version: '3' })
      .expect(200);
    expect(edgesOf(res.body)).toEqual(
      expect.arrayContaining([
        `version:${model}/3 -> service:iris-eu [canary · 30%]`,
      ]),
    );
    expect(res.body.gaps.map((g: any) => g.reason)).toEqual([
      'no-workflow-tag',
    ]);
  });
});
