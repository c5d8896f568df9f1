import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MlflowTransport, MlflowTransportOptions } from './transport';
import { API, MLFLOW_BASE_URL, restError } from './__testUtils__/restFixtures';

const server = setupServer();
registerMswTestHooks(server);

function transport(options: Partial<MlflowTransportOptions> = {}) {
  return new MlflowTransport({
    instanceName: 'default',
    baseUrl: MLFLOW_BASE_URL,
    timeoutMs: 1000,
    retryDelaysMs: [1, 1],
    ...options,
  });
}

const getExperiment = {
  method: 'GET',
  path: 'experiments/get',
  query: { experiment_id: '3' },
  idempotent: true,
} as const;

/** Answers with each response in turn, counting the requests. */
function answerInTurn(
  method: 'get' | 'post',
  url: string,
  responses: Array<() => Response | Promise<Response>>,
) {
  const requests: Request[] = [];
  server.use(
    http[method](url, ({ request }) => {
      requests.push(request.clone());
      const next = responses[Math.min(requests.length, responses.length) - 1];
      return next();
    }),
  );
  return requests;
}

describe('MlflowTransport', () => {
  it('builds the URL under /api/2.0/mlflow, keeping a path prefix and repeating array keys', async () => {
    const requests = answerInTurn(
      'get',
      'http://mlflow.test/prefix/api/2.0/mlflow/registered-models/get-latest-versions',
      [() => HttpResponse.json({ model_versions: [] })],
    );
    await transport({ baseUrl: 'http://mlflow.test/prefix/' }).call({
      method: 'GET',
      path: 'registered-models/get-latest-versions',
      query: {
        name: "bob's model",
        stages: ['Production', 'Staging'],
        skip: undefined,
      },
      idempotent: true,
    });
    const url = new URL(requests[0].url);
    expect(url.searchParams.get('name')).toBe("bob's model");
    expect(url.searchParams.getAll('stages')).toEqual([
      'Production',
      'Staging',
    ]);
    expect(url.searchParams.has('skip')).toBe(false);
    expect(requests[0].headers.get('accept')).toBe('application/json');
  });

  it('posts a JSON body without the undefined fields', async () => {
    const requests = answerInTurn('post', `${API}/runs/search`, [
      () => HttpResponse.json({ runs: [] }),
    ]);
    await transport().call({
      method: 'POST',
      path: 'runs/search',
      body: { experiment_ids: ['1'], filter: undefined, max_results: 5 },
      idempotent: true,
    });
    expect(requests[0].headers.get('content-type')).toBe('application/json');
    expect(await requests[0].json()).toEqual({
      experiment_ids: ['1'],
      max_results: 5,
    });
  });

  it.each([
    ['a bearer token', { token: 's3cr3t-token' }, 'Bearer s3cr3t-token'],
    [
      'basic auth',
      { username: 'alice', password: 'pa:ss' },
      `Basic ${Buffer.from('alice:pa:ss').toString('base64')}`,
    ],
    ['no credentials', undefined, null],
  ])('sends %s', async (_label, credentials, header) => {
    const requests = answerInTurn('get', `${API}/experiments/get`, [
      () => HttpResponse.json({ experiment: {} }),
    ]);
    await transport({ credentials }).call(getExperiment);
    expect(requests[0].headers.get('authorization')).toBe(header);
  });

  it('retries an idempotent call after a 503 and returns the answer', async () => {
    const logger = mockServices.logger.mock();
    const requests = answerInTurn('get', `${API}/experiments/get`, [
      () =>
        HttpResponse.json(restError('TEMPORARILY_UNAVAILABLE', 'busy'), {
          status: 503,
        }),
      () => new HttpResponse('Bad gateway', { status: 502 }),
      () => HttpResponse.json({ experiment: { experiment_id: '3' } }),
    ]);
    await expect(transport({ logger }).call(getExperiment)).resolves.toEqual({
      experiment: { experiment_id: '3' },
    });
    expect(requests).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledWith(
      "MLflow instance 'default': GET /api/2.0/mlflow/experiments/get failed (HTTP 503); retry 1 of 2 in 1 ms",
    );
  });

  it('gives up after two retries with a ServiceUnavailableError', async () => {
    const requests = answerInTurn('get', `${API}/experiments/get`, [
      () => new HttpResponse(null, { status: 504 }),
    ]);
    const error = await transport()
      .call(getExperiment)
      .catch(e => e);
    expect(requests).toHaveLength(3);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      "MLflow instance 'default' failed with HTTP 504 (GET /api/2.0/mlflow/experiments/get, 3 attempts)",
    );
  });

  it('does not retry a 400, and carries MLflow’s message into an InputError', async () => {
    const requests = answerInTurn('post', `${API}/runs/search`, [
      () =>
        HttpResponse.json(
          restError(
            'INVALID_PARAMETER_VALUE',
            "Invalid clause(s) in filter string: 'x'",
          ),
          { status: 400 },
        ),
    ]);
    await expect(
      transport().call({
        method: 'POST',
        path: 'runs/search',
        body: { filter: 'x' },
        idempotent: true,
      }),
    ).rejects.toThrow(InputError);
    await expect(
      transport().call({
        method: 'POST',
        path: 'runs/search',
        body: { filter: 'x' },
        idempotent: true,
      }),
    ).rejects.toMatchObject({
      message:
        "MLflow instance 'default': Invalid clause(s) in filter string: 'x'",
      cause: { errorCode: 'INVALID_PARAMETER_VALUE', statusCode: 400 },
    });
    expect(requests).toHaveLength(2); // one per call: no retry
  });

  it('does not retry a call that is not idempotent', async () => {
    const requests = answerInTurn('post', `${API}/runs/create`, [
      () => new HttpResponse(null, { status: 503 }),
    ]);
    await expect(
      transport().call({
        method: 'POST',
        path: 'runs/create',
        body: {},
        idempotent: false,
      }),
    ).rejects.toThrow(ServiceUnavailableError);
    expect(requests).toHaveLength(1);
  });

  it('turns RESOURCE_DOES_NOT_EXIST into a NotFoundError', async () => {
    answerInTurn('get', `${API}/experiments/get`, [
      () =>
        HttpResponse.json(
          restError(
            'RESOURCE_DOES_NOT_EXIST',
            'No Experiment with id=3 exists',
          ),
          { status: 404 },
        ),
    ]);
    const error = await transport()
      .call(getExperiment)
      .catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      "MLflow instance 'default': No Experiment with id=3 exists",
    );
  });

  it('times out each attempt and says which instance did not answer', async () => {
    const requests = answerInTurn('get', `${API}/experiments/get`, [
      async () => {
        await delay(2000);
        return HttpResponse.json({ experiment: {} });
      },
    ]);
    const started = Date.now();
    const error = await transport({ timeoutMs: 50 })
      .call(getExperiment)
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      "MLflow instance 'default' did not answer within 50 ms (GET /api/2.0/mlflow/experiments/get, 3 attempts)",
    );
    expect(error.statusCode).toBe(504);
    expect(error.cause).toMatchObject({ name: 'TimeoutError' });
    expect(requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('retries a network error and then reports the instance unreachable', async () => {
    const requests = answerInTurn('get', `${API}/experiments/get`, [
      () => HttpResponse.error(),
    ]);
    const error = await transport()
      .call(getExperiment)
      .catch(e => e);
    expect(requests).toHaveLength(3);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(
      /^MLflow instance 'default' could not be reached: .+ \(GET \/api\/2\.0\/mlflow\/experiments\/get, 3 attempts\)$/,
    );
    expect(error.statusCode).toBe(503);
  });

  it.each([
    [
      'HTML',
      () =>
        new HttpResponse('<html>login</html>', {
          headers: { 'content-type': 'text/html' },
        }),
      'a body that is not JSON (text/html)',
    ],
    [
      'a JSON array',
      () => HttpResponse.json([1, 2]),
      'a body that is not a JSON object',
    ],
    [
      'an empty body',
      () => new HttpResponse('', { status: 200 }),
      'an empty body',
    ],
  ])(
    'reports %s on success as a ServiceUnavailableError without retrying',
    async (_label, answer, detail) => {
      const requests = answerInTurn('get', `${API}/experiments/get`, [answer]);
      const error = await transport()
        .call(getExperiment)
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        `MLflow instance 'default' answered GET /api/2.0/mlflow/experiments/get with HTTP 200 and ${detail}`,
      );
      expect(requests).toHaveLength(1);
    },
  );

  it('reports rejected credentials without repeating them', async () => {
    answerInTurn('get', `${API}/experiments/get`, [
      () => new HttpResponse('You are not authenticated', { status: 401 }),
    ]);
    const error = await transport({
      credentials: { username: 'alice', password: 'hunter2' },
    })
      .call(getExperiment)
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      "MLflow instance 'default' rejected the configured credentials (HTTP 401)",
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toMatch(
      /hunter2|YWxpY2U6aHVudGVyMg/,
    );
  });

  it('keeps credentials out of sight of inspection and logs', () => {
    const t = transport({ credentials: { token: 's3cr3t-token' } });
    expect(JSON.stringify(t)).not.toContain('s3cr3t');
    expect(require('node:util').inspect(t, { depth: 5 })).not.toContain(
      's3cr3t',
    );
  });
});
