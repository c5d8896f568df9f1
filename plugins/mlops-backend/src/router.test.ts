import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { mlopsPlugin } from './plugin';

const MLFLOW = 'http://mlflow.test';
const API = `${MLFLOW}/api/2.0/mlflow`;

const fraudDetector = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud-detector',
    namespace: 'default',
    annotations: {
      'mlflow.org/experiment-name': 'fraud-detector, not-in-mlflow',
      'mlflow.org/registered-model-name': 'fraud-model, no-such-model',
    },
  },
  spec: {
    type: 'ml-project',
    owner: 'group:default/ml-team',
    lifecycle: 'experimental',
  },
};

const onOtherInstance = {
  ...fraudDetector,
  metadata: {
    ...fraudDetector.metadata,
    name: 'elsewhere',
    annotations: {
      'mlflow.org/experiment-name': 'fraud-detector',
      'mlflow.org/instance': 'nowhere',
    },
  },
};

const experiment = {
  experiment_id: '7',
  name: 'fraud-detector',
  artifact_location: 'mlflow-artifacts:/7',
  lifecycle_stage: 'active',
  creation_time: 1700000000000,
  last_update_time: 1700000000000,
  tags: [{ key: 'team', value: 'ml' }],
};

const run = (id: string, experimentId = '7') => ({
  info: {
    run_id: id,
    run_name: `run-${id}`,
    experiment_id: experimentId,
    user_id: 'alice',
    status: 'FINISHED',
    start_time: 1700000000000,
    end_time: 1700000060000,
    artifact_uri: `mlflow-artifacts:/${experimentId}/${id}/artifacts`,
    lifecycle_stage: 'active',
  },
  data: {
    metrics: [
      { key: 'accuracy', value: 0.91, timestamp: 1700000060000, step: 19 },
    ],
    params: [{ key: 'learning_rate', value: '0.1' }],
    tags: [{ key: 'mlflow.source.git.commit', value: 'abc123' }],
  },
});

