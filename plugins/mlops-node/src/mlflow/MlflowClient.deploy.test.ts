/**
 * The MlflowClient calls the KServe deploy core makes: a version and a logged model by id,
 * registered model tags, the serving tags on versions, and MLmodel files through the
 * artifact proxy.
 */
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
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
  restLoggedModel,
  restModelVersion,
  restRegisteredModel,
} from './__testUtils__/restFixtures';

const server = setupServer();
registerMswTestHooks(server);

const ARTIFACTS = `${MLFLOW_BASE_URL}/api/2.0/mlflow-artifacts/artifacts`;

function client(options: { token?: string } = {}) {
  return new MlflowClient({
    name: 'default',
    baseUrl: MLFLOW_BASE_URL,
    uiUrl: 'https://mlflow.example.com',
    retryDelaysMs: [1, 1],
    artifactsDestination: 's3://mlflow-artifacts',
    ...(options.token ? { credentials: { token: options.token } } : {}),
  });
}

/** Records the requests to a URL and answers each with `answer(request, index)`. */
function handle(
  method: 'get' | 'post' | 'delete',
  url: string,
  answer: (request: Request, index: number) => Response | Promise<Response>,
) {
  const requests: Request[] = [];
  server.use(
    http[method](url, ({ request }) => {
      requests.push(request.clone());
      return answer(request, requests.length - 1);
    }),
  );
  return requests;
}

const query = (request: Request) =>
  Object.fromEntries(new URL(request.url).searchParams);

const notFound = (message: string) =>
  HttpResponse.json(restError('RESOURCE_DOES_NOT_EXIST', message), {
    status: 404,
  });

describe('MlflowClient.getModelVersion', () => {
  it('asks by name and version and normalises the version with its tags and logged model', async () => {
    const requests = handle('get', `${API}/model-versions/get`, () =>
      HttpResponse.json({
        model_version: restModelVersion('2', {
          source: 'models:/m-0f3a',
          tags: [
            {
              key: 'mlstack.io/serving/prod/ml/fraud',
              value: '{"role":"stable"}',
            },
          ],
        }),
      }),
    );
    await expect(
      client().getModelVersion('fraud detector', '2'),
    ).resolves.toMatchObject({
      name: 'fraud-detector',
      version: '2',
      status: 'READY',
      runId: 'run-2',
      modelId: 'm-0f3a',
      tags: { 'mlstack.io/serving/prod/ml/fraud': '{"role":"stable"}' },
      uiUrl: 'https://mlflow.example.com/#/models/fraud-detector/versions/2',
    });
    expect(query(requests[0])).toEqual({
      name: 'fraud detector',
      version: '2',
    });
  });

  it('is a NotFoundError for an unknown version', async () => {
    handle('get', `${API}/model-versions/get`, () =>
      notFound('Model Version (name=fraud, version=99) not found'),
    );
    const error = await client()
      .getModelVersion('fraud', '99')
      .catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      "MLflow instance 'default': Model Version (name=fraud, version=99) not found",
    );
  });
});

describe('MlflowClient.getLoggedModel', () => {
  it('asks by id in the path and normalises the model', async () => {
    const requests = handle('get', `${API}/logged-models/:id`, () =>
      HttpResponse.json({ model: restLoggedModel('m-1a2b') }),
    );
    await expect(client().getLoggedModel('m-1a2b')).resolves.toMatchObject({
      modelId: 'm-1a2b',
      experimentId: '3',
      sourceRunId: 'run-3',
      artifactUri: 'mlflow-artifacts:/3/models/m-1a2b/artifacts',
      uiUrl: 'https://mlflow.example.com/#/experiments/3/models/m-1a2b',
    });
    expect(new URL(requests[0].url).pathname).toBe(
      '/api/2.0/mlflow/logged-models/m-1a2b',
    );
  });

  it('escapes the id, and an unknown one is a NotFoundError', async () => {
    const requests = handle('get', `${API}/logged-models/:id`, () =>
      notFound("Logged model with ID 'a/b' not found."),
    );
    await expect(client().getLoggedModel('a/b')).rejects.toThrow(NotFoundError);
    expect(new URL(requests[0].url).pathname).toBe(
      '/api/2.0/mlflow/logged-models/a%2Fb',
    );
  });

  it('treats an answer without the model as a broken answer', async () => {
    handle('get', `${API}/logged-models/:id`, () => HttpResponse.json({}));
    await expect(client().getLoggedModel('m-1')).rejects.toThrow(
      ServiceUnavailableError,
    );
  });
});

