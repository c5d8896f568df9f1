/**
 * KubernetesCluster's writes against the harness kube-apiserver (KServe v0.20 CRDs, no
 * controllers): create with a field manager, strict validation and dry run; replace (PUT)
 * with a field manager, the resourceVersion it was computed from, strict validation and dry
 * run; server-side apply with resourceVersion preconditions, field ownership and force;
 * delete with a resourceVersion precondition and dry run.
 */
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { requireHarnessService } from '@internal/harness';
import fs from 'node:fs';
import { KSERVE_INFERENCE_SERVICE_RESOURCE as ISVC } from './customResources';
import { KubernetesClusters } from './KubernetesClusters';
import {
  PlainObject,
  arrayAt,
  isPlainObject,
  objectAt,
  readMetadata,
} from './objects';

const kube = requireHarnessService('kube');
const stamp = `${Date.now().toString(36)}${Math.random()
  .toString(36)
  .slice(2, 6)}`;
const namespace = `mlops-writes-it-${stamp}`;

const cluster = KubernetesClusters.fromConfig(
  new ConfigReader({
    mlops: {
      kubernetes: {
        clusters: [
          {
            name: 'harness',
            url: kube.server,
            serviceAccountToken: kube.adminToken,
            caData: fs.readFileSync(kube.caFile, 'utf8'),
          },
        ],
      },
    },
  }),
  { env: {} },
).get('harness');

function isvc(name: string, predictor: PlainObject = {}): PlainObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'sklearn' },
          storageUri: 's3://mlflow-artifacts/3/models/m-1/artifacts',
        },
        ...predictor,
      },
    },
  };
}

const read = async (name: string) =>
  objectAt(await cluster.getCustomObject(ISVC, namespace, name));
const predictorOf = (object: unknown) =>
  objectAt(objectAt(objectAt(object).spec).predictor);
const managersOf = (object: unknown) =>
  arrayAt(objectAt(objectAt(object).metadata).managedFields)
    .filter(isPlainObject)
    .map(entry => `${entry.manager}/${entry.operation}`)
    .sort();
const rvOf = (object: unknown) => readMetadata(object).resourceVersion;
/** What a call that must fail threw. */
async function failureOf(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  await cluster
    .coreApi()
    .createNamespace({ body: { metadata: { name: namespace } } });
});

afterAll(async () => {
  await cluster
    .coreApi()
    .deleteNamespace({ name: namespace })
    .catch(() => undefined); // no namespace controller: it stays Terminating; fine here
});

describe('KubernetesCluster.createCustomObject against the harness', () => {
  it('dry-runs a create: the server answers with the object and stores nothing', async () => {
    const answer = await cluster.createCustomObject(
      ISVC,
      namespace,
      isvc('dry'),
      { fieldManager: 'mlstack-portal', dryRun: true },
    );
    expect(readMetadata(answer)).toMatchObject({ name: 'dry', namespace });
    expect(managersOf(answer)).toEqual(['mlstack-portal/Update']);
    await expect(
      cluster.getCustomObject(ISVC, namespace, 'dry'),
    ).rejects.toThrow(NotFoundError);
  });

  it('records the field manager, and refuses a field the schema does not know only when one is named', async () => {
    const created = await cluster.createCustomObject(
      ISVC,
      namespace,
      isvc('created'),
      { fieldManager: 'mlstack-portal' },
    );
    expect(managersOf(created)).toEqual(['mlstack-portal/Update']);
    expect(predictorOf(await read('created'))).toEqual(predictorOf(created));

    const strict = await failureOf(
      cluster.createCustomObject(
        ISVC,
        namespace,
        isvc('strict', { replicasPlease: 3 }),
        { fieldManager: 'mlstack-portal' },
      ),
    );
    expect(strict).toBeInstanceOf(InputError);
    expect(strict.message).toContain('replicasPlease');
    await expect(
      cluster.getCustomObject(ISVC, namespace, 'strict'),
    ).rejects.toThrow(NotFoundError);

    // without a field manager, the API server prunes the field and stores the rest
    const lax = await cluster.createCustomObject(
      ISVC,
      namespace,
      isvc('lax', { replicasPlease: 3 }),
    );
    expect(predictorOf(lax)).not.toHaveProperty('replicasPlease');
  });

  it('refuses a second create of a name as a ConflictError', async () => {
    await cluster.createCustomObject(ISVC, namespace, isvc('twice'));
    const error = await failureOf(
      cluster.createCustomObject(ISVC, namespace, isvc('twice')),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      `Kubernetes cluster 'harness': create InferenceService in '${namespace}' failed (HTTP 409): inferenceservices.serving.kserve.io "twice" already exists`,
    );
  });
});

