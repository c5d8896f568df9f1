import {
  ConflictError,
  CustomErrorBase,
  InputError,
  isErrorWithName,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * MLflow's own answer to a request that failed: its HTTP status and, when the body was an
 * MLflow error (`{ error_code, message }`), the code and message. The client never throws it
 * directly; it is the `cause` of the Backstage error it throws (InputError, NotFoundError, …),
 * so that Backstage's error handler answers with the matching status.
 *
 * @public
 */
export class MlflowError extends CustomErrorBase {
  name = 'MlflowError' as const;
  /** MLflow's `error_code`, e.g. `INVALID_PARAMETER_VALUE`; absent if the body was not an MLflow error. */
  readonly errorCode?: string;
  /** The HTTP status MLflow answered with. */
  readonly statusCode: number;
  /** MLflow's `message`, verbatim. */
  readonly mlflowMessage?: string;
  /** The configured instance (`mlops.mlflow.instances[].name`) that answered. */
  readonly instanceName: string;

  constructor(options: {
    instanceName: string;
    /** e.g. `GET /api/2.0/mlflow/runs/get` (never with the query string or headers). */
    request: string;
    statusCode: number;
    errorCode?: string;
    mlflowMessage?: string;
  }) {
    const code = options.errorCode ? ` ${options.errorCode}` : '';
    const message = options.mlflowMessage ? `: ${options.mlflowMessage}` : '';
    super(
      `MLflow instance '${options.instanceName}' answered ${options.request} with HTTP ${options.statusCode}${code}${message}`,
    );
    this.instanceName = options.instanceName;
    this.statusCode = options.statusCode;
    this.errorCode = options.errorCode;
    this.mlflowMessage = options.mlflowMessage;
  }

  static is(value: unknown): value is MlflowError {
    return isErrorWithName(value, 'MlflowError');
  }
}

/** Why a request to MLflow failed, before it is turned into an error. */
export type MlflowFailure =
  /** No answer within the timeout. */
  | { kind: 'timeout'; cause: Error }
  /** No connection, DNS failure, connection reset, … */
  | { kind: 'unreachable'; cause: Error }
  /** An answer that is not a success. `body` is set when it was an MLflow error body. */
  | {
      kind: 'status';
      statusCode: number;
      body?: { errorCode?: string; message?: string };
    }
  /** A success status, but a body that is not the JSON object expected. */
  | { kind: 'garbage'; statusCode: number; detail: string; cause?: Error };

/** What the error messages may say about the request (never credentials or query strings). */
export interface MlflowRequestContext {
  instanceName: string;
  /** e.g. `GET /api/2.0/mlflow/runs/get` */
  request: string;
  timeoutMs: number;
  attempts: number;
  hasCredentials: boolean;
}

const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const NOT_ALLOWED_CODES = new Set([
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'CUSTOMER_UNAUTHORIZED',
]);
const NOT_FOUND_CODES = new Set(['RESOURCE_DOES_NOT_EXIST', 'NOT_FOUND']);
const INPUT_CODES = new Set([
  'INVALID_PARAMETER_VALUE',
  'BAD_REQUEST',
  'INVALID_STATE',
  'MALFORMED_REQUEST',
]);
const CONFLICT_CODES = new Set([
  'RESOURCE_ALREADY_EXISTS',
  'ALREADY_EXISTS',
  'RESOURCE_CONFLICT',
  'ABORTED',
]);

/** Network errors, timeouts and 502/503/504 are worth another try; answers like 4xx are not. */
export function isRetryable(failure: MlflowFailure): boolean {
  return (
    failure.kind === 'timeout' ||
    failure.kind === 'unreachable' ||
    (failure.kind === 'status' && RETRYABLE_STATUSES.has(failure.statusCode))
  );
}

/**
 * Sets `cause` without the "; caused by …" suffix CustomErrorBase appends to the message, so
 * that callers (and users) see MLflow's message as it is, while the cause is still kept (and
 * serialised by Backstage's error handler).
 */
function withCause<E extends Error>(error: E, cause: Error): E {
  Object.defineProperty(error, 'cause', {
    value: cause,
    enumerable: true,
    configurable: true,
    writable: false,
  });
  return error;
}

/** A ServiceUnavailableError whose `statusCode` the Backstage error handler answers with. */
function unavailable(
  message: string,
  statusCode: 502 | 503 | 504,
  cause: Error | undefined,
): ServiceUnavailableError {
  const error = Object.assign(new ServiceUnavailableError(message), {
    statusCode,
  });
  return cause ? withCause(error, cause) : error;
}

/** `ECONNREFUSED`, `ENOTFOUND`, … from undici's "fetch failed", else the error's message. */
function networkReason(error: Error): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })
    .cause;
  if (typeof cause?.code === 'string') {
    return cause.code;
  }
  return error.message;
}