describe('MlflowClient.getRegisteredModelTags', () => {
  it('returns the model’s tags, a tag without a value as ""', async () => {
    const requests = handle('get', `${API}/registered-models/get`, () =>
      HttpResponse.json({
        registered_model: restRegisteredModel({
          tags: [
            { key: 'mlstack.io/owner', value: 'group:default/ml-team' },
            { key: 'flag' } as { key: string; value: string },
          ],
        }),
      }),
    );
    await expect(
      client().getRegisteredModelTags('fraud-detector'),
    ).resolves.toEqual({
      'mlstack.io/owner': 'group:default/ml-team',
      flag: '',
    });
    expect(query(requests[0])).toEqual({ name: 'fraud-detector' });
  });

  it('gives undefined for an unknown model, and {} for one without tags', async () => {
    handle('get', `${API}/registered-models/get`, (_request, index) =>
      index === 0
        ? notFound('Registered Model with name=nope not found')
        : HttpResponse.json({
            registered_model: restRegisteredModel({ tags: undefined }),
          }),
    );
    await expect(client().getRegisteredModelTags('nope')).resolves.toBe(
      undefined,
    );
    await expect(client().getRegisteredModelTags('fraud')).resolves.toEqual({});
  });
});

describe('MlflowClient.setModelVersionTag', () => {
  it('posts name, version, key and value, and retries a 503 (setting a tag twice is harmless)', async () => {
    const requests = handle(
      'post',
      `${API}/model-versions/set-tag`,
      (_request, index) =>
        index === 0
          ? HttpResponse.json(restError('TEMPORARILY_UNAVAILABLE', 'busy'), {
              status: 503,
            })
          : HttpResponse.json({}),
    );
    await client({ token: 't0k' }).setModelVersionTag(
      'fraud',
      '2',
      'mlstack.io/serving/prod/ml/fraud',
      '{"role":"canary","trafficPercent":20}',
    );
    expect(requests).toHaveLength(2);
    expect(await requests[1].json()).toEqual({
      name: 'fraud',
      version: '2',
      key: 'mlstack.io/serving/prod/ml/fraud',
      value: '{"role":"canary","trafficPercent":20}',
    });
    expect(requests[1].headers.get('authorization')).toBe('Bearer t0k');
  });

  it('is a NotFoundError for an unknown version', async () => {
    handle('post', `${API}/model-versions/set-tag`, () =>
      notFound('Model Version (name=fraud, version=9) not found'),
    );
    await expect(
      client().setModelVersionTag('fraud', '9', 'k', 'v'),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('MlflowClient.deleteModelVersionTag', () => {
  it('sends a DELETE with name, version and key as JSON', async () => {
    const requests = handle('delete', `${API}/model-versions/delete-tag`, () =>
      HttpResponse.json({}),
    );
    await expect(
      client().deleteModelVersionTag('fraud', '2', 'mlstack.io/serving/a/b/c'),
    ).resolves.toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.get('content-type')).toBe('application/json');
    expect(await requests[0].json()).toEqual({
      name: 'fraud',
      version: '2',
      key: 'mlstack.io/serving/a/b/c',
    });
  });

  it('takes a version or tag that is gone as done, and still throws other errors', async () => {
    handle('delete', `${API}/model-versions/delete-tag`, (_request, index) =>
      index === 0
        ? notFound('Model Version (name=fraud, version=9) not found')
        : HttpResponse.json(restError('INTERNAL_ERROR', 'db down'), {
            status: 500,
          }),
    );
    await expect(
      client().deleteModelVersionTag('fraud', '9', 'k'),
    ).resolves.toBeUndefined();
    await expect(
      client().deleteModelVersionTag('fraud', '2', 'k'),
    ).rejects.toThrow(ServiceUnavailableError);
  });
});

describe('MlflowClient.readArtifactText', () => {
  const MLMODEL = 'flavors:\n  sklearn:\n    pickled_model: model.pkl\n';

  it('reads a file under mlflow-artifacts:/ through the artifact proxy, with the credentials', async () => {
    const requests = handle('get', `${ARTIFACTS}/*`, () =>
      HttpResponse.text(MLMODEL),
    );
    await expect(
      client({ token: 't0k' }).readArtifactText(
        'mlflow-artifacts:/3/models/m-1a2b/artifacts',
        'MLmodel',
      ),
    ).resolves.toBe(MLMODEL);
    expect(new URL(requests[0].url).pathname).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/3/models/m-1a2b/artifacts/MLmodel',
    );
    expect(requests[0].headers.get('authorization')).toBe('Bearer t0k');
  });

  it('drops the host of mlflow-artifacts://host/ and a trailing slash, and escapes each segment', async () => {
    const requests = handle('get', `${ARTIFACTS}/*`, () =>
      HttpResponse.text(MLMODEL),
    );
    await client().readArtifactText(
      'mlflow-artifacts://mlflow.example.com:5000/3/my model/artifacts/',
      'MLmodel',
    );
    expect(new URL(requests[0].url).pathname).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/3/my%20model/artifacts/MLmodel',
    );
  });

  it('refuses URIs outside the artifact proxy without calling MLflow', async () => {
    const requests = handle('get', `${ARTIFACTS}/*`, () =>
      HttpResponse.text(MLMODEL),
    );
    for (const uri of ['s3://mlflow-artifacts/3/m', 'runs:/abc/model']) {
      const error = await client()
        .readArtifactText(uri, 'MLmodel')
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `MLflow instance 'default' serves files only under mlflow-artifacts:/ URIs, not '${uri}'`,
      );
    }
    expect(requests).toHaveLength(0);
  });

  it('refuses a file larger than the limit', async () => {
    handle('get', `${ARTIFACTS}/*`, () => HttpResponse.text('x'.repeat(11)));
    const error = await client()
      .readArtifactText('mlflow-artifacts:/3/m', 'MLmodel', 10)
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toContain('a file larger than 10 bytes');
    await expect(
      client().readArtifactText('mlflow-artifacts:/3/m', 'MLmodel', 11),
    ).resolves.toHaveLength(11);
  });

  it('stops reading at the limit: an endless download is cancelled, not read to its end', async () => {
    let pulls = 0;
    let cancelled = false;
    // A fetch of its own: msw does not pass a cancel on to the body's source.
    const endless = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulls += 1;
            controller.enqueue(new TextEncoder().encode('x'.repeat(4)));
          },
          cancel() {
            cancelled = true;
          },
        }),
      );
    const error = await new MlflowClient({
      name: 'default',
      baseUrl: MLFLOW_BASE_URL,
      artifactsDestination: 's3://mlflow-artifacts',
      fetch: endless,
    })
      .readArtifactText('mlflow-artifacts:/3/m', 'MLmodel', 10)
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toContain('a file larger than 10 bytes');
    // 3 chunks of 4 bytes pass the limit; the stream may have pulled one ahead
    expect(pulls).toBeLessThanOrEqual(4);
    expect(cancelled).toBe(true);
  });

  it('maps MLflow’s errors: a missing file, a refused token', async () => {
    handle('get', `${ARTIFACTS}/*`, (_request, index) =>
      index === 0
        ? notFound('File not found')
        : HttpResponse.json(restError('PERMISSION_DENIED', 'no'), {
            status: 403,
          }),
    );
    await expect(
      client().readArtifactText('mlflow-artifacts:/3/m', 'MLmodel'),
    ).rejects.toThrow(NotFoundError);
    await expect(
      client({ token: 'bad' }).readArtifactText(
        'mlflow-artifacts:/3/m',
        'MLmodel',
      ),
    ).rejects.toThrow(
      "MLflow instance 'default' rejected the configured credentials (HTTP 403)",
    );
  });
});
