import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  artifactsRoot,
  experimentsResponse,
  loggedModelsResponse,
  metricHistory,
  modelsResponse,
  runDetail,
  runPage,
  runs,
} from '../__testUtils__/fixtures';
import {
  diamondDetail,
  nodeLogs,
  templatesResponse,
  toSummary,
  workflowPage,
} from '../__testUtils__/argoFixtures';
import type { DeployRequest } from '@mlstack/plugin-mlops-common';
import {
  deployPreview,
  deployTargets,
  rolloutResult,
  serviceLogs,
  servicesResponse,
} from '../__testUtils__/kserveFixtures';
import { MlopsClient } from './MlopsClient';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://backstage.test/api/mlops';
const entityBase = `${baseUrl}/entities/Component/default/fraud-detector/mlflow`;

function makeClient() {
  return new MlopsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: mockApis.fetch(),
  });
}

/** Serves `json` at `url` and records the requests it saw. */
function serve(url: string, json: unknown) {
  const seen: URL[] = [];
  server.use(
    http.get(url, ({ request }) => {
      seen.push(new URL(request.url));
      return HttpResponse.json(json as any);
    }),
  );
  return seen;
}

describe('MlopsClient', () => {
  const ref = {
    kind: 'Component',
    namespace: 'default',
    name: 'fraud-detector',
  };

  it('gets the experiments of an entity given as a compound or string ref', async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        `${baseUrl}/entities/:kind/:namespace/:name/mlflow/experiments`,
        ({ request }) => {
          seen.push(
            new URL(request.url).pathname + new URL(request.url).search,
          );
          return HttpResponse.json(experimentsResponse);
        },
      ),
    );
    const client = makeClient();

    await expect(client.getMlflowExperiments(ref)).resolves.toEqual(
      experimentsResponse,
    );
    await client.getMlflowExperiments('component:default/fraud-detector');

    expect(seen).toEqual([
      '/api/mlops/entities/Component/default/fraud-detector/mlflow/experiments',
      '/api/mlops/entities/component/default/fraud-detector/mlflow/experiments',
    ]);
  });

  it('encodes each path segment of the entity ref', async () => {
    const seen = serve(
      `${baseUrl}/entities/Component/my%20ns/a%2Fb/mlflow/experiments`,
      experimentsResponse,
    );
    await makeClient().getMlflowExperiments({
      kind: 'Component',
      namespace: 'my ns',
      name: 'a/b',
    });
    expect(seen).toHaveLength(1);
  });

  it('searches runs with repeated experimentId and orderBy, filter, token and page size', async () => {
    const seen = serve(`${entityBase}/runs`, runPage);

    const page = await makeClient().searchMlflowRuns(ref, {
      experimentIds: ['1', '2'],
      filter: ' metrics.accuracy > 0.9 and params.lr = "0.1" ',
      orderBy: ['metrics.`accuracy` DESC', 'attributes.start_time DESC'],
      pageToken: 'token-page-2',
      maxResults: 50,
    });

    expect(page).toEqual(runPage);
    const q = seen[0].searchParams;
    expect(q.getAll('experimentId')).toEqual(['1', '2']);
    expect(q.get('filter')).toBe(
      'metrics.accuracy > 0.9 and params.lr = "0.1"',
    );
    expect(q.getAll('orderBy')).toEqual([
      'metrics.`accuracy` DESC',
      'attributes.start_time DESC',
    ]);
    expect(q.get('pageToken')).toBe('token-page-2');
    expect(q.get('maxResults')).toBe('50');
  });

  it('leaves out empty search options', async () => {
    const seen = serve(`${entityBase}/runs`, runPage);
    await makeClient().searchMlflowRuns(ref, { filter: '   ', orderBy: [] });
    expect(seen[0].search).toBe('');
  });

  it('gets a run, a metric history with an encoded key, and artifacts', async () => {
    const detail = runDetail(runs[0]);
    serve(`${entityBase}/runs/a1b2c3d4`, detail);
    const historySeen = serve(
      `${entityBase}/runs/a1b2c3d4/metrics/train%2Floss`,
      metricHistory('a1b2c3d4', 'train/loss'),
    );
    const artifactsSeen = serve(
      `${entityBase}/runs/a1b2c3d4/artifacts`,
      artifactsRoot,
    );
    const client = makeClient();

    await expect(client.getMlflowRun(ref, 'a1b2c3d4')).resolves.toEqual(detail);
    await expect(
      client.getMlflowMetricHistory(ref, 'a1b2c3d4', 'train/loss'),
    ).resolves.toMatchObject({ key: 'train/loss' });
    expect(historySeen).toHaveLength(1);

    await client.listMlflowArtifacts(ref, 'a1b2c3d4', {
      path: 'model/data',
      pageToken: 'artifacts-2',
    });
    await client.listMlflowArtifacts(ref, 'a1b2c3d4');
    expect(artifactsSeen[0].searchParams.get('path')).toBe('model/data');
    expect(artifactsSeen[0].searchParams.get('pageToken')).toBe('artifacts-2');
    expect(artifactsSeen[1].search).toBe('');
  });

  it('gets registered and logged models', async () => {
    serve(`${entityBase}/models`, modelsResponse);
    const seen = serve(`${entityBase}/logged-models`, loggedModelsResponse);
    const client = makeClient();

    await expect(client.getMlflowModels(ref)).resolves.toEqual(modelsResponse);
    await expect(
      client.getMlflowLoggedModels(ref, {
        experimentIds: ['1'],
        pageToken: 't',
      }),
    ).resolves.toEqual(loggedModelsResponse);
    expect(seen[0].searchParams.getAll('experimentId')).toEqual(['1']);
    expect(seen[0].searchParams.get('pageToken')).toBe('t');
  });

  it('throws a ResponseError carrying the backend message', async () => {
    server.use(
      http.get(`${entityBase}/runs`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: "Invalid filter 'metrics.accuracy >>'",
            },
            response: { statusCode: 400 },
          },
          { status: 400, statusText: 'Bad Request' },
        ),
      ),
      http.get(`${entityBase}/models`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'MLflow at http://mlflow:5000 is unreachable',
            },
            response: { statusCode: 503 },
          },
          { status: 503, statusText: 'Service Unavailable' },
        ),
      ),
    );
    const client = makeClient();

    const badFilter = await client
      .searchMlflowRuns(ref, { filter: 'metrics.accuracy >>' })
      .catch(e => e);
    expect(badFilter).toBeInstanceOf(ResponseError);
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.cause.message).toBe(
      "Invalid filter 'metrics.accuracy >>'",
    );

    const down = await client.getMlflowModels(ref).catch(e => e);
    expect(ResponseError.is(down)).toBe(true);
    expect(down.statusCode).toBe(503);
    expect(down.cause.message).toMatch(/unreachable/);
  });

  describe('Argo Workflows routes', () => {
    const argoBase = `${baseUrl}/entities/Component/default/fraud-detector/argo`;

    it('lists workflows with limit and continue, leaving out absent options', async () => {
      const seen = serve(`${argoBase}/workflows`, workflowPage);
      const client = makeClient();

      await expect(
        client.listArgoWorkflows(ref, { limit: 50, continue: 'abc==' }),
      ).resolves.toEqual(workflowPage);
      await client.listArgoWorkflows(ref);

      expect(seen[0].searchParams.get('limit')).toBe('50');
      expect(seen[0].searchParams.get('continue')).toBe('abc==');
      expect(seen[1].search).toBe('');
    });

    it("gets a workflow, its templates and a node's logs with encoded names", async () => {
      serve(`${argoBase}/workflows/train-diamond-82q7s`, diamondDetail);
      serve(`${argoBase}/workflow-templates`, templatesResponse);
      const logsSeen = serve(
        `${argoBase}/workflows/wf%201/nodes/wf-1%5B0%5D/logs`,
        nodeLogs('wf 1', 'wf-1[0]'),
      );
      const client = makeClient();

      await expect(
        client.getArgoWorkflow(ref, 'train-diamond-82q7s'),
      ).resolves.toEqual(diamondDetail);
      await expect(client.getArgoWorkflowTemplates(ref)).resolves.toEqual(
        templatesResponse,
      );
      await expect(
        client.getArgoNodeLogs(ref, 'wf 1', 'wf-1[0]', {
          container: 'wait',
          tailLines: 200,
        }),
      ).resolves.toMatchObject({ available: true });
      expect(logsSeen[0].searchParams.get('container')).toBe('wait');
      expect(logsSeen[0].searchParams.get('tailLines')).toBe('200');
    });

    it('POSTs submit, resubmit, retry, stop and terminate with JSON bodies', async () => {
      const seen: Array<{ path: string; body: unknown; type: string | null }> =
        [];
      const created = toSummary(diamondDetail);
      server.use(
        http.post(`${argoBase}/*`, async ({ request }) => {
          seen.push({
            path: new URL(request.url).pathname.replace(
              '/api/mlops/entities/Component/default/fraud-detector/argo/',
              '',
            ),
            body: await request.json(),
            type: request.headers.get('content-type'),
          });
          return HttpResponse.json(created, { status: 201 });
        }),
      );
      const client = makeClient();

      await expect(
        client.submitArgoWorkflow(ref, 'fraud-detector-train', {
          parameters: { 'learning-rate': '0.3' },
        }),
      ).resolves.toEqual(created);
      await client.resubmitArgoWorkflow(ref, 'wf-1');
      await client.retryArgoWorkflow(ref, 'wf-1');
      await client.stopArgoWorkflow(ref, 'wf-1');
      await client.terminateArgoWorkflow(ref, 'wf-1');

      expect(seen).toEqual([
        {
          path: 'workflow-templates/fraud-detector-train/submit',
          body: { parameters: { 'learning-rate': '0.3' } },
          type: 'application/json',
        },
        { path: 'workflows/wf-1/resubmit', body: {}, type: 'application/json' },
        { path: 'workflows/wf-1/retry', body: {}, type: 'application/json' },
        { path: 'workflows/wf-1/stop', body: {}, type: 'application/json' },
        {
          path: 'workflows/wf-1/terminate',
          body: {},
          type: 'application/json',
        },
      ]);
    });

    it('throws a ResponseError for a refused action', async () => {
      server.use(
        http.post(`${argoBase}/workflows/wf-1/retry`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'NotAllowedError',
                message: 'Unauthorized to retry wf-1',
              },
              response: { statusCode: 403 },
            },
            { status: 403, statusText: 'Forbidden' },
          ),
        ),
      );
      const error = await makeClient()
        .retryArgoWorkflow(ref, 'wf-1')
        .catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toBe('Unauthorized to retry wf-1');
    });
  });

  describe('KServe routes', () => {
    const kserveBase = `${baseUrl}/entities/Component/default/fraud-detector/kserve`;

    it("gets the inference services and a component's logs", async () => {
      serve(`${kserveBase}/inference-services`, servicesResponse);
      const seen = serve(
        `${kserveBase}/inference-services/fraud-detector/logs`,
        serviceLogs('fraud-detector'),
      );
      const client = makeClient();

      await expect(client.getInferenceServices(ref)).resolves.toEqual(
        servicesResponse,
      );
      await client.getInferenceServiceLogs(ref, 'fraud-detector', {
        component: 'transformer',
        tailLines: 100,
      });
      await client.getInferenceServiceLogs(ref, 'fraud-detector');
      expect(seen[0].searchParams.get('component')).toBe('transformer');
      expect(seen[0].searchParams.get('tailLines')).toBe('100');
      expect(seen[1].search).toBe('');
    });

    const request: DeployRequest = {
      source: {
        type: 'modelAlias',
        modelName: 'fraud-detector',
        alias: 'champion',
      },
      target: { cluster: 'harness', namespace: 'ml-projects' },
      serviceName: 'fraud-detector',
      mode: 'Standard',
      canaryTrafficPercent: 10,
      resources: { cpuRequest: '500m', memoryLimit: '2Gi' },
      minReplicas: 1,
      maxReplicas: 3,
    };

    it('gets the deploy targets', async () => {
      serve(`${kserveBase}/deploy/targets`, deployTargets);
      await expect(makeClient().getDeployTargets(ref)).resolves.toEqual(
        deployTargets,
      );
    });

    it('POSTs the deploy request to preview and to deploy', async () => {
      const seen: Array<{ path: string; body: unknown; type: string | null }> =
        [];
      server.use(
        http.post(`${kserveBase}/deploy/preview`, async ({ request: r }) => {
          seen.push({
            path: new URL(r.url).pathname,
            body: await r.json(),
            type: r.headers.get('content-type'),
          });
          return HttpResponse.json(deployPreview(request) as any);
        }),
        http.post(`${kserveBase}/deploy`, async ({ request: r }) => {
          seen.push({
            path: new URL(r.url).pathname,
            body: await r.json(),
            type: r.headers.get('content-type'),
          });
          return HttpResponse.json(rolloutResult(request) as any, {
            status: 201,
          });
        }),
      );
      const client = makeClient();

      await expect(client.previewDeploy(ref, request)).resolves.toEqual(
        deployPreview(request),
      );
      await expect(client.deployModel(ref, request)).resolves.toEqual(
        rolloutResult(request),
      );
      const path =
        '/api/mlops/entities/Component/default/fraud-detector/kserve';
      expect(seen).toEqual([
        {
          path: `${path}/deploy/preview`,
          body: request,
          type: 'application/json',
        },
        { path: `${path}/deploy`, body: request, type: 'application/json' },
      ]);
    });

    it('sends promote, rollback, stop and start as POSTs and delete as a DELETE, each with the resourceVersion', async () => {
      const seen: Array<{ method: string; path: string; body: unknown }> = [];
      const record = async ({ request: r }: { request: Request }) => {
        seen.push({
          method: r.method,
          path: new URL(r.url).pathname.replace(
            '/api/mlops/entities/Component/default/fraud-detector/kserve/',
            '',
          ),
          body: await r.json(),
        });
        return HttpResponse.json(
          rolloutResult({
            serviceName: 'fraud detector',
            target: { cluster: 'harness', namespace: 'ml-projects' },
          }) as any,
        );
      };
      server.use(
        http.post(`${kserveBase}/inference-services/*`, record),
        http.delete(`${kserveBase}/inference-services/*`, record),
      );
      const client = makeClient();

      await client.promoteInferenceService(ref, 'fraud-detector', {
        resourceVersion: '1',
      });
      await client.rollbackInferenceService(ref, 'fraud-detector', {
        resourceVersion: '2',
      });
      await client.stopInferenceService(ref, 'fraud-detector', {
        resourceVersion: '3',
      });
      await client.startInferenceService(ref, 'fraud-detector');
      await expect(
        client.deleteInferenceService(ref, 'fraud detector', {
          resourceVersion: '5',
        }),
      ).resolves.toMatchObject({ service: 'fraud detector' });

      expect(seen).toEqual([
        {
          method: 'POST',
          path: 'inference-services/fraud-detector/promote',
          body: { resourceVersion: '1' },
        },
        {
          method: 'POST',
          path: 'inference-services/fraud-detector/rollback',
          body: { resourceVersion: '2' },
        },
        {
          method: 'POST',
          path: 'inference-services/fraud-detector/stop',
          body: { resourceVersion: '3' },
        },
        {
          method: 'POST',
          path: 'inference-services/fraud-detector/start',
          body: {},
        },
        {
          method: 'DELETE',
          path: 'inference-services/fraud%20detector',
          body: { resourceVersion: '5' },
        },
      ]);
    });

    it('throws a ResponseError carrying a conflict message', async () => {
      server.use(
        http.post(
          `${kserveBase}/inference-services/fraud-detector/promote`,
          () =>
            HttpResponse.json(
              {
                error: {
                  name: 'ConflictError',
                  message:
                    'InferenceService fraud-detector changed since resourceVersion 1; reload and try again',
                },
                response: { statusCode: 409 },
              },
              { status: 409, statusText: 'Conflict' },
            ),
        ),
      );
      const error = await makeClient()
        .promoteInferenceService(ref, 'fraud-detector', {
          resourceVersion: '1',
        })
        .catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(409);
      expect(error.cause.message).toMatch(/changed since resourceVersion 1/);
    });
  });
});
