import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { isPlainObject } from './objects';

/** What the Kubernetes client throws for an HTTP error (its ApiException), structurally. */
interface HttpFailure {
  code: number;
  body?: unknown;
  headers?: unknown;
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'number'
  );
}

/** The `message` of a Kubernetes Status body (sent as JSON text or already parsed). */
function statusMessage(body: unknown): string | undefined {
  let status = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      return body.trim() || undefined;
    }
  }
  return isPlainObject(status) && typeof status.message === 'string'
    ? status.message
    : undefined;
}

/**
 * The API server's message without the name of the account it refused: an authorization
 * failure names it (`... is forbidden: User "system:serviceaccount:ns:portal" cannot list
 * resource ...`), and the backend's own service account is not the caller's business. The
 * verb, resource and namespace are kept.
 */
export function withoutAccountName(message: string): string {
  return message
    .replace(/\bUser "(?:[^"\\]|\\.)*"/g, "the backend's account")
    .replace(/\bsystem:serviceaccount:[^\s"',;]*/g, "the backend's account");
}

/**
 * The error of a Kubernetes API call that got no (complete) answer within its timeout: a
 * ServiceUnavailableError answered with 504, naming the cluster, the call and the timeout.
 */
export function kubernetesTimeoutError(
  cluster: string,
  action: string,
  timeoutMs: number,
): Error {
  return Object.assign(
    new ServiceUnavailableError(
      `Kubernetes cluster '${cluster}': ${action} got no answer within ${timeoutMs} ms (mlops.kubernetes.requestTimeout)`,
    ),
    { statusCode: 504 },
  );
}

/** How the API server answers a server-side apply with a field the schema does not declare. */
const TYPED_PATCH_FAILURE = 'failed to create typed patch object';

/** The longest Retry-After the backend honours; a longer one fails the call at once. */
const MAX_RETRY_AFTER_MS = 5_000;

/**
 * How long to wait before calling again, when the API server answered 429 Too Many Requests
 * with a Retry-After in seconds: what it does while a resource's storage is (re)initializing
 * (a CRD just established, a watch cache being rebuilt) and under API Priority and Fairness.
 * client-go retries such answers; undefined for any other failure, or a wait past
 * MAX_RETRY_AFTER_MS.
 */
export function retryAfterMs(error: unknown): number | undefined {
  if (!isHttpFailure(error) || error.code !== 429) {
    return undefined;
  }
  const headers = isPlainObject(error.headers) ? error.headers : {};
  const header = Object.entries(headers).find(
    ([name]) => name.toLowerCase() === 'retry-after',
  )?.[1];
  if (typeof header !== 'string' || !/^\d+$/.test(header.trim())) {
    return undefined;
  }
  const ms = Number(header.trim()) * 1000;
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}

/**
 * A Kubernetes API failure as the Backstage error a route should answer with: 400/422 →
 * InputError (the API server's validation message), 403 → NotAllowedError, 404 →
 * NotFoundError, 409 → ConflictError, 410 (an expired `continue` token) → InputError, a
 * server-side apply the schema refuses (500, "failed to create typed patch object") →
 * InputError, anything else (401: the cluster rejects the backend's own token; 5xx, network) →
 * ServiceUnavailableError. A 401 is not the caller's fault, so it is not answered with 401
 * (which a Backstage frontend takes for its own sign-in expiring). The message names the
 * cluster and what was attempted; it never carries credentials nor the name of the backend's
 * account (see withoutAccountName).
 *
 * @public
 */
export function toKubernetesError(
  error: unknown,
  cluster: string,
  action: string,
): Error {
  const context = `Kubernetes cluster '${cluster}': ${action}`;
  if (!isHttpFailure(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new ServiceUnavailableError(`${context} failed: ${reason}`);
  }
  const raw = statusMessage(error.body);
  const message = raw && withoutAccountName(raw);
  const detail = `${context} failed (HTTP ${error.code})${
    message ? `: ${message}` : ''
  }`;
  if (error.code === 500 && message?.includes(TYPED_PATCH_FAILURE)) {
    // A server-side apply the type's schema refuses (e.g. `spec.canary` on a KServe older than
    // v0.20): the API server answers 500, but the fault is the request's, not the server's.
    return new InputError(detail);
  }
  switch (error.code) {
    case 400:
    case 422:
      return new InputError(detail);
    case 401:
      return new ServiceUnavailableError(
        `${detail}; the cluster rejects the backend's credentials`,
      );
    case 403:
      return new NotAllowedError(detail);
    case 404:
      return new NotFoundError(detail);
    case 409:
      return new ConflictError(detail);
    case 410:
      return new InputError(
        `${detail}; the listing expired, start again from the first page`,
      );
    default:
      return new ServiceUnavailableError(detail);
  }
}
