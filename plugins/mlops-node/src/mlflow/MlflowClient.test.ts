import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MlflowClient } from './MlflowClient';
import {
  API,
  MLFLOW_BASE_URL,
  restError,
  restExperiment,
  restLoggedModel,
  restModelVersion,
  restRegisteredModel,
  restRun,
} from './__testUtils__/restFixtures';

const server = setupServer();
registerMswTestHooks(server);

function client() {
  return new MlflowClient({
    name: 'default',
    baseUrl: MLFLOW_BASE_URL,
    uiUrl: 'https://mlflow.example.com',
    retryDelaysMs: [1, 1],
  });
}

/** Records the requests to one endpoint and answers each with `answer(request, index)`. */
function handle(
  method: 'get' | 'post',
  path: string,
  answer: (request: Request, index: number) => Response | Promise<Response>,
) {
  const requests: Request[] = [];
  server.use(
    http[method](`${API}/${path}`, ({ request }) => {
      requests.push(request.clone());
      return answer(request, requests.length - 1);
    }),
  );
  return requests;
}

const query = (request: Request) => new URL(request.url).searchParams;

describe('MlflowClient', () => {
  it('exposes its name and UI base URL', () => {
    expect(client()).toMatchObject({
      name: 'default',
      uiBaseUrl: 'https://mlflow.example.com',
    });
    expect(
      new MlflowClient({ name: 'x', baseUrl: 'http://mlflow:5000/' }).uiBaseUrl,
    ).toBe('http://mlflow:5000');
  });

  describe('getExperimentByName', () => {
    it('asks by name and normalises the experiment', async () => {
      const requests = handle('get', 'experiments/get-by-name', () =>
        HttpResponse.json({ experiment: restExperiment() }),
      );
      await expect(
        client().getExperimentByName('fraud detector'),
      ).resolves.toEqual(
        expect.objectContaining({
          experimentId: '3',
          name: 'fraud-detector',
          uiUrl: 'https://mlflow.example.com/#/experiments/3',
        }),
      );
      expect(query(requests[0]).get('experiment_name')).toBe('fraud detector');
    });

    it('gives undefined when MLflow has no such experiment', async () => {
      handle('get', 'experiments/get-by-name', () =>
        HttpResponse.json(
          restError(
            'RESOURCE_DOES_NOT_EXIST',
            "Could not find experiment with name 'nope'",
          ),
          { status: 404 },
        ),
      );
      await expect(
        client().getExperimentByName('nope'),
      ).resolves.toBeUndefined();
    });

    it('still throws other errors', async () => {
      handle('get', 'experiments/get-by-name', () =>
        HttpResponse.json(restError('INTERNAL_ERROR', 'db down'), {
          status: 500,
        }),
      );
      await expect(client().getExperimentByName('x')).rejects.toThrow(
        ServiceUnavailableError,
      );
    });

    it('treats an answer without the experiment as a broken answer', async () => {
      handle('get', 'experiments/get-by-name', () => HttpResponse.json({}));
      await expect(client().getExperimentByName('x')).rejects.toThrow(
        "MLflow instance 'default' answered GET /api/2.0/mlflow/experiments/get-by-name with HTTP 200 and no 'experiment' in its answer",
      );
    });
  });

  describe('getExperiment', () => {
    it('asks by id; a missing experiment is a NotFoundError', async () => {
      const requests = handle('get', 'experiments/get', (_request, index) =>
        index === 0
          ? HttpResponse.json({ experiment: restExperiment() })
          : HttpResponse.json(
              restError(
                'RESOURCE_DOES_NOT_EXIST',
                'No Experiment with id=9 exists',
              ),
              { status: 404 },
            ),
      );
      await expect(client().getExperiment('3')).resolves.toMatchObject({
        experimentId: '3',
      });
      expect(query(requests[0]).get('experiment_id')).toBe('3');
      await expect(client().getExperiment('9')).rejects.toThrow(NotFoundError);
    });
  });

  describe('createExperiment', () => {
    it('posts the name, artifact location and tags once, and returns the id', async () => {
      const requests = handle('post', 'experiments/create', () =>
        HttpResponse.json({ experiment_id: '42' }),
      );
      await expect(
        client().createExperiment({
          name: 'fraud-detector',
          artifactLocation: 's3://mlflow-artifacts/fraud',
          tags: { 'mlstack.io/owner': 'group:default/ml' },
        }),
      ).resolves.toBe('42');
      expect(requests).toHaveLength(1);
      expect(await requests[0].json()).toEqual({
        name: 'fraud-detector',
        artifact_location: 's3://mlflow-artifacts/fraud',
        tags: [{ key: 'mlstack.io/owner', value: 'group:default/ml' }],
      });
    });

    it('leaves optional fields out and maps a taken name to a ConflictError', async () => {
      const requests = handle('post', 'experiments/create', () =>
        HttpResponse.json(
          restError(
            'RESOURCE_ALREADY_EXISTS',
            "Experiment 'x' already exists.",
          ),
          { status: 400 },
        ),
      );
      await expect(client().createExperiment({ name: 'x' })).rejects.toThrow(
        ConflictError,
      );
      expect(await requests[0].json()).toEqual({ name: 'x' });
    });

    it('is not retried when MLflow is unavailable', async () => {
      const requests = handle(
        'post',
        'experiments/create',
        () => new HttpResponse(null, { status: 503 }),
      );
      await expect(client().createExperiment({ name: 'x' })).rejects.toThrow(
        ServiceUnavailableError,
      );
      expect(requests).toHaveLength(1);
    });
  });

  describe('createRegisteredModel', () => {
    it('posts the name, description and tags once', async () => {
      const requests = handle('post', 'registered-models/create', () =>
        HttpResponse.json({ registered_model: { name: 'fraud-detector' } }),
      );
      await client().createRegisteredModel({
        name: 'fraud-detector',
        description: 'Scores card transactions',
        tags: { 'mlstack.io/owner': 'group:default/ml' },
      });
      expect(requests).toHaveLength(1);
      expect(await requests[0].json()).toEqual({
        name: 'fraud-detector',
        description: 'Scores card transactions',
        tags: [{ key: 'mlstack.io/owner', value: 'group:default/ml' }],
      });
    });

    it('leaves optional fields out, maps a taken name to a ConflictError and is not retried', async () => {
      const requests = handle('post', 'registered-models/create', () =>
        HttpResponse.json(
          restError(
            'RESOURCE_ALREADY_EXISTS',
            'Registered Model (name=x) already exists.',
          ),
          { status: 400 },
        ),
      );
      await expect(
        client().createRegisteredModel({ name: 'x' }),
      ).rejects.toThrow(ConflictError);
      expect(requests).toHaveLength(1);
      expect(await requests[0].json()).toEqual({ name: 'x' });

      const unavailable = handle(
        'post',
        'registered-models/create',
        () => new HttpResponse(null, { status: 503 }),
      );
      await expect(
        client().createRegisteredModel({ name: 'y' }),
      ).rejects.toThrow(ServiceUnavailableError);
      expect(unavailable).toHaveLength(1);
    });
  });

  describe('setExperimentTag', () => {
    it('posts the experiment id, key and value', async () => {
      const requests = handle('post', 'experiments/set-experiment-tag', () =>
        HttpResponse.json({}),
      );
      await client().setExperimentTag('42', 'mlstack.io/owner', 'user:jane');
      expect(await requests[0].json()).toEqual({
        experiment_id: '42',
        key: 'mlstack.io/owner',
        value: 'user:jane',
      });
    });
  });

  describe('searchRuns', () => {
    it('sends one search with filter, order, page size and token, and returns the page', async () => {
      const requests = handle('post', 'runs/search', () =>
        HttpResponse.json({
          runs: [
            restRun('r1', { metrics: { loss: 0.3 }, params: { lr: '0.1' } }),
            restRun('r2', {
              metrics: { accuracy: '0.9', loss: 0.2 },
              params: { depth: '3' },
            }),
          ],
          next_page_token: 'token-2',
        }),
      );
      const page = await client().searchRuns({
        experimentIds: ['3', '4'],
        filter: "params.learning_rate = '0.1'",
        orderBy: ['metrics.accuracy DESC'],
        maxResults: 2,
        pageToken: 'token-1',
      });
      expect(requests).toHaveLength(1);
      expect(await requests[0].json()).toEqual({
        experiment_ids: ['3', '4'],
        filter: "params.learning_rate = '0.1'",
        order_by: ['metrics.accuracy DESC'],
        max_results: 2,
        page_token: 'token-1',
      });
      expect(page.runs.map(r => [r.runId, r.metrics])).toEqual([
        ['r1', { loss: 0.3 }],
        ['r2', { accuracy: 0.9, loss: 0.2 }],
      ]);
      expect(page.runs[0].uiUrl).toBe(
        'https://mlflow.example.com/#/experiments/3/runs/r1',
      );
      expect(page).toMatchObject({
        nextPageToken: 'token-2',
        metricKeys: ['accuracy', 'loss'],
        paramKeys: ['depth', 'lr'],
      });
    });

    it('sends only the experiment ids when nothing else is asked, and ends on an empty page', async () => {
      const requests = handle('post', 'runs/search', () =>
        HttpResponse.json({}),
      );
      await expect(
        client().searchRuns({ experimentIds: ['3'] }),
      ).resolves.toEqual({
        runs: [],
        nextPageToken: undefined,
        metricKeys: [],
        paramKeys: [],
      });
      expect(await requests[0].json()).toEqual({ experiment_ids: ['3'] });
    });

    it('does not call MLflow without experiments', async () => {
      await expect(client().searchRuns({ experimentIds: [] })).resolves.toEqual(
        {
          runs: [],
          metricKeys: [],
          paramKeys: [],
        },
      );
    });

    it('turns a malformed filter into an InputError with MLflow’s message', async () => {
      const mlflowMessage =
        "Invalid clause(s) in filter string: 'params.x', '=', '=', '1'";
      const requests = handle('post', 'runs/search', () =>
        HttpResponse.json(restError('INVALID_PARAMETER_VALUE', mlflowMessage), {
          status: 400,
        }),
      );
      const error = await client()
        .searchRuns({ experimentIds: ['3'], filter: 'params.x = = 1' })
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(`MLflow instance 'default': ${mlflowMessage}`);
      expect(requests).toHaveLength(1);
    });

    it('retries after a 503 and then returns the page', async () => {
      const requests = handle('post', 'runs/search', (_request, index) =>
        index === 0
          ? HttpResponse.json(restError('TEMPORARILY_UNAVAILABLE', 'busy'), {
              status: 503,
            })
          : HttpResponse.json({ runs: [restRun('r1')] }),
      );
      const page = await client().searchRuns({ experimentIds: ['3'] });
      expect(page.runs.map(r => r.runId)).toEqual(['r1']);
      expect(requests).toHaveLength(2);
    });
  });

  describe('getRun', () => {
    it('returns the run with its latest metrics and datasets', async () => {
      const raw = restRun('r1', { metrics: { loss: 0.1 } });
      raw.inputs = {
        dataset_inputs: [{ dataset: { name: 'train', digest: 'abc' } }],
      };
      const requests = handle('get', 'runs/get', () =>
        HttpResponse.json({ run: raw }),
      );
      const run = await client().getRun('r1');
      expect(query(requests[0]).get('run_id')).toBe('r1');
      expect(run).toMatchObject({
        runId: 'r1',
        parentRunId: 'parent-run',
        latestMetrics: [
          { key: 'loss', value: 0.1, step: 19, timestamp: 1795696800212 },
        ],
        datasets: [{ name: 'train', digest: 'abc' }],
      });
    });

    it('is a NotFoundError for an unknown run', async () => {
      handle('get', 'runs/get', () =>
        HttpResponse.json(
          restError('RESOURCE_DOES_NOT_EXIST', 'Run with id=nope not found'),
          {
            status: 404,
          },
        ),
      );
      await expect(client().getRun('nope')).rejects.toThrow(
        "MLflow instance 'default': Run with id=nope not found",
      );
    });
  });

  describe('getMetricHistory', () => {
    const point = (step: number) => ({
      key: 'loss',
      value: String(1 / (step + 1)),
      timestamp: 1000 + step,
      step,
    });

    it('follows page tokens and orders the points by step', async () => {
      const requests = handle(
        'get',
        'metrics/get-history',
        (_request, index) => {
          const pages = [
            { metrics: [point(0), point(2)], next_page_token: 'p2' },
            { metrics: [point(1), point(3)], next_page_token: 'p3' },
            { metrics: [point(4)] },
          ];
          return HttpResponse.json(pages[index]);
        },
      );
      const history = await client().getMetricHistory({
        runId: 'r1',
        metricKey: 'loss',
      });
      expect(history.runId).toBe('r1');
      expect(history.key).toBe('loss');
      expect(history.points.map(p => [p.step, p.value])).toEqual([
        [0, 1],
        [1, 0.5],
        [2, 1 / 3],
        [3, 0.25],
        [4, 0.2],
      ]);
      expect(requests.map(r => Object.fromEntries(query(r)))).toEqual([
        { run_id: 'r1', metric_key: 'loss', max_results: '10000' },
        {
          run_id: 'r1',
          metric_key: 'loss',
          max_results: '9998',
          page_token: 'p2',
        },
        {
          run_id: 'r1',
          metric_key: 'loss',
          max_results: '9996',
          page_token: 'p3',
        },
      ]);
    });

    it('stops at maxResults', async () => {
      const requests = handle('get', 'metrics/get-history', (_request, index) =>
        HttpResponse.json({
          metrics: [point(index * 2), point(index * 2 + 1)],
          next_page_token: `p${index + 1}`,
        }),
      );
      const history = await client().getMetricHistory({
        runId: 'r1',
        metricKey: 'loss',
        maxResults: 4,
      });
      expect(history.points.map(p => p.step)).toEqual([0, 1, 2, 3]);
      expect(requests).toHaveLength(2);
      expect(query(requests[1]).get('max_results')).toBe('2');
    });

    it('stops when MLflow hands out the same page token again', async () => {
      const requests = handle('get', 'metrics/get-history', () =>
        HttpResponse.json({ metrics: [], next_page_token: 'same' }),
      );
      const history = await client().getMetricHistory({
        runId: 'r1',
        metricKey: 'loss',
      });
      expect(history.points).toEqual([]);
      expect(requests).toHaveLength(2);
    });

    it('rejects a maxResults that is not positive', async () => {
      await expect(
        client().getMetricHistory({
          runId: 'r1',
          metricKey: 'loss',
          maxResults: 0,
        }),
      ).rejects.toThrow(InputError);
    });
  });

  describe('listArtifacts', () => {
    it('lists one directory page', async () => {
      const requests = handle('get', 'artifacts/list', () =>
        HttpResponse.json({
          root_uri: 'mlflow-artifacts:/3/r1/artifacts',
          files: [
            { path: 'reports/summary.json', is_dir: false, file_size: 164 },
          ],
          next_page_token: 'next',
        }),
      );
      await expect(
        client().listArtifacts({
          runId: 'r1',
          path: 'reports',
          pageToken: 'tok',
        }),
      ).resolves.toEqual({
        rootUri: 'mlflow-artifacts:/3/r1/artifacts',
        files: [{ path: 'reports/summary.json', isDir: false, fileSize: 164 }],
        nextPageToken: 'next',
      });
      expect(Object.fromEntries(query(requests[0]))).toEqual({
        run_id: 'r1',
        path: 'reports',
        page_token: 'tok',
      });
    });

    it('asks for the root without a path', async () => {
      const requests = handle('get', 'artifacts/list', () =>
        HttpResponse.json({}),
      );
      await expect(client().listArtifacts({ runId: 'r1' })).resolves.toEqual({
        rootUri: undefined,
        files: [],
        nextPageToken: undefined,
      });
      expect(Object.fromEntries(query(requests[0]))).toEqual({ run_id: 'r1' });
    });
  });

  describe('getRegisteredModel', () => {
    it('returns the model with every page of versions, newest first, aliases filled', async () => {
      handle('get', 'registered-models/get', () =>
        HttpResponse.json({ registered_model: restRegisteredModel() }),
      );
      const searches = handle(
        'get',
        'model-versions/search',
        (_request, index) =>
          HttpResponse.json(
            index === 0
              ? {
                  model_versions: [
                    restModelVersion('3'),
                    restModelVersion('2'),
                  ],
                  next_page_token: 'page-2',
                }
              : { model_versions: [restModelVersion('1')] },
          ),
      );
      const model = await client().getRegisteredModel('fraud-detector');
      expect(searches.map(r => Object.fromEntries(query(r)))).toEqual([
        { filter: "name = 'fraud-detector'" },
        { filter: "name = 'fraud-detector'", page_token: 'page-2' },
      ]);
      expect(model).toMatchObject({
        name: 'fraud-detector',
        aliases: { champion: '2', challenger: '3' },
        uiUrl: 'https://mlflow.example.com/#/models/fraud-detector',
      });
      expect(
        model?.versions.map(v => [v.version, v.aliases, v.runUiUrl]),
      ).toEqual([
        ['3', ['challenger'], 'https://mlflow.example.com/#/runs/run-3'],
        ['2', ['champion'], 'https://mlflow.example.com/#/runs/run-2'],
        ['1', [], 'https://mlflow.example.com/#/runs/run-1'],
      ]);
    });

    it('quotes a name with a quote so that MLflow reads it whole', async () => {
      const name = "bob's model";
      handle('get', 'registered-models/get', () =>
        HttpResponse.json({
          registered_model: restRegisteredModel({ name, aliases: [] }),
        }),
      );
      const searches = handle('get', 'model-versions/search', () =>
        HttpResponse.json({
          model_versions: [restModelVersion('1', { name })],
        }),
      );
      const model = await client().getRegisteredModel(name);
      expect(query(searches[0]).get('filter')).toBe(`name = "bob's model"`);
      expect(model?.versions.map(v => v.uiUrl)).toEqual([
        "https://mlflow.example.com/#/models/bob's%20model/versions/1",
      ]);
    });

    it('keeps only exact matches of a LIKE search for names no quote can hold', async () => {
      const name = `bob's "best"`;
      handle('get', 'registered-models/get', () =>
        HttpResponse.json({ registered_model: restRegisteredModel({ name }) }),
      );
      const searches = handle('get', 'model-versions/search', () =>
        HttpResponse.json({
          model_versions: [
            restModelVersion('1', { name }),
            restModelVersion('7', { name: `bobXs "best"` }),
          ],
        }),
      );
      const model = await client().getRegisteredModel(name);
      expect(query(searches[0]).get('filter')).toBe(`name LIKE 'bob_s "best"'`);
      expect(model?.versions.map(v => [v.name, v.version])).toEqual([
        [name, '1'],
      ]);
    });

    it('gives undefined when the registry has no such model', async () => {
      handle('get', 'registered-models/get', () =>
        HttpResponse.json(
          restError(
            'RESOURCE_DOES_NOT_EXIST',
            'Registered Model with name=nope not found',
          ),
          { status: 404 },
        ),
      );
      handle('get', 'model-versions/search', () => HttpResponse.json({}));
      await expect(
        client().getRegisteredModel('nope'),
      ).resolves.toBeUndefined();
    });
  });

  describe('getModelVersionByAlias', () => {
    it('returns the version with the aliases MLflow sends', async () => {
      const requests = handle('get', 'registered-models/alias', () =>
        HttpResponse.json({
          model_version: restModelVersion('2', { aliases: ['champion'] }),
        }),
      );
      await expect(
        client().getModelVersionByAlias('fraud-detector', 'champion'),
      ).resolves.toMatchObject({ version: '2', aliases: ['champion'] });
      expect(Object.fromEntries(query(requests[0]))).toEqual({
        name: 'fraud-detector',
        alias: 'champion',
      });
    });

    it('is a NotFoundError for an unknown model', async () => {
      handle('get', 'registered-models/alias', () =>
        HttpResponse.json(
          restError(
            'RESOURCE_DOES_NOT_EXIST',
            'Registered Model with name=nope not found',
          ),
          { status: 404 },
        ),
      );
      await expect(
        client().getModelVersionByAlias('nope', 'champion'),
      ).rejects.toThrow(NotFoundError);
    });

    it('is a NotFoundError for an unknown alias, which MLflow calls a bad parameter', async () => {
      handle('get', 'registered-models/alias', () =>
        HttpResponse.json(
          restError(
            'INVALID_PARAMETER_VALUE',
            'Registered model alias nope not found.',
          ),
          { status: 400 },
        ),
      );
      const error = await client()
        .getModelVersionByAlias('fraud-detector', 'nope')
        .catch(e => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        "MLflow instance 'default': Registered model alias nope not found.",
      );
      expect(error.cause).toMatchObject({
        errorCode: 'INVALID_PARAMETER_VALUE',
      });
    });

    it('keeps other bad parameters InputErrors', async () => {
      handle('get', 'registered-models/alias', () =>
        HttpResponse.json(
          restError('INVALID_PARAMETER_VALUE', 'Missing value for alias'),
          {
            status: 400,
          },
        ),
      );
      await expect(
        client().getModelVersionByAlias('fraud-detector', ''),
      ).rejects.toThrow(InputError);
    });
  });

  describe('getModelVersionDownloadUri', () => {
    it('returns where the version’s files are', async () => {
      const requests = handle('get', 'model-versions/get-download-uri', () =>
        HttpResponse.json({
          artifact_uri: 'mlflow-artifacts:/3/models/m-1/artifacts',
        }),
      );
      await expect(
        client().getModelVersionDownloadUri('fraud-detector', '1'),
      ).resolves.toBe('mlflow-artifacts:/3/models/m-1/artifacts');
      expect(Object.fromEntries(query(requests[0]))).toEqual({
        name: 'fraud-detector',
        version: '1',
      });
    });
  });

  describe('searchLoggedModels', () => {
    it('posts the search and normalises the page', async () => {
      const requests = handle('post', 'logged-models/search', () =>
        HttpResponse.json({
          models: [restLoggedModel('m-1'), restLoggedModel('m-2')],
          next_page_token: 'more',
        }),
      );
      const page = await client().searchLoggedModels({
        experimentIds: ['3'],
        filter: 'metrics.accuracy > 0.8',
        maxResults: 2,
        pageToken: 'tok',
      });
      expect(await requests[0].json()).toEqual({
        experiment_ids: ['3'],
        filter: 'metrics.accuracy > 0.8',
        max_results: 2,
        page_token: 'tok',
      });
      expect(page.nextPageToken).toBe('more');
      expect(page.models.map(m => [m.modelId, m.uiUrl])).toEqual([
        ['m-1', 'https://mlflow.example.com/#/experiments/3/models/m-1'],
        ['m-2', 'https://mlflow.example.com/#/experiments/3/models/m-2'],
      ]);
    });

    it('says the endpoint is missing on a server older than MLflow 3', async () => {
      handle(
        'post',
        'logged-models/search',
        () =>
          new HttpResponse('<!doctype html><title>404 Not Found</title>', {
            status: 404,
            headers: { 'content-type': 'text/html' },
          }),
      );
      await expect(
        client().searchLoggedModels({ experimentIds: ['3'] }),
      ).rejects.toThrow(
        "MLflow instance 'default' does not serve POST /api/2.0/mlflow/logged-models/search (HTTP 404)",
      );
    });
  });
});
