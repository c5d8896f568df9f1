// Over 300 lines: the one path every MLflow call takes (URL and query, auth header, timeout and
// abort, retries of idempotent reads, bounded body reads, MLflow's error body to typed errors);
// its helpers are private to it.
import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  isRetryable,
  MlflowFailure,
  MlflowRequestContext,
  toBackstageError,
} from './errors';

/**
 * Credentials for one MLflow instance: a bearer token, or basic auth.
 *
 * @public
 */
export type MlflowCredentials =
  | { token: string }
  | { username: string; password: string };

export type MlflowQueryValue = string | number | boolean | string[] | undefined;

/** One call of the MLflow REST API. */
export interface MlflowCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Under `/api/2.0/mlflow/`, e.g. `runs/search`. */
  path: string;
  /** GET parameters; an array repeats the key, as MLflow expects. */
  query?: Record<string, MlflowQueryValue>;
  /** POST body, sent as JSON; undefined fields are left out. */
  body?: Record<string, unknown>;
  /** Safe to send twice (reads, and the read-only POST searches): only these are retried. */
  idempotent: boolean;
}

export interface MlflowTransportOptions {
  instanceName: string;
  /** The tracking server, e.g. `https://mlflow.example.com` (a path prefix is kept). */
  baseUrl: string;
  credentials?: MlflowCredentials;
  /** Per attempt. */
  timeoutMs: number;
  /** How long to wait before each retry; its length is the number of retries. */
  retryDelaysMs: number[];
  /** Defaults to the global fetch, looked up at call time. */
  fetch?: typeof fetch;
  logger?: LoggerService;
}

type AttemptResult =
  | { ok: true; json: object }
  | { ok: false; failure: MlflowFailure };

/**
 * A response body as text, reading no more than `maxBytes` (then the download is cancelled):
 * a file someone made huge costs the backend no more than the limit.
 */