function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

/**
 * Turns a failure into the Backstage error the client throws:
 *
 * - 401/403 → NotAllowedError (the instance rejected the configured credentials)
 * - RESOURCE_DOES_NOT_EXIST → NotFoundError with MLflow's message
 * - INVALID_PARAMETER_VALUE, BAD_REQUEST, INVALID_STATE and other 4xx → InputError with
 *   MLflow's message
 * - 409 and conflict codes → ConflictError
 * - timeout → ServiceUnavailableError (statusCode 504); unreachable → (503); 5xx, 429, a
 *   missing endpoint or a body that is not MLflow's JSON → (502, or MLflow's 503/504)
 */
export function toBackstageError(
  failure: MlflowFailure,
  context: MlflowRequestContext,
): Error {
  const instance = `MLflow instance '${context.instanceName}'`;
  const where = `${context.request}, ${attemptsText(context.attempts)}`;

  switch (failure.kind) {
    case 'timeout':
      return unavailable(
        `${instance} did not answer within ${context.timeoutMs} ms (${where})`,
        504,
        failure.cause,
      );
    case 'unreachable':
      return unavailable(
        `${instance} could not be reached: ${networkReason(
          failure.cause,
        )} (${where})`,
        503,
        failure.cause,
      );
    case 'garbage':
      return unavailable(
        `${instance} answered ${context.request} with HTTP ${failure.statusCode} and ${failure.detail}`,
        502,
        failure.cause,
      );
    case 'status':
      return statusToError(failure, context, instance);
    default:
      throw new Error(`unknown failure ${JSON.stringify(failure)}`);
  }
}

function statusToError(
  failure: Extract<MlflowFailure, { kind: 'status' }>,
  context: MlflowRequestContext,
  instance: string,
): Error {
  const { statusCode, body } = failure;
  const code = body?.errorCode;
  const mlflowMessage = body?.message || code || `HTTP ${statusCode}`;
  const cause = new MlflowError({
    instanceName: context.instanceName,
    request: context.request,
    statusCode,
    errorCode: code,
    mlflowMessage: body?.message,
  });

  if (
    statusCode === 401 ||
    statusCode === 403 ||
    (code && NOT_ALLOWED_CODES.has(code))
  ) {
    const message = context.hasCredentials
      ? `${instance} rejected the configured credentials (HTTP ${statusCode})`
      : `${instance} requires credentials (HTTP ${statusCode}), but none are configured for it`;
    return withCause(new NotAllowedError(message), cause);
  }
  if (code && NOT_FOUND_CODES.has(code)) {
    return withCause(new NotFoundError(`${instance}: ${mlflowMessage}`), cause);
  }
  if (code && INPUT_CODES.has(code)) {
    return withCause(new InputError(`${instance}: ${mlflowMessage}`), cause);
  }
  if (statusCode === 409 || (code && CONFLICT_CODES.has(code))) {
    return withCause(new ConflictError(`${instance}: ${mlflowMessage}`), cause);
  }
  if (statusCode === 404) {
    return unavailable(
      `${instance} does not serve ${context.request} (HTTP 404${
        code ? ` ${code}` : ''
      }); ` + 'check that its baseUrl points at an MLflow 3 tracking server',
      502,
      cause,
    );
  }
  if (statusCode >= 400 && statusCode < 500 && statusCode !== 429 && body) {
    return withCause(new InputError(`${instance}: ${mlflowMessage}`), cause);
  }
  const detail = body?.message ? `: ${body.message}` : '';
  return unavailable(
    `${instance} failed with HTTP ${statusCode}${
      code ? ` ${code}` : ''
    }${detail} (${context.request}, ${attemptsText(context.attempts)})`,
    statusCode === 503 || statusCode === 504 ? statusCode : 502,
    cause,
  );
}

const UNKNOWN_ALIAS_MESSAGE = /^Registered model alias .+ not found\.?$/;

/**
 * MLflow answers `registered-models/alias` for an alias the model does not have with
 * INVALID_PARAMETER_VALUE ("Registered model alias X not found.", sqlalchemy_store.py), while
 * an unknown model is RESOURCE_DOES_NOT_EXIST. Both are something missing, not a bad request:
 * this turns the first into a NotFoundError too (same message and cause) and returns any
 * other error as it is.
 */
export function unknownAliasAsNotFound(error: unknown): unknown {
  if (
    InputError.is(error) &&
    MlflowError.is(error.cause) &&
    UNKNOWN_ALIAS_MESSAGE.test(error.cause.mlflowMessage ?? '')
  ) {
    return withCause(new NotFoundError(error.message), error.cause);
  }
  return error;
}
