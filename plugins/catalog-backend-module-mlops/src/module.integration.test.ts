/**
 * The model provider in a real catalog (startTestBackend with the catalog backend), against the
 * harness's real MLflow (reached through a proxy the test can take down) and its real
 * kube-apiserver with the KServe CRDs (upstream InferenceServices, one with KServe's status).
 * Proves: the model Resource with its owner and dependencyOf, the serving APIs with their
 * OpenAPI definitions and the providesApi/apiProvidedBy relations, another team's model left
 * out, MLflow down keeping the previous entities, and a service that went away removed.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  flowerSample,
  requireHarnessService,
  sklearnIris,
} from '@internal/harness';
import {
  KSERVE_INFERENCE_SERVICE_RESOURCE,
  KubernetesClusters,
} from '@mlstack/plugin-mlops-node';
import fs from 'node:fs';
import { TcpProxy } from './__testUtils__/tcpProxy';
import {
  entitiesModule,
  recordingLogger,
  recordingScheduler,
} from './__testUtils__/testBackendServices';
import { catalogModuleMlstackModels } from './module';

jest.setTimeout(180_000);

const stamp = Date.now().toString(36);
const NAMESPACE = `catalog-models-${stamp}`;
const PROJECT = `fraud-project-${stamp}`;
const PROJECT_REF = `component:default/${PROJECT}`;
const FRAUD = `cat-${stamp}-fraud_model`;
const RISK = `cat-${stamp}-risk`;
const MODEL_ENTITY = `main-cat-${stamp}-fraud-model`;
const TASK = 'mlstack-models:refresh';

const mlflowUrl = requireHarnessService('mlflow').url;
const kube = requireHarnessService('kube');
const harnessCluster = {
  url: kube.server,
  serviceAccountToken: kube.adminToken,
  caData: fs.readFileSync(kube.caFile, 'utf8'),
};
const admin = KubernetesClusters.fromConfig(
  new ConfigReader({
    mlops: { kubernetes: { clusters: [{ name: 'admin', ...harnessCluster }] } },
  }),
  { env: {} },
).get();

async function mlflowPost(route: string, body: object) {
  const res = await fetch(`${mlflowUrl}/api/2.0/mlflow/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(`MLflow ${route}: ${res.status} ${await res.text()}`);
  }
  return res.json();
}

/** The record the portal's deploy writes on a service it deployed for PROJECT. */
function deployedForProject(object: Record<string, any>, version: string) {
  object.metadata.labels = {
    ...object.metadata.labels,
    'backstage.io/kubernetes-id': PROJECT,
  };
  object.metadata.annotations = {
    'mlstack.io/served-model': JSON.stringify({
      instance: 'main',
      modelName: FRAUD,
      version,
      storageUri: 's3://mlflow-artifacts/1/models/m/artifacts',
      deployedAt: '2026-11-28T10:00:00Z',
    }),
    'mlstack.io/entity-ref': PROJECT_REF,
  };
  return object;
}

const project: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: PROJECT,
    namespace: 'default',
    annotations: {
      'mlflow.org/registered-model-name': `${FRAUD}, ${RISK}, cat-${stamp}-never-registered`,
      'mlflow.org/instance': 'main',
      'backstage.io/kubernetes-namespace': NAMESPACE,
      'mlstack.io/kubernetes-cluster': 'harness',
    },
  },
  spec: {
    type: 'ml-project',
    lifecycle: 'experimental',
    owner: 'group:default/ml-team',
    system: 'payments',
  },
};

