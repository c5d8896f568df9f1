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
import { flowerSample, sklearnIris } from '@internal/harness';
import { mlopsPlugin } from '../plugin';

const ISVC = 'apis/serving.kserve.io/v1beta1/inferenceservices';
const PODS = 'api/v1/pods';
const MLFLOW = 'http://mlflow.test/api/2.0/mlflow';

const fraud = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-namespace': 'serving',
      'mlstack.io/kserve-inference-service': 'sklearn-iris, missing-isvc',
      'mlstack.io/kserve-selector': 'team=fraud',
      'mlflow.org/registered-model-name': 'fraud-model',
    },
  },
  spec: { type: 'ml-project', owner: 'group:default/ml', lifecycle: 'x' },
};

const badSelector = {
  ...fraud,
  metadata: {
    ...fraud.metadata,
    name: 'bad',
    annotations: {
      'backstage.io/kubernetes-namespace': 'serving',
      'mlstack.io/kserve-selector': '=fraud',
    },
  },
};

const version = (v: string, source: string) => ({
  name: 'fraud-model',
  version: v,
  source,
  status: 'READY',
  creation_timestamp: 1700000000000 + Number(v),
});

describe('mlops backend: KServe routes', () => {
  const msw = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
      passthrough(),
    ),
  );
  registerMswTestHooks(msw);
  let kube: FakeKubernetes;

  beforeEach(() => {
    kube = new FakeKubernetes();
    msw.use(
      ...kube.handlers(),
      http.get(`${MLFLOW}/registered-models/get`, () =>
        HttpResponse.json({
          registered_model: {
            name: 'fraud-model',
            aliases: [{ alias: 'champion', version: '2' }],
          },
        }),
      ),
      http.get(`${MLFLOW}/model-versions/search`, () =>
        HttpResponse.json({
          model_versions: [
            version('3', 'models:/m-0123abcd'),
            version('2', 'gs://kfserving-examples/models/sklearn/1.0/model/'),
            version('1', 's3://elsewhere/model'),
          ],
        }),
      ),
      http.get(`${MLFLOW}/model-versions/get-download-uri`, ({ request: r }) =>
        new URL(r.url).searchParams.get('version') === '3'
          ? HttpResponse.json({
              artifact_uri:
                'gs://kfserving-examples/models/tensorflow/flowers-2',
            })
          : HttpResponse.json({ artifact_uri: 'nowhere' }),
      ),
    );
    kube.put(ISVC, sklearnIris('serving'));
    const flower = flowerSample('serving', { team: 'fraud' });
    kube.put(ISVC, { ...flower.object, status: flower.status });
    kube.put(ISVC, {
      ...sklearnIris('serving'),
      metadata: {
        name: 'other',
        namespace: 'serving',
        labels: { team: 'other' },
      },
    });
    kube.put(ISVC, {
      ...sklearnIris('serving'),
      metadata: { name: 'sklearn-iris', namespace: 'elsewhere' },
    });
  });

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogServiceMock.factory({ entities: [fraud, badSelector] }),
        mockServices.rootConfig.factory({
          data: {
            mlops: {
              mlflow: {
                timeoutMs: 1000,
                instances: [{ name: 'main', baseUrl: 'http://mlflow.test' }],
              },
              // The namespace belongs to the entities' owner (as a namespace listed in config).
              ownership: {
                namespaces: [
                  { owner: 'group:default/ml', namespaces: ['serving'] },
                ],
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

  const base = (name = 'fraud') =>
    `/api/mlops/entities/component/default/${name}/kserve`;

  it('lists named and selected services, names the missing, links model versions', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(`${base()}/inference-services`)
      .expect(200);
    expect(res.body).toMatchObject({
      cluster: 'c1',
      namespace: 'serving',
      missingServices: ['missing-isvc'],
    });
    expect(res.body.services.map((s: any) => s.name)).toEqual([
      'flower-sample',
      'sklearn-iris',
    ]);
    const [flower, iris] = res.body.services;
    expect(flower).toMatchObject({
      ready: true,
      traffic: [{ percent: 100, latest: true }],
      modelVersion: {
        instance: 'main',
        modelName: 'fraud-model',
        version: '3',
      },
    });
    expect(flower.conditions).toHaveLength(5);
    expect(iris).toMatchObject({
      ready: false,
      predictor: { framework: 'sklearn' },
      modelVersion: {
        instance: 'main',
        modelName: 'fraud-model',
        version: '2',
        aliases: ['champion'],
        uiUrl: expect.stringContaining('/models/fraud-model/versions/2'),
      },
    });
    expect(
      kube.of('GET').find(r => r.path.endsWith('/inferenceservices'))?.query
        .labelSelector,
    ).toBe('team=fraud');
  });

  it('still answers, without links, when MLflow is down', async () => {
    const server = await startBackend();
    msw.use(http.all(`${MLFLOW}/*`, () => HttpResponse.error()));
    const res = await request(server)
      .get(`${base()}/inference-services`)
      .expect(200);
    expect(res.body.services).toHaveLength(2);
    expect(res.body.services.every((s: any) => !s.modelVersion)).toBe(true);
  });

  it('answers 400 naming the annotation for a bad selector', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(`${base('bad')}/inference-services`)
      .expect(400);
    expect(res.body.error.message).toContain('mlstack.io/kserve-selector');
    expect(res.body.error.message).toContain("'=fraud'");
  });

  it('reads the newest predictor pod’s kserve-container log', async () => {
    const server = await startBackend();
    const pod = (name: string, created: string, component = 'predictor') => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'serving',
        creationTimestamp: created,
        labels: {
          'serving.kserve.io/inferenceservice': 'sklearn-iris',
          component,
        },
      },
    });
    kube.put(PODS, pod('iris-old', '2026-01-01T00:00:00Z'));
    kube.put(PODS, pod('iris-new', '2026-01-02T00:00:00Z'));
    kube.put(
      PODS,
      pod('iris-transformer', '2026-01-03T00:00:00Z', 'transformer'),
    );
    kube.logs.set('serving/iris-new/kserve-container', 'a\nb\nloaded model');
    const res = await request(server)
      .get(`${base()}/inference-services/sklearn-iris/logs`)
      .query({ tailLines: 1 })
      .expect(200);
    expect(res.body).toEqual({
      service: 'sklearn-iris',
      component: 'predictor',
      podName: 'iris-new',
      container: 'kserve-container',
      available: true,
      text: 'loaded model',
    });
    expect(
      kube.of('GET').find(r => r.path.endsWith('/pods'))?.query.labelSelector,
    ).toBe(
      'serving.kserve.io/inferenceservice=sklearn-iris,component=predictor',
    );

    const none = await request(server)
      .get(`${base()}/inference-services/flower-sample/logs`)
      .expect(200);
    expect(none.body).toMatchObject({ available: false, text: '' });
    expect(none.body.reason).toMatch(/No predictor pod/);

    const outside = await request(server)
      .get(`${base()}/inference-services/other/logs`)
      .expect(404);
    kube.objects.delete(`${ISVC}/serving/other`);
    const missing = await request(server)
      .get(`${base()}/inference-services/other/logs`)
      .expect(404);
    expect(missing.body).toEqual(outside.body);
    expect(outside.body.error.message).toBe(
      'No InferenceService other among the KServe InferenceServices of component:default/fraud',
    );
    await request(server)
      .get(`${base()}/inference-services/sklearn-iris/logs`)
      .query({ component: 'sidecar' })
      .expect(400);
  });
});
