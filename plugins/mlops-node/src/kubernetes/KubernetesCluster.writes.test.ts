/**
 * What KubernetesCluster's writes send: create and replace (with a field manager, strict
 * validation and dry run), server-side apply and delete with a resourceVersion precondition.
 * What the API server does with them is in KubernetesCluster.writes.integration.test.ts.
 */
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { KSERVE_INFERENCE_SERVICE_RESOURCE as ISVC } from './customResources';
import { KubernetesClusters } from './KubernetesClusters';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'https://k8s.test/apis/serving.kserve.io/v1beta1/namespaces/ml';

const cluster = KubernetesClusters.fromConfig(
  new ConfigReader({
    mlops: {
      kubernetes: {
        clusters: [
          {
            name: 'prod',
            url: 'https://k8s.test',
            serviceAccountToken: 'tok',
            skipTLSVerify: true,
          },
        ],
      },
    },
  }),
  { env: {} },
).get('prod');

const isvc = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'fraud', namespace: 'ml', resourceVersion: '42' },
  spec: { predictor: { model: { modelFormat: { name: 'sklearn' } } } },
};

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  body: unknown;
}

/** Answers every request to `url` with `answer` and records what was sent. */
function record(
  method: 'post' | 'put' | 'patch' | 'delete',
  url: string,
  answer: () => Response = () => HttpResponse.json(isvc),
): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http[method](url, async ({ request }) => {
      const text = await request.text();
      const parsed = new URL(request.url);
      seen.push({
        method: request.method,
        path: parsed.pathname,
        query: Object.fromEntries(parsed.searchParams),
        contentType: request.headers.get('content-type'),
        body: text ? JSON.parse(text) : undefined,
      });
      return answer();
    }),
  );
  return seen;
}

/** What a call that must fail threw. */
async function failureOf(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const status = (code: number, reason: string, message: string) =>
  HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code,
      reason,
      message,
    },
    { status: code },
  );

describe('KubernetesCluster.createCustomObject', () => {
  it('posts the object as it is, without options', async () => {
    const seen = record('post', `${BASE}/inferenceservices`);
    await expect(cluster.createCustomObject(ISVC, 'ml', isvc)).resolves.toEqual(
      isvc,
    );
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices',
        query: {},
        contentType: 'application/json',
        body: isvc,
      },
    ]);
  });

  it('names the field manager with strict field validation, and dry-runs when asked', async () => {
    const seen = record('post', `${BASE}/inferenceservices`);
    await cluster.createCustomObject(ISVC, 'ml', isvc, {
      fieldManager: 'mlstack-portal',
    });
    await cluster.createCustomObject(ISVC, 'ml', isvc, {
      fieldManager: 'mlstack-portal',
      dryRun: true,
    });
    expect(seen.map(s => s.query)).toEqual([
      { fieldManager: 'mlstack-portal', fieldValidation: 'Strict' },
      {
        fieldManager: 'mlstack-portal',
        fieldValidation: 'Strict',
        dryRun: 'All',
      },
    ]);
  });

  it('maps an object that exists to a ConflictError and a refused one to an InputError', async () => {
    record('post', `${BASE}/inferenceservices`, () =>
      status(
        409,
        'AlreadyExists',
        'inferenceservices.serving.kserve.io "fraud" already exists',
      ),
    );
    const error = await failureOf(cluster.createCustomObject(ISVC, 'ml', isvc));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      `Kubernetes cluster 'prod': create InferenceService in 'ml' failed (HTTP 409): inferenceservices.serving.kserve.io "fraud" already exists`,
    );
    server.resetHandlers();
    record('post', `${BASE}/inferenceservices`, () =>
      status(
        400,
        'BadRequest',
        '.spec.predictor.x: field not declared in schema',
      ),
    );
    await expect(
      cluster.createCustomObject(ISVC, 'ml', isvc, { fieldManager: 'm' }),
    ).rejects.toThrow(InputError);
  });
});

