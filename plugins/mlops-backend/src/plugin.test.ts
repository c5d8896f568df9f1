import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { mlopsPlugin } from './plugin';

describe('mlops backend without any Kubernetes cluster', () => {
  const msw = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
      passthrough(),
    ),
    http.get('http://mlflow.test/api/2.0/mlflow/experiments/get-by-name', () =>
      HttpResponse.json({
        experiment: { experiment_id: '1', name: 'fraud', tags: [] },
      }),
    ),
  );
  registerMswTestHooks(msw);
  const saved = { ...process.env };

  beforeEach(() => {
    process.env.KUBECONFIG = '/nonexistent/kubeconfig';
    delete process.env.KUBERNETES_SERVICE_HOST;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('starts, serves MLflow, and answers the Kubernetes routes with 503 saying why', async () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'fraud',
        annotations: {
          'mlflow.org/experiment-name': 'fraud',
          'backstage.io/kubernetes-namespace': 'ml',
          'mlstack.io/argo-workflow-template': 'train',
        },
      },
      spec: { type: 'ml-project', owner: 'group:default/ml', lifecycle: 'x' },
    };
    const { server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            mlops: {
              mlflow: {
                instances: [{ name: 'main', baseUrl: 'http://mlflow.test' }],
              },
            },
          },
        }),
      ],
    });
    const base = '/api/mlops/entities/component/default/fraud';
    const experiments = await request(server)
      .get(`${base}/mlflow/experiments`)
      .expect(200);
    expect(experiments.body.experiments).toHaveLength(1);
    for (const path of [
      'argo/workflows',
      'argo/workflow-templates',
      'kserve/inference-services',
    ]) {
      const res = await request(server).get(`${base}/${path}`).expect(503);
      expect(res.body.error.message).toMatch(
        /No Kubernetes cluster is configured for the MLStack backend/,
      );
    }
  });
});
