import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
  serializeError,
} from '@backstage/errors';
import {
  isRetryable,
  MlflowError,
  MlflowFailure,
  MlflowRequestContext,
  toBackstageError,
} from './errors';

const context: MlflowRequestContext = {
  instanceName: 'prod',
  request: 'POST /api/2.0/mlflow/runs/search',
  timeoutMs: 10000,
  attempts: 3,
  hasCredentials: true,
};

function mlflowAnswer(
  statusCode: number,
  errorCode?: string,
  message?: string,
): MlflowFailure {
  return {
    kind: 'status',
    statusCode,
    body: errorCode || message ? { errorCode, message } : undefined,
  };
}

describe('toBackstageError', () => {
  it('turns INVALID_PARAMETER_VALUE into an InputError with MLflow’s message, cause kept', () => {
    const error = toBackstageError(
      mlflowAnswer(
        400,
        'INVALID_PARAMETER_VALUE',
        "Invalid clause(s) in filter string: 'params.x', '=', '=', '1'",
      ),
      context,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "MLflow instance 'prod': Invalid clause(s) in filter string: 'params.x', '=', '=', '1'",
    );
    const cause = (error as InputError).cause;
    expect(MlflowError.is(cause)).toBe(true);
    expect(cause).toMatchObject({
      name: 'MlflowError',
      errorCode: 'INVALID_PARAMETER_VALUE',
      statusCode: 400,
      instanceName: 'prod',
      message:
        "MLflow instance 'prod' answered POST /api/2.0/mlflow/runs/search with HTTP 400 INVALID_PARAMETER_VALUE: Invalid clause(s) in filter string: 'params.x', '=', '=', '1'",
    });
  });

  it.each([
    ['BAD_REQUEST', 400],
    ['INVALID_STATE', 500],
    ['SOMETHING_NEW', 422],
  ])('turns %s (HTTP %d) into an InputError', (code, status) => {
    expect(
      toBackstageError(mlflowAnswer(status, code, 'nope'), context),
    ).toEqual(expect.any(InputError));
  });

  it('turns RESOURCE_DOES_NOT_EXIST into a NotFoundError', () => {
    const error = toBackstageError(
      mlflowAnswer(
        404,
        'RESOURCE_DOES_NOT_EXIST',
        'Run with id=nope not found',
      ),
      context,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      "MLflow instance 'prod': Run with id=nope not found",
    );
  });

  it('turns 401 and 403 into NotAllowedError about the configured credentials', () => {
    const rejected = toBackstageError(mlflowAnswer(401), context);
    expect(rejected).toBeInstanceOf(NotAllowedError);
    expect(rejected.message).toBe(
      "MLflow instance 'prod' rejected the configured credentials (HTTP 401)",
    );
    const missing = toBackstageError(
      mlflowAnswer(403, 'PERMISSION_DENIED', 'Permission denied'),
      { ...context, hasCredentials: false },
    );
    expect(missing).toBeInstanceOf(NotAllowedError);
    expect(missing.message).toBe(
      "MLflow instance 'prod' requires credentials (HTTP 403), but none are configured for it",
    );
  });

  it('turns a 409 into a ConflictError', () => {
    expect(
      toBackstageError(mlflowAnswer(409, 'RESOURCE_CONFLICT', 'busy'), context),
    ).toEqual(expect.any(ConflictError));
  });

  it.each([
    ['500 INTERNAL_ERROR', 500, 'INTERNAL_ERROR', 502],
    ['a bare 502 from a proxy', 502, undefined, 502],
    ['503 TEMPORARILY_UNAVAILABLE', 503, 'TEMPORARILY_UNAVAILABLE', 503],
    ['504 DEADLINE_EXCEEDED', 504, 'DEADLINE_EXCEEDED', 504],
    ['429 REQUEST_LIMIT_EXCEEDED', 429, 'REQUEST_LIMIT_EXCEEDED', 502],
  ] as const)(
    'turns %s into a ServiceUnavailableError',
    (_label, status, code, answeredWith) => {
      const error = toBackstageError(
        mlflowAnswer(status, code, code && 'database is locked'),
        context,
      );
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).toMatchObject({ statusCode: answeredWith });
      expect(error.message).toContain(
        `MLflow instance 'prod' failed with HTTP ${status}`,
      );
    },
  );

  it('says an endpoint is missing when MLflow answers 404 without an MLflow error', () => {
    const error = toBackstageError(mlflowAnswer(404), {
      ...context,
      request: 'POST /api/2.0/mlflow/logged-models/search',
    });
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      "MLflow instance 'prod' does not serve POST /api/2.0/mlflow/logged-models/search (HTTP 404); " +
        'check that its baseUrl points at an MLflow 3 tracking server',
    );
  });

  it('names the timeout, keeping the original error as the cause', () => {
    const timeout = new DOMException(
      'The operation timed out.',
      'TimeoutError',
    );
    const error = toBackstageError(
      { kind: 'timeout', cause: timeout },
      context,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      "MLflow instance 'prod' did not answer within 10000 ms (POST /api/2.0/mlflow/runs/search, 3 attempts)",
    );
    expect(error).toMatchObject({ statusCode: 504, cause: timeout });
  });

  it('names the network error code of an unreachable instance', () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5000'), {
        code: 'ECONNREFUSED',
      }),
    });
    const error = toBackstageError(
      { kind: 'unreachable', cause: fetchFailed },
      { ...context, attempts: 1 },
    );
    expect(error.message).toBe(
      "MLflow instance 'prod' could not be reached: ECONNREFUSED (POST /api/2.0/mlflow/runs/search, 1 attempt)",
    );
    expect(error).toMatchObject({ statusCode: 503, cause: fetchFailed });
  });

  it('reports a body that is not MLflow’s JSON', () => {
    const error = toBackstageError(
      {
        kind: 'garbage',
        statusCode: 200,
        detail: 'a body that is not JSON (text/html)',
      },
      context,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      "MLflow instance 'prod' answered POST /api/2.0/mlflow/runs/search with HTTP 200 and a body that is not JSON (text/html)",
    );
  });

  it('serialises the MLflow cause for Backstage’s error responses', () => {
    const error = toBackstageError(
      mlflowAnswer(400, 'INVALID_PARAMETER_VALUE', 'bad filter'),
      context,
    );
    expect(serializeError(error)).toMatchObject({
      name: 'InputError',
      message: "MLflow instance 'prod': bad filter",
      cause: {
        name: 'MlflowError',
        errorCode: 'INVALID_PARAMETER_VALUE',
        statusCode: 400,
      },
    });
  });
});

describe('isRetryable', () => {
  it('retries timeouts, network errors and 502/503/504 only', () => {
    const cause = new Error('x');
    expect(isRetryable({ kind: 'timeout', cause })).toBe(true);
    expect(isRetryable({ kind: 'unreachable', cause })).toBe(true);
    expect([502, 503, 504].map(s => isRetryable(mlflowAnswer(s)))).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      [400, 401, 404, 429, 500].map(s => isRetryable(mlflowAnswer(s))),
    ).toEqual([false, false, false, false, false]);
    expect(
      isRetryable({ kind: 'garbage', statusCode: 200, detail: 'not JSON' }),
    ).toBe(false);
  });
});