describe('KubernetesCluster.replaceCustomObject', () => {
  it('puts the whole object, resourceVersion included, without options', async () => {
    const seen = record('put', `${BASE}/inferenceservices/fraud`);
    await expect(
      cluster.replaceCustomObject(ISVC, 'ml', 'fraud', isvc),
    ).resolves.toEqual(isvc);
    expect(seen).toEqual([
      {
        method: 'PUT',
        path: '/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/fraud',
        query: {},
        contentType: 'application/json',
        body: isvc,
      },
    ]);
  });

  it('names the field manager with strict field validation, and dry-runs when asked', async () => {
    const seen = record('put', `${BASE}/inferenceservices/fraud`);
    await cluster.replaceCustomObject(ISVC, 'ml', 'fraud', isvc, {
      fieldManager: 'mlstack-portal',
    });
    await cluster.replaceCustomObject(ISVC, 'ml', 'fraud', isvc, {
      fieldManager: 'mlstack-portal',
      dryRun: true,
    });
    await cluster.replaceCustomObject(ISVC, 'ml', 'fraud', isvc, {
      dryRun: true,
    });
    expect(seen.map(s => s.query)).toEqual([
      { fieldManager: 'mlstack-portal', fieldValidation: 'Strict' },
      {
        fieldManager: 'mlstack-portal',
        fieldValidation: 'Strict',
        dryRun: 'All',
      },
      { dryRun: 'All' },
    ]);
    expect(seen.every(s => s.method === 'PUT')).toBe(true);
  });

  it('maps a moved resourceVersion to a ConflictError and a refused field to an InputError', async () => {
    record('put', `${BASE}/inferenceservices/fraud`, () =>
      status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on inferenceservices.serving.kserve.io "fraud": the object has been modified; please apply your changes to the latest version and try again',
      ),
    );
    const error = await failureOf(
      cluster.replaceCustomObject(ISVC, 'ml', 'fraud', isvc, {
        fieldManager: 'm',
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(
      /^Kubernetes cluster 'prod': replace InferenceService 'fraud' failed \(HTTP 409\): Operation cannot be fulfilled/,
    );
    server.resetHandlers();
    record('put', `${BASE}/inferenceservices/fraud`, () =>
      status(
        400,
        'BadRequest',
        'InferenceService in version "v1beta1" cannot be handled as a InferenceService: strict decoding error: unknown field "spec.predictor.x"',
      ),
    );
    await expect(
      cluster.replaceCustomObject(ISVC, 'ml', 'fraud', isvc, {
        fieldManager: 'm',
      }),
    ).rejects.toThrow(InputError);
  });
});

describe('KubernetesCluster.applyCustomObject', () => {
  it('sends a server-side apply as the field manager, with strict validation, forced when asked', async () => {
    const seen = record('patch', `${BASE}/inferenceservices/fraud`);
    await expect(
      cluster.applyCustomObject(ISVC, 'ml', 'fraud', isvc, {
        fieldManager: 'mlstack-portal',
        force: true,
      }),
    ).resolves.toEqual(isvc);
    expect(seen).toEqual([
      {
        method: 'PATCH',
        path: '/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/fraud',
        query: {
          fieldManager: 'mlstack-portal',
          fieldValidation: 'Strict',
          force: 'true',
        },
        contentType: 'application/apply-patch+yaml',
        body: isvc,
      },
    ]);
  });

  it('does not force unless asked, and dry-runs when asked', async () => {
    const seen = record('patch', `${BASE}/inferenceservices/fraud`);
    await cluster.applyCustomObject(ISVC, 'ml', 'fraud', isvc, {
      fieldManager: 'mlstack-portal',
      dryRun: true,
    });
    expect(seen[0].query).toEqual({
      fieldManager: 'mlstack-portal',
      fieldValidation: 'Strict',
      dryRun: 'All',
    });
  });

  it('maps a conflict (a moved resourceVersion, or fields another manager holds) to a ConflictError', async () => {
    record('patch', `${BASE}/inferenceservices/fraud`, () =>
      status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on inferenceservices.serving.kserve.io "fraud": the object has been modified; please apply your changes to the latest version and try again',
      ),
    );
    const error = await failureOf(
      cluster.applyCustomObject(ISVC, 'ml', 'fraud', isvc, {
        fieldManager: 'm',
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(
      /^Kubernetes cluster 'prod': apply InferenceService 'fraud' failed \(HTTP 409\): Operation cannot be fulfilled/,
    );
  });
  it('takes a field the schema does not declare for bad input, though the API server answers 500', async () => {
    record('patch', `${BASE}/inferenceservices/fraud`, () =>
      status(
        500,
        'InternalError',
        'failed to create typed patch object (ml/fraud; serving.kserve.io/v1beta1, Kind=InferenceService): .spec.canary: field not declared in schema',
      ),
    );
    const error = await failureOf(
      cluster.applyCustomObject(ISVC, 'ml', 'fraud', isvc, {
        fieldManager: 'm',
      }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "Kubernetes cluster 'prod': apply InferenceService 'fraud' failed (HTTP 500): failed to create typed patch object (ml/fraud; serving.kserve.io/v1beta1, Kind=InferenceService): .spec.canary: field not declared in schema",
    );
    server.resetHandlers();
    record('patch', `${BASE}/inferenceservices/fraud`, () =>
      status(500, 'InternalError', 'etcdserver: request timed out'),
    );
    await expect(
      cluster.applyCustomObject(ISVC, 'ml', 'fraud', isvc, {
        fieldManager: 'm',
      }),
    ).rejects.toThrow(ServiceUnavailableError);
  });
});

describe('KubernetesCluster.deleteCustomObject', () => {
  it('deletes in the background (the object goes at once, its dependents after), with the resourceVersion as a precondition', async () => {
    const seen = record('delete', `${BASE}/inferenceservices/fraud`, () =>
      HttpResponse.json({ kind: 'Status', status: 'Success' }),
    );
    await expect(
      cluster.deleteCustomObject(ISVC, 'ml', 'fraud', {
        resourceVersion: '42',
      }),
    ).resolves.toEqual({ kind: 'Status', status: 'Success' });
    expect(seen).toEqual([
      {
        method: 'DELETE',
        path: '/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/fraud',
        query: { propagationPolicy: 'Background' },
        contentType: 'application/json',
        body: { preconditions: { resourceVersion: '42' } },
      },
    ]);
  });

  it('deletes whatever version there is without one, and dry-runs when asked', async () => {
    const seen = record('delete', `${BASE}/inferenceservices/fraud`, () =>
      HttpResponse.json(isvc),
    );
    await cluster.deleteCustomObject(ISVC, 'ml', 'fraud');
    await cluster.deleteCustomObject(ISVC, 'ml', 'fraud', { dryRun: true });
    expect(seen.map(s => [s.query, s.body])).toEqual([
      [{ propagationPolicy: 'Background' }, {}],
      [{ propagationPolicy: 'Background', dryRun: 'All' }, { dryRun: ['All'] }],
    ]);
  });

  it('maps a failed precondition to a ConflictError', async () => {
    record('delete', `${BASE}/inferenceservices/fraud`, () =>
      status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on inferenceservices.serving.kserve.io "fraud": Precondition failed: ResourceVersion in precondition: 41, ResourceVersion in object meta: 42',
      ),
    );
    await expect(
      cluster.deleteCustomObject(ISVC, 'ml', 'fraud', {
        resourceVersion: '41',
      }),
    ).rejects.toThrow(ConflictError);
  });
});