async function readAtMost(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; tooLarge: boolean }> {
  if (!response.body) {
    return { text: '', tooLarge: false };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not awaited: cancel() settles only once the body's source acknowledges it, which a
      // wrapped fetch may never do (msw's interceptor does not), and the answer is known now.
      reader.cancel().catch(() => undefined);
      return { text: '', tooLarge: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false };
}

export const MLFLOW_API_PREFIX = '/api/2.0/mlflow/';
/** Where MLflow's artifact proxy serves files (`mlflow-artifacts:/<path>`). */
export const MLFLOW_ARTIFACTS_PREFIX = '/api/2.0/mlflow-artifacts/artifacts/';

function authorizationHeader(
  credentials: MlflowCredentials | undefined,
): string | undefined {
  if (!credentials) {
    return undefined;
  }
  if ('token' in credentials) {
    return `Bearer ${credentials.token}`;
  }
  const pair = `${credentials.username}:${credentials.password}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function toSearchParams(query: Record<string, MlflowQueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      value.forEach(v => params.append(key, v));
    } else if (value !== undefined) {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function withoutUndefined(body: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
  );
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The thrown value as an Error (by shape: a DOMException may come from another realm). */
function asError(value: unknown): Error {
  return isError(value) ? (value as Error) : new Error(String(value));
}

function parseJson(text: string): { value?: unknown; error?: Error } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: asError(error) };
  }
}

/** MLflow's `{ error_code, message }`, if that is what the body is. */
function readErrorBody(
  text: string,
): { errorCode?: string; message?: string } | undefined {
  const { value } = parseJson(text);
  if (!isJsonObject(value)) {
    return undefined;
  }
  const errorCode =
    typeof value.error_code === 'string' ? value.error_code : undefined;
  const message = typeof value.message === 'string' ? value.message : undefined;
  return errorCode || message ? { errorCode, message } : undefined;
}

function describeFailure(failure: MlflowFailure): string {
  switch (failure.kind) {
    case 'status':
      return `HTTP ${failure.statusCode}`;
    case 'garbage':
      return `HTTP ${failure.statusCode}, ${failure.detail}`;
    default:
      return failure.kind;
  }
}

/**
 * Sends MLflow REST calls for one instance: credentials, a timeout per attempt, bounded
 * retries of idempotent calls, and MLflow's errors turned into Backstage errors. Credentials
 * live in a private field and never reach a log line or an error message.
 */
export class MlflowTransport {
  readonly instanceName: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #authorization?: string;
  readonly #retryDelaysMs: number[];
  readonly #fetch?: typeof fetch;
  readonly #logger?: LoggerService;

  constructor(options: MlflowTransportOptions) {
    this.instanceName = options.instanceName;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.#authorization = authorizationHeader(options.credentials);
    this.#retryDelaysMs = options.retryDelaysMs;
    this.#fetch = options.fetch;
    this.#logger = options.logger;
  }

  /** Sends the call (retrying if allowed) and returns the JSON object MLflow answered. */
  async call<T extends object>(call: MlflowCall): Promise<T> {
    const request = `${call.method} ${MLFLOW_API_PREFIX}${call.path}`;
    const maxAttempts = call.idempotent ? 1 + this.#retryDelaysMs.length : 1;

    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(call);
      if (result.ok) {
        return result.json as T;
      }
      if (attempt < maxAttempts && isRetryable(result.failure)) {
        const delayMs = this.#retryDelaysMs[attempt - 1];
        this.#logger?.warn(
          `MLflow instance '${
            this.instanceName
          }': ${request} failed (${describeFailure(
            result.failure,
          )}); retry ${attempt} of ${maxAttempts - 1} in ${delayMs} ms`,
        );
        await new Promise(resolve => setTimeout(resolve, delayMs));
        continue;
      }
      throw toBackstageError(result.failure, this.context(request, attempt));
    }
  }

  /**
   * Reads a file MLflow serves through its artifact proxy (`mlflow server --serve-artifacts`):
   * `GET /api/2.0/mlflow-artifacts/artifacts/<path>`, as text, at most `maxBytes`. Failures are
   * the same Backstage errors as for `call` (404 → NotFoundError, …); a larger file is an
   * InputError naming its size limit.
   */
  async artifactText(path: string, maxBytes: number): Promise<string> {
    const request = `GET ${MLFLOW_ARTIFACTS_PREFIX}${path}`;
    const url = `${this.baseUrl}${MLFLOW_ARTIFACTS_PREFIX}${path
      .split('/')
      .map(encodeURIComponent)
      .join('/')}`;
    const headers: Record<string, string> = {};
    if (this.#authorization) {
      headers.authorization = this.#authorization;
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    let tooLarge = false;
    try {
      response = await (this.#fetch ?? globalThis.fetch)(url, {
        headers,
        signal,
      });
      ({ text, tooLarge } = await readAtMost(response, maxBytes));
    } catch (error) {
      const cause = asError(error);
      throw toBackstageError(
        signal.aborted
          ? { kind: 'timeout', cause }
          : { kind: 'unreachable', cause },
        this.context(request, 1),
      );
    }
    if (!response.ok) {
      throw toBackstageError(
        {
          kind: 'status',
          statusCode: response.status,
          body: readErrorBody(text),
        },
        this.context(request, 1),
      );
    }
    if (tooLarge) {
      throw toBackstageError(
        {
          kind: 'garbage',
          statusCode: response.status,
          detail: `a file larger than ${maxBytes} bytes`,
        },
        this.context(request, 1),
      );
    }
    return text;
  }

  /** The error for a success answer that lacks what the endpoint promises (for the caller to throw). */
  unexpectedAnswer(
    call: Pick<MlflowCall, 'method' | 'path'>,
    detail: string,
  ): Error {
    return toBackstageError(
      { kind: 'garbage', statusCode: 200, detail },
      this.context(`${call.method} ${MLFLOW_API_PREFIX}${call.path}`, 1),
    );
  }

  private context(request: string, attempts: number): MlflowRequestContext {
    return {
      instanceName: this.instanceName,
      request,
      timeoutMs: this.timeoutMs,
      attempts,
      hasCredentials: this.#authorization !== undefined,
    };
  }

  private async attempt(call: MlflowCall): Promise<AttemptResult> {
    const url = `${this.baseUrl}${MLFLOW_API_PREFIX}${
      call.path
    }${toSearchParams(call.query ?? {})}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.body) {
      headers['content-type'] = 'application/json';
    }
    if (this.#authorization) {
      headers.authorization = this.#authorization;
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    const fetchImpl = this.#fetch ?? globalThis.fetch;

    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, {
        method: call.method,
        headers,
        body: call.body ? withoutUndefined(call.body) : undefined,
        signal,
      });
      text = await response.text();
    } catch (error) {
      const cause = asError(error);
      return {
        ok: false,
        failure: signal.aborted
          ? { kind: 'timeout', cause }
          : { kind: 'unreachable', cause },
      };
    }

    if (!response.ok) {
      return {
        ok: false,
        failure: {
          kind: 'status',
          statusCode: response.status,
          body: readErrorBody(text),
        },
      };
    }
    if (!text.trim()) {
      return {
        ok: false,
        failure: {
          kind: 'garbage',
          statusCode: response.status,
          detail: 'an empty body',
        },
      };
    }
    const parsed = parseJson(text);
    if (parsed.error) {
      const type = response.headers.get('content-type');
      return {
        ok: false,
        failure: {
          kind: 'garbage',
          statusCode: response.status,
          detail: `a body that is not JSON${type ? ` (${type})` : ''}`,
          cause: parsed.error,
        },
      };
    }
    if (!isJsonObject(parsed.value)) {
      return {
        ok: false,
        failure: {
          kind: 'garbage',
          statusCode: response.status,
          detail: 'a body that is not a JSON object',
        },
      };
    }
    return { ok: true, json: parsed.value };
  }
}