describe('the model provider in a real catalog, against the harness', () => {
  const proxy = new TcpProxy(new URL(mlflowUrl));
  const scheduler = recordingScheduler();
  const logs = recordingLogger();
  const claimers = entitiesModule();
  let baseUrl: string;
  let stopBackend: () => Promise<void>;

  async function entity(
    kind: string,
    name: string,
  ): Promise<Entity | undefined> {
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${kind}/default/${name}`,
      {
        headers: { authorization: mockCredentials.service.header() },
      },
    );
    if (res.status === 404) {
      return undefined;
    }
    if (!res.ok) {
      throw new Error(
        `catalog ${kind}/${name}: ${res.status} ${await res.text()}`,
      );
    }
    return res.json();
  }

  /** Polls until `check` holds for the entity (processed: relations stitched). */
  async function eventually(
    kind: string,
    name: string,
    check: (e: Entity | undefined) => boolean,
  ): Promise<Entity | undefined> {
    const deadline = Date.now() + 60_000;
    let last: Entity | undefined;
    while (Date.now() < deadline) {
      last = await entity(kind, name);
      if (check(last)) {
        return last;
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    throw new Error(
      `${kind}/${name} never got there; last seen: ${JSON.stringify(last)}`,
    );
  }

  const relations = (e: Entity | undefined, type: string) =>
    (e?.relations ?? [])
      .filter(r => r.type === type)
      .map(r => r.targetRef)
      .sort();

  beforeAll(async () => {
    await proxy.start();
    await mlflowPost('registered-models/create', {
      name: FRAUD,
      description: 'Scores card payments',
      tags: [{ key: 'mlstack.io/owner', value: 'group:default/ml-team' }],
    });
    await mlflowPost('registered-models/create', {
      name: RISK,
      tags: [{ key: 'mlstack.io/owner', value: 'group:default/risk-team' }],
    });
    await admin
      .coreApi()
      .createNamespace({ body: { metadata: { name: NAMESPACE } } });
    const flower = flowerSample(NAMESPACE);
    const created = await admin.createCustomObject(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      NAMESPACE,
      deployedForProject(flower.object, '1'),
    );
    await admin.customObjectsApi().replaceNamespacedCustomObjectStatus({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      plural: 'inferenceservices',
      namespace: NAMESPACE,
      name: 'flower-sample',
      body: { ...(created as object), status: flower.status },
    });
    const iris = deployedForProject(sklearnIris(NAMESPACE), '2');
    iris.spec.predictor.sklearn.protocolVersion = 'v2';
    await admin.createCustomObject(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      NAMESPACE,
      iris,
    );

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleMlstackModels,
        claimers.module,
        scheduler.factory,
        logs.factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: {
                mlstackModels: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 2 },
                  },
                  maxModels: 10,
                },
              },
            },
            mlops: {
              mlflow: {
                instances: [
                  {
                    name: 'main',
                    baseUrl: proxy.url,
                    uiUrl: 'http://mlflow.example.com',
                  },
                ],
              },
              kubernetes: {
                clusters: [{ name: 'harness', ...harnessCluster }],
              },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}`;
    stopBackend = () => backend.stop();
    await claimers.apply([project]);
    await eventually(
      'component',
      PROJECT,
      e => relations(e, 'ownedBy').length > 0,
    );
  });

  afterAll(async () => {
    await stopBackend?.();
    await proxy.stop();
    await admin
      .coreApi()
      .deleteNamespace({ name: NAMESPACE })
      .catch(() => undefined);
  });

  it('ingests the claimed model as a Resource owned by the project’s owner, a dependency of the project', async () => {
    await scheduler.run(TASK);
    const model = await eventually(
      'resource',
      MODEL_ENTITY,
      e => relations(e, 'providesApi').length === 2,
    );
    expect(model?.spec).toMatchObject({
      type: 'ml-model',
      owner: 'group:default/ml-team',
      dependencyOf: [PROJECT_REF],
      system: 'payments',
    });
    expect(model?.metadata.title).toBe(FRAUD);
    expect(model?.metadata.description).toBe('Scores card payments');
    expect(model?.metadata.links?.[0].url).toBe(
      `http://mlflow.example.com/#/models/${encodeURIComponent(FRAUD)}`,
    );
    expect(model?.metadata.annotations).toMatchObject({
      'mlflow.org/registered-model-name': FRAUD,
      'mlflow.org/instance': 'main',
      'mlstack.io/claimed-by': PROJECT_REF,
      'backstage.io/kubernetes-namespace': NAMESPACE,
      'mlstack.io/kubernetes-cluster': 'harness',
      'mlstack.io/kserve-inference-service': 'flower-sample,sklearn-iris',
    });
    expect(relations(model, 'ownedBy')).toEqual(['group:default/ml-team']);
    expect(relations(model, 'dependencyOf')).toEqual([PROJECT_REF]);
    expect(relations(model, 'providesApi')).toEqual([
      `api:default/harness-${NAMESPACE}-flower-sample`,
      `api:default/harness-${NAMESPACE}-sklearn-iris`,
    ]);
    const projectEntity = await entity('component', PROJECT);
    expect(relations(projectEntity, 'dependsOn')).toEqual([
      `resource:default/${MODEL_ENTITY}`,
    ]);
  });

  it('ingests each service serving it as an API with its predict definition, provided by the model', async () => {
    const flower = await eventually(
      'api',
      `harness-${NAMESPACE}-flower-sample`,
      e => relations(e, 'apiProvidedBy').length > 0,
    );
    expect(relations(flower, 'apiProvidedBy')).toEqual([
      `resource:default/${MODEL_ENTITY}`,
    ]);
    expect(relations(flower, 'ownedBy')).toEqual(['group:default/ml-team']);
    expect(flower?.spec).toMatchObject({
      type: 'openapi',
      lifecycle: 'experimental',
    });
    const v1 = JSON.parse(flower?.spec?.definition as string);
    expect(v1.servers).toEqual([
      { url: 'http://flower-sample.kserve-test.example.com' },
    ]);
    expect(Object.keys(v1.paths)).toContain('/v1/models/flower-sample:predict');

    const iris = await eventually(
      'api',
      `harness-${NAMESPACE}-sklearn-iris`,
      e => relations(e, 'apiProvidedBy').length > 0,
    );
    const v2 = JSON.parse(iris?.spec?.definition as string);
    expect(Object.keys(v2.paths)).toContain('/v2/models/sklearn-iris/infer');
    expect(v2).not.toHaveProperty('servers');
    expect(v2.info.version).toBe('2');
  });

  it('leaves out another team’s model, and says why', async () => {
    expect(await entity('resource', `main-cat-${stamp}-risk`)).toBeUndefined();
    expect(logs.messages).toContainEqual({
      level: 'warn',
      message: expect.stringContaining(
        `'${RISK}' of MLflow instance 'main' belongs to group:default/risk-team`,
      ),
    });
  });

  it('keeps the entities when MLflow is down, with a warning naming the instance', async () => {
    await proxy.stop();
    try {
      await scheduler.run(TASK);
    } finally {
      await proxy.start();
    }
    expect(logs.messages).toContainEqual({
      level: 'warn',
      message:
        "mlstack-models: MLflow instance 'main' could not be read; the catalog keeps the model entities of the previous run",
    });
    // Give the catalog time to act on a mutation, had there been one.
    await new Promise(resolve => setTimeout(resolve, 3000));
    expect(await entity('resource', MODEL_ENTITY)).toMatchObject({
      kind: 'Resource',
    });
    expect(
      await entity('api', `harness-${NAMESPACE}-flower-sample`),
    ).toMatchObject({ kind: 'API' });
  });

  it('removes the API of a service that went away on the next run', async () => {
    await admin.deleteCustomObject(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      NAMESPACE,
      'sklearn-iris',
    );
    await scheduler.run(TASK);
    await eventually(
      'api',
      `harness-${NAMESPACE}-sklearn-iris`,
      e => e === undefined,
    );
    const model = await eventually(
      'resource',
      MODEL_ENTITY,
      e => relations(e, 'providesApi').length === 1,
    );
    expect(relations(model, 'providesApi')).toEqual([
      `api:default/harness-${NAMESPACE}-flower-sample`,
    ]);
  });
});