describe('mlops backend: MLflow routes', () => {
  // Requests to the test backend itself (supertest) are not MLflow's: let them through.
  const mlflow = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
      passthrough(),
    ),
  );
  registerMswTestHooks(mlflow);
  let upstreamCalls: string[];

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogServiceMock.factory({
          entities: [fraudDetector, onOtherInstance],
        }),
        mockServices.rootConfig.factory({
          data: {
            mlops: {
              mlflow: {
                timeoutMs: 2000,
                instances: [{ name: 'main', baseUrl: MLFLOW }],
              },
            },
          },
        }),
      ],
    });
    return server;
  }

  beforeAll(() => {
    mlflow.events.on('request:start', ({ request: r }) => {
      if (r.url.startsWith(MLFLOW)) {
        upstreamCalls.push(`${r.method} ${new URL(r.url).pathname}`);
      }
    });
  });

  beforeEach(() => {
    upstreamCalls = [];
    mlflow.use(
      http.get(`${API}/experiments/get-by-name`, ({ request: r }) => {
        const name = new URL(r.url).searchParams.get('experiment_name');
        if (name === 'fraud-detector') {
          return HttpResponse.json({ experiment });
        }
        return HttpResponse.json(
          {
            error_code: 'RESOURCE_DOES_NOT_EXIST',
            message: `Could not find experiment with name '${name}'`,
          },
          { status: 404 },
        );
      }),
      http.post(`${API}/runs/search`, async ({ request: r }) => {
        const body = (await r.json()) as Record<string, any>;
        if (String(body.filter ?? '').includes('!!')) {
          return HttpResponse.json(
            {
              error_code: 'INVALID_PARAMETER_VALUE',
              message: "Invalid clause(s) in filter string: '!!'",
            },
            { status: 400 },
          );
        }
        return HttpResponse.json({
          runs: [run('r1'), run('r2')],
          next_page_token: 'page-2',
        });
      }),
      http.get(`${API}/runs/get`, ({ request: r }) => {
        const id = new URL(r.url).searchParams.get('run_id')!;
        if (id === 'foreign') {
          return HttpResponse.json({ run: run('foreign', '99') });
        }
        return HttpResponse.json({ run: run(id) });
      }),
    );
  });

  it('lists the entity’s experiments and names the ones MLflow lacks', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(
        '/api/mlops/entities/component/default/fraud-detector/mlflow/experiments',
      )
      .expect(200);
    expect(res.body).toMatchObject({
      instance: 'main',
      experiments: [
        { experimentId: '7', name: 'fraud-detector', tags: { team: 'ml' } },
      ],
      missingExperiments: ['not-in-mlflow'],
    });
  });

  it('pages runs with one runs/search call once experiments are known', async () => {
    const server = await startBackend();
    await request(server)
      .get(
        '/api/mlops/entities/component/default/fraud-detector/mlflow/experiments',
      )
      .expect(200);
    upstreamCalls = [];
    const res = await request(server)
      .get('/api/mlops/entities/component/default/fraud-detector/mlflow/runs')
      .query({ orderBy: 'metrics.`accuracy` DESC', maxResults: 2 })
      .expect(200);
    expect(res.body.runs.map((r: any) => r.runId)).toEqual(['r1', 'r2']);
    expect(res.body.nextPageToken).toBe('page-2');
    expect(res.body.runs[0]).toMatchObject({
      sourceCommit: 'abc123',
      user: 'alice',
      metrics: { accuracy: 0.91 },
    });
    expect(upstreamCalls).toEqual(['POST /api/2.0/mlflow/runs/search']);
  });

  it('answers a malformed filter with 400 and MLflow’s own message', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/mlops/entities/component/default/fraud-detector/mlflow/runs')
      .query({ filter: 'metrics.accuracy !! 3' })
      .expect(400);
    expect(res.body.error.message).toContain(
      "Invalid clause(s) in filter string: '!!'",
    );
  });

  it('rejects bad query values before calling MLflow', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/mlops/entities/component/default/fraud-detector/mlflow/runs')
      .query({ maxResults: 5000 })
      .expect(400);
    expect(res.body.error.message).toMatch(/maxResults/);
    expect(upstreamCalls).toEqual([]);
  });

  it('refuses experiment ids the entity does not name', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/mlops/entities/component/default/fraud-detector/mlflow/runs')
      .query({ experimentId: '99' })
      .expect(400);
    expect(res.body.error.message).toContain('99');
  });

  it('hides runs of other experiments', async () => {
    const server = await startBackend();
    await request(server)
      .get(
        '/api/mlops/entities/component/default/fraud-detector/mlflow/runs/foreign',
      )
      .expect(404);
    const own = await request(server)
      .get(
        '/api/mlops/entities/component/default/fraud-detector/mlflow/runs/r1',
      )
      .expect(200);
    expect(own.body.runId).toBe('r1');
  });

  it('answers the same 404 for a run of another experiment as for a run that does not exist', async () => {
    let exists = false;
    mlflow.use(
      http.get(`${API}/runs/get`, ({ request: r }) => {
        if (
          !exists &&
          new URL(r.url).searchParams.get('run_id') === 'foreign'
        ) {
          return HttpResponse.json(
            {
              error_code: 'RESOURCE_DOES_NOT_EXIST',
              message: 'Run with id=foreign not found',
            },
            { status: 404 },
          );
        }
        return undefined;
      }),
    );
    const server = await startBackend();
    const runBase =
      '/api/mlops/entities/component/default/fraud-detector/mlflow/runs/foreign';
    const paths = [
      runBase,
      `${runBase}/metrics/accuracy`,
      `${runBase}/artifacts`,
    ];
    const missing = [];
    for (const path of paths) {
      missing.push((await request(server).get(path).expect(404)).body);
    }
    exists = true;
    for (const [i, path] of paths.entries()) {
      const outside = await request(server).get(path).expect(404);
      expect(outside.body).toEqual(missing[i]);
    }
    expect(missing[0].error).toEqual({
      name: 'NotFoundError',
      message:
        'No run foreign in the MLflow experiments of component:default/fraud-detector',
    });
    expect(upstreamCalls).toContain('GET /api/2.0/mlflow/runs/get');
  });

  it.each([
    ['../other-run', "'..' segment"],
    ['/etc', "starts with '/'"],
    ['model\\..\\x', 'backslash'],
    ['%2e%2e/x', "percent-encoded '.'"],
    ['%252E%252E', "percent-encoded '.'"],
  ])(
    'refuses the artifact path %j with 400 before calling MLflow',
    async (path, reason) => {
      const server = await startBackend();
      const res = await request(server)
        .get(
          '/api/mlops/entities/component/default/fraud-detector/mlflow/runs/r1/artifacts',
        )
        .query({ path })
        .expect(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(`'${path}'`);
      expect(res.body.error.message).toContain(reason);
      expect(upstreamCalls).toEqual([]);
    },
  );

  it('refuses a dot-dot path sent percent-encoded in the URL itself', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(
        '/api/mlops/entities/component/default/fraud-detector/mlflow/runs/r1/artifacts?path=%2e%2e%2Fsecrets',
      )
      .expect(400);
    expect(res.body.error.message).toContain("'../secrets'");
    expect(upstreamCalls).toEqual([]);
  });

  it('answers 404 for an entity the caller cannot see', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(
        '/api/mlops/entities/component/default/secret-project/mlflow/experiments',
      )
      .expect(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('answers 400 naming the configured instances for an unknown instance', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/mlops/entities/component/default/elsewhere/mlflow/experiments')
      .expect(400);
    expect(res.body.error.message).toContain('nowhere');
    expect(res.body.error.message).toContain('main');
  });

  it('answers 503 with a clear message when MLflow is down, and keeps serving', async () => {
    const server = await startBackend();
    mlflow.use(
      http.get(`${API}/experiments/get-by-name`, () => HttpResponse.error()),
    );
    const res = await request(server)
      .get(
        '/api/mlops/entities/component/default/fraud-detector/mlflow/experiments',
      )
      .expect(503);
    expect(res.body.error.message).toMatch(/MLflow instance 'main'/);

    mlflow.resetHandlers();
    mlflow.use(
      http.get(`${API}/experiments/get-by-name`, () =>
        HttpResponse.json({ experiment }),
      ),
    );
    await request(server)
      .get(
        '/api/mlops/entities/component/default/fraud-detector/mlflow/experiments',
      )
      .expect(200);
  });

  it('requires a caller', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(
        '/api/mlops/entities/component/default/fraud-detector/mlflow/experiments',
      )
      .set('authorization', mockCredentials.none.header())
      .expect(401);
    expect(res.body.error.name).toBe('AuthenticationError');
  });
});
