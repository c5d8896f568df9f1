import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  kubernetesTimeoutError,
  retryAfterMs,
  toKubernetesError,
  withoutAccountName,
} from './kubernetesErrors';

const status = (code: number, message: string) => ({
  code,
  body: JSON.stringify({ kind: 'Status', status: 'Failure', message, code }),
});

describe('toKubernetesError', () => {
  it.each([
    [400, InputError],
    [422, InputError],
    [403, NotAllowedError],
    [404, NotFoundError],
    [409, ConflictError],
    [500, ServiceUnavailableError],
    [503, ServiceUnavailableError],
  ])('maps HTTP %d', (code, type) => {
    const error = toKubernetesError(
      status(code, 'the reason'),
      'prod',
      "get Workflow 'x'",
    );
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(
      `Kubernetes cluster 'prod': get Workflow 'x' failed (HTTP ${code}): the reason`,
    );
  });

  it('answers a rejected token with 503 and an expired listing with 400', () => {
    const rejected = toKubernetesError(
      status(401, 'Unauthorized'),
      'prod',
      'list workflows',
    );
    expect(rejected).toBeInstanceOf(ServiceUnavailableError);
    expect(rejected.message).toBe(
      "Kubernetes cluster 'prod': list workflows failed (HTTP 401): Unauthorized; the cluster rejects the backend's credentials",
    );
    const expired = toKubernetesError(
      status(410, 'The provided continue parameter is too old'),
      'prod',
      'list workflows',
    );
    expect(expired).toBeInstanceOf(InputError);
    expect(expired.message).toMatch(/start again from the first page$/);
  });

  it('reads parsed and plain-text bodies, and network failures', () => {
    expect(
      toKubernetesError(
        { code: 403, body: { message: 'forbidden' } },
        'c',
        'list',
      ).message,
    ).toBe("Kubernetes cluster 'c': list failed (HTTP 403): forbidden");
    expect(
      toKubernetesError({ code: 502, body: 'Bad Gateway\n' }, 'c', 'list')
        .message,
    ).toBe("Kubernetes cluster 'c': list failed (HTTP 502): Bad Gateway");
    const network = toKubernetesError(
      new Error('connect ECONNREFUSED 10.0.0.1:6443'),
      'c',
      'list',
    );
    expect(network).toBeInstanceOf(ServiceUnavailableError);
    expect(network.message).toBe(
      "Kubernetes cluster 'c': list failed: connect ECONNREFUSED 10.0.0.1:6443",
    );
  });

  it('leaves the backend’s account out of a refusal, keeping verb, resource and namespace', () => {
    const error = toKubernetesError(
      status(
        403,
        'workflows.argoproj.io is forbidden: User "system:serviceaccount:mlstack:mlstack-portal" cannot list resource "workflows" in API group "argoproj.io" in the namespace "team-a"',
      ),
      'prod',
      "list workflows in 'team-a'",
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      `Kubernetes cluster 'prod': list workflows in 'team-a' failed (HTTP 403): workflows.argoproj.io is forbidden: the backend's account cannot list resource "workflows" in API group "argoproj.io" in the namespace "team-a"`,
    );
    expect(error.message).not.toContain('mlstack-portal');
  });

  it.each([
    [
      'pods "p" is forbidden: User "harness-norights" cannot delete resource "pods" in API group "" in the namespace "ml"',
      'pods "p" is forbidden: the backend\'s account cannot delete resource "pods" in API group "" in the namespace "ml"',
    ],
    [
      'User "a \\"quoted\\" name" cannot get resource "x"',
      'the backend\'s account cannot get resource "x"',
    ],
    [
      'impersonation of system:serviceaccount:ns:sa refused',
      "impersonation of the backend's account refused",
    ],
    ['no account here', 'no account here'],
  ])('withoutAccountName(%j)', (message, expected) => {
    expect(withoutAccountName(message)).toBe(expected);
  });

  it('names the cluster, the call and the timeout of a call that got no answer', () => {
    const error = kubernetesTimeoutError('prod', "get Workflow 'x'", 5000);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as { statusCode?: number }).statusCode).toBe(504);
    expect(error.message).toBe(
      "Kubernetes cluster 'prod': get Workflow 'x' got no answer within 5000 ms (mlops.kubernetes.requestTimeout)",
    );
  });
});

describe('retryAfterMs', () => {
  it.each([
    [{ code: 429, headers: { 'retry-after': '1' } }, 1000],
    [{ code: 429, headers: { 'Retry-After': ' 2 ' } }, 2000],
    [{ code: 429, headers: { 'retry-after': '5' } }, 5000],
    [{ code: 429, headers: { 'retry-after': '6' } }, undefined],
    [
      {
        code: 429,
        headers: { 'retry-after': 'Fri, 27 Nov 2026 10:00:00 GMT' },
      },
      undefined,
    ],
    [{ code: 429, headers: {} }, undefined],
    [{ code: 429 }, undefined],
    [{ code: 503, headers: { 'retry-after': '1' } }, undefined],
    [new Error('socket hang up'), undefined],
  ])('reads %j as %j', (error, ms) => {
    expect(retryAfterMs(error)).toBe(ms);
  });
});