describe('KubernetesCluster.applyCustomObject against the harness', () => {
  it('creates and updates by server-side apply, and removes what its manager applied before and leaves out', async () => {
    const first = await cluster.applyCustomObject(
      ISVC,
      namespace,
      'applied',
      isvc('applied', { minReplicas: 2, canaryTrafficPercent: 10 }),
      { fieldManager: 'mlstack-portal' },
    );
    expect(managersOf(first)).toEqual(['mlstack-portal/Apply']);
    expect(predictorOf(first)).toMatchObject({
      minReplicas: 2,
      canaryTrafficPercent: 10,
    });
    const second = await cluster.applyCustomObject(
      ISVC,
      namespace,
      'applied',
      isvc('applied', { minReplicas: 2 }),
      { fieldManager: 'mlstack-portal' },
    );
    expect(predictorOf(second)).not.toHaveProperty('canaryTrafficPercent');
    expect(predictorOf(await read('applied'))).toEqual(predictorOf(second));
  });

  it('fails when the resourceVersion in the body is not the object’s', async () => {
    const current = await read('applied');
    const body = isvc('applied', { minReplicas: 3 });
    objectAt(body.metadata).resourceVersion = String(Number(rvOf(current)) - 1);
    const error = await failureOf(
      cluster.applyCustomObject(ISVC, namespace, 'applied', body, {
        fieldManager: 'mlstack-portal',
        force: true,
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('the object has been modified');
    expect(rvOf(await read('applied'))).toBe(rvOf(current));

    objectAt(body.metadata).resourceVersion = rvOf(current);
    const applied = await cluster.applyCustomObject(
      ISVC,
      namespace,
      'applied',
      body,
      { fieldManager: 'mlstack-portal', force: true },
    );
    expect(predictorOf(applied).minReplicas).toBe(3);
  });

  it('takes over a field another manager holds only with force', async () => {
    await cluster.applyCustomObject(
      ISVC,
      namespace,
      'applied',
      isvc('applied', { minReplicas: 1, maxReplicas: 4 }),
      { fieldManager: 'someone-else', force: true },
    );
    const body = isvc('applied', { minReplicas: 3, maxReplicas: 2 });
    const refused = await failureOf(
      cluster.applyCustomObject(ISVC, namespace, 'applied', body, {
        fieldManager: 'mlstack-portal',
      }),
    );
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.message).toContain('conflict');
    expect(refused.message).toContain('with "someone-else"');
    expect(refused.message).toContain('.spec.predictor.maxReplicas');
    expect(predictorOf(await read('applied'))).toMatchObject({
      minReplicas: 1,
      maxReplicas: 4,
    });

    const forced = await cluster.applyCustomObject(
      ISVC,
      namespace,
      'applied',
      body,
      { fieldManager: 'mlstack-portal', force: true },
    );
    expect(predictorOf(forced)).toMatchObject({
      minReplicas: 3,
      maxReplicas: 2,
    });
    expect(managersOf(forced)).toEqual([
      'mlstack-portal/Apply',
      'someone-else/Apply',
    ]);
  });

  it('dry-runs an apply: the answer shows the change, the object keeps its state', async () => {
    const before = await read('applied');
    const answer = await cluster.applyCustomObject(
      ISVC,
      namespace,
      'applied',
      isvc('applied', { minReplicas: 3, maxReplicas: 9 }),
      { fieldManager: 'mlstack-portal', force: true, dryRun: true },
    );
    expect(predictorOf(answer).maxReplicas).toBe(9);
    const after = await read('applied');
    expect(rvOf(after)).toBe(rvOf(before));
    expect(predictorOf(after).maxReplicas).toBe(2);
  });

  it('refuses a field the schema does not declare as bad input (the API server answers 500)', async () => {
    const error = await failureOf(
      cluster.applyCustomObject(
        ISVC,
        namespace,
        'applied',
        isvc('applied', { replicasPlease: 3 }),
        { fieldManager: 'mlstack-portal', force: true },
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /failed \(HTTP 500\): failed to create typed patch object .*\.spec\.predictor\.replicasPlease: field not declared in schema/,
    );
  });
});

describe('KubernetesCluster.replaceCustomObject against the harness', () => {
  /** The object as read, with `predictor` as its predictor: the body of a PUT. */
  const changed = (current: PlainObject, predictor: PlainObject) => ({
    ...isvc(readMetadata(current).name!, predictor),
    metadata: {
      ...objectAt(isvc(readMetadata(current).name!).metadata),
      resourceVersion: rvOf(current),
    },
  });

  it('makes the object the body: a field another manager holds goes too, and the change is the manager’s Update', async () => {
    // created by someone else (kubectl, a pipeline), with a Knative canary share
    await cluster.createCustomObject(
      ISVC,
      namespace,
      isvc('replaced', { minReplicas: 2, canaryTrafficPercent: 20 }),
      { fieldManager: 'someone-else' },
    );
    const current = await read('replaced');
    const replaced = await cluster.replaceCustomObject(
      ISVC,
      namespace,
      'replaced',
      changed(current, { minReplicas: 3 }),
      { fieldManager: 'mlstack-portal' },
    );
    expect(predictorOf(replaced)).not.toHaveProperty('canaryTrafficPercent');
    expect(predictorOf(replaced).minReplicas).toBe(3);
    expect(predictorOf(await read('replaced'))).toEqual(predictorOf(replaced));
    // the portal holds what it changed (minReplicas); what it left as it was stays the other's
    expect(managersOf(replaced)).toEqual([
      'mlstack-portal/Update',
      'someone-else/Update',
    ]);
  });

  it('fails when the resourceVersion in the body is not the object’s, and dry-runs when asked', async () => {
    const current = await read('replaced');
    const stale = {
      ...changed(current, { minReplicas: 4 }),
      metadata: {
        ...objectAt(isvc('replaced').metadata),
        resourceVersion: String(Number(rvOf(current)) - 1),
      },
    };
    const error = await failureOf(
      cluster.replaceCustomObject(ISVC, namespace, 'replaced', stale, {
        fieldManager: 'mlstack-portal',
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('the object has been modified');

    const answer = await cluster.replaceCustomObject(
      ISVC,
      namespace,
      'replaced',
      changed(current, { minReplicas: 4 }),
      { fieldManager: 'mlstack-portal', dryRun: true },
    );
    expect(predictorOf(answer).minReplicas).toBe(4);
    const after = await read('replaced');
    expect(rvOf(after)).toBe(rvOf(current));
    expect(predictorOf(after).minReplicas).toBe(3);
  });

  it('refuses a field the schema does not declare when a field manager is named', async () => {
    const current = await read('replaced');
    const error = await failureOf(
      cluster.replaceCustomObject(
        ISVC,
        namespace,
        'replaced',
        changed(current, { replicasPlease: 3 }),
        { fieldManager: 'mlstack-portal' },
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('replicasPlease');
    expect(rvOf(await read('replaced'))).toBe(rvOf(current));
  });
});

describe('KubernetesCluster.deleteCustomObject against the harness', () => {
  it('dry-runs, refuses a stale resourceVersion, then deletes the version it names', async () => {
    const created = await cluster.createCustomObject(
      ISVC,
      namespace,
      isvc('doomed'),
    );
    await cluster.deleteCustomObject(ISVC, namespace, 'doomed', {
      dryRun: true,
    });
    const stillThere = await read('doomed');
    expect(rvOf(stillThere)).toBe(rvOf(created));
    expect(objectAt(stillThere.metadata).deletionTimestamp).toBeUndefined();

    const stale = await failureOf(
      cluster.deleteCustomObject(ISVC, namespace, 'doomed', {
        resourceVersion: String(Number(rvOf(created)) - 1),
      }),
    );
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale.message).toContain(
      `the ResourceVersion in the precondition (${
        Number(rvOf(created)) - 1
      }) does not match`,
    );

    await cluster.deleteCustomObject(ISVC, namespace, 'doomed', {
      resourceVersion: rvOf(created),
    });
    // Background deletion: the object goes at once (its dependents follow, by the collector).
    await expect(
      cluster.getCustomObject(ISVC, namespace, 'doomed'),
    ).rejects.toThrow(NotFoundError);

    await expect(
      cluster.deleteCustomObject(ISVC, namespace, 'never-was'),
    ).rejects.toThrow(NotFoundError);
  });
});
