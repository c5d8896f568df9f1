/**
 * ModelDeployer with a fake MLflow and cluster: what it asks of each, in which order, and what
 * it does when they fail. The real thing is in ModelDeployer.integration.test.ts.
 */
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { MlflowModelVersion } from '@mlstack/plugin-mlops-common';
import type { KubernetesCluster } from '../../kubernetes/KubernetesCluster';
import { PlainObject, cloneJson, objectAt } from '../../kubernetes/objects';
import type { MlflowClient } from '../../mlflow/MlflowClient';
import { DeployInput, ModelDeployer, servingTagKey } from './ModelDeployer';
import { planPromote, planRollback } from './rolloutPlan';
import {
  MLSERVER,
  SKLEARN_SERVER,
  createdService,
  record,
  serviceWithCanary,
  stored,
} from './__testUtils__/inferenceServices';

const MLMODEL = 'flavors:\n  python_function: {}\n  sklearn: {}\n';
const NOW = new Date('2026-11-28T10:00:00.000Z');
const KEY = servingTagKey('prod', 'ml', 'fraud');

function version(
  number: string,
  overrides: Partial<MlflowModelVersion> = {},
): MlflowModelVersion {
  return {
    name: 'fraud',
    version: number,
    status: 'READY',
    runId: `run-${number}`,
    modelId: `m-${number}`,
    aliases: [],
    tags: {},
    uiUrl: '',
    ...overrides,
  };
}

function fakeMlflow() {
  return {
    name: 'default',
    artifactsDestination: 's3://mlflow-artifacts',
    getModelVersion: jest.fn(async (_name: string, v: string) => version(v)),
    getModelVersionByAlias: jest.fn(async () => version('2')),
    getModelVersionDownloadUri: jest.fn(
      async (_name: string, v: string) =>
        `mlflow-artifacts:/3/models/m-${v}/artifacts`,
    ),
    getLoggedModel: jest.fn(async (modelId: string) => ({
      modelId,
      experimentId: '3',
      sourceRunId: 'run-7',
      artifactUri: `mlflow-artifacts:/3/models/${modelId}/artifacts`,
    })),
    readArtifactText: jest.fn(async () => MLMODEL),
    setModelVersionTag: jest.fn(async () => undefined),
    deleteModelVersionTag: jest.fn(async () => undefined),
  };
}

function fakeCluster(current?: PlainObject) {
  let object = current;
  const answer = (body: object) =>
    stored(cloneJson(body as PlainObject)) as unknown;
  return {
    name: 'prod',
    getCustomObject: jest.fn(async () => {
      if (!object) throw new NotFoundError('gone');
      return object;
    }),
    // As the API server: a dry run answers with the object it would store, and stores nothing.
    createCustomObject: jest.fn(
      async (_t, _ns, body: object, options?: { dryRun?: boolean }) => {
        const written = answer(body) as PlainObject;
        if (!options?.dryRun) object = written;
        return written;
      },
    ),
    replaceCustomObject: jest.fn(
      async (_t, _ns, _n, body: object, options?: { dryRun?: boolean }) => {
        const written = answer(body) as PlainObject;
        if (!options?.dryRun) object = written;
        return written;
      },
    ),
    deleteCustomObject: jest.fn(async () => ({ kind: 'Status' })),
  };
}

function deployerWith(
  mlflow = fakeMlflow(),
  cluster = fakeCluster(),
): ModelDeployer {
  return new ModelDeployer({
    mlflow: mlflow as unknown as MlflowClient,
    cluster: cluster as unknown as KubernetesCluster,
    now: () => NOW,
  });
}

const allowAll = async () => undefined;

describe('ModelDeployer.resolveModel', () => {
  it('answers with the origin check’s refusal, whatever the reads found (nothing leaks)', async () => {
    const mlflow = fakeMlflow();
    mlflow.getModelVersion.mockRejectedValue(new NotFoundError('no version 9'));
    mlflow.getModelVersionDownloadUri.mockRejectedValue(
      new NotFoundError('no version 9'),
    );
    const refusal = new Error('not in your scope');
    const checkOrigin = jest.fn(async () => {
      throw refusal;
    });
    await expect(
      deployerWith(mlflow).resolveModel(
        { type: 'modelVersion', modelName: 'secret', version: '9' },
        { checkOrigin },
      ),
    ).rejects.toBe(refusal);
    expect(checkOrigin).toHaveBeenCalledWith({ modelName: 'secret' });
    expect(mlflow.readArtifactText).not.toHaveBeenCalled();
  });

  it('resolves an alias and reads the MLmodel file under the download URI', async () => {
    const mlflow = fakeMlflow();
    await expect(
      deployerWith(mlflow).resolveModel(
        { type: 'modelAlias', modelName: 'fraud', alias: 'champion' },
        { actor: 'user:default/jane', checkOrigin: allowAll },
      ),
    ).resolves.toEqual({
      instance: 'default',
      modelName: 'fraud',
      version: '2',
      modelId: 'm-2',
      runId: 'run-2',
      storageUri: 's3://mlflow-artifacts/3/models/m-2/artifacts',
      flavors: ['python_function', 'sklearn'],
      runtime: SKLEARN_SERVER,
      deployedBy: 'user:default/jane',
      deployedAt: NOW.toISOString(),
    });
    expect(mlflow.getModelVersionByAlias).toHaveBeenCalledWith(
      'fraud',
      'champion',
    );
    expect(mlflow.getModelVersionDownloadUri).toHaveBeenCalledWith(
      'fraud',
      '2',
    );
    expect(mlflow.readArtifactText).toHaveBeenCalledWith(
      'mlflow-artifacts:/3/models/m-2/artifacts',
      'MLmodel',
    );
  });

  it('refuses a version that is not READY', async () => {
    const mlflow = fakeMlflow();
    mlflow.getModelVersion.mockResolvedValue(
      version('3', { status: 'PENDING_REGISTRATION' }),
    );
    await expect(
      deployerWith(mlflow).resolveModel(
        { type: 'modelVersion', modelName: 'fraud', version: '3' },
        { checkOrigin: allowAll },
      ),
    ).rejects.toThrow(
      new ConflictError(
        'Version 3 of fraud is PENDING_REGISTRATION, not READY',
      ),
    );
  });

  it('does not read files outside the artifact proxy, so a runtime must be named', async () => {
    const mlflow = fakeMlflow();
    // stored by MLflow under its destination, but not served through the proxy
    mlflow.getModelVersionDownloadUri.mockResolvedValue(
      's3://mlflow-artifacts/3/models/m-1/artifacts',
    );
    const deployer = deployerWith(mlflow);
    const source = {
      type: 'modelVersion',
      modelName: 'fraud',
      version: '1',
    } as const;
    const unnamed = deployer.resolveModel(source, { checkOrigin: allowAll });
    await expect(unnamed).rejects.toThrow(InputError);
    await expect(unnamed).rejects.toThrow(/choose a runtime/);
    await expect(
      deployer.resolveModel(source, {
        runtime: 'kserve-mlserver',
        checkOrigin: allowAll,
      }),
    ).resolves.toMatchObject({
      storageUri: 's3://mlflow-artifacts/3/models/m-1/artifacts',
      flavors: [],
      runtime: MLSERVER,
    });
    expect(mlflow.readArtifactText).not.toHaveBeenCalled();
  });

  it('refuses files outside what MLflow stores, even with a runtime named, reading nothing', async () => {
    const mlflow = fakeMlflow();
    mlflow.getModelVersionDownloadUri.mockResolvedValue(
      's3://risk-team-bucket/fraud/1',
    );
    const checkOrigin = jest.fn(async () => undefined);
    await expect(
      deployerWith(mlflow).resolveModel(
        { type: 'modelVersion', modelName: 'fraud', version: '1' },
        { runtime: 'kserve-mlserver', checkOrigin },
      ),
    ).rejects.toThrow(
      new InputError(
        "the model's files are at 's3://risk-team-bucket/fraud/1', outside the artifacts MLflow instance 'default' stores (s3://mlflow-artifacts); the portal deploys only models MLflow stored (log the model to the tracking server)",
      ),
    );
    expect(checkOrigin).toHaveBeenCalledTimes(1);
    expect(mlflow.readArtifactText).not.toHaveBeenCalled();
  });

  it('resolves a logged model after checking its experiment, and refuses one without files', async () => {
    const mlflow = fakeMlflow();
    const checkOrigin = jest.fn(async () => undefined);
    await expect(
      deployerWith(mlflow).resolveModel(
        { type: 'loggedModel', modelId: 'm-7' },
        { checkOrigin },
      ),
    ).resolves.toEqual({
      instance: 'default',
      modelId: 'm-7',
      runId: 'run-7',
      storageUri: 's3://mlflow-artifacts/3/models/m-7/artifacts',
      flavors: ['python_function', 'sklearn'],
      runtime: SKLEARN_SERVER,
      deployedAt: NOW.toISOString(),
    });
    expect(checkOrigin).toHaveBeenCalledWith({ experimentId: '3' });

    mlflow.getLoggedModel.mockResolvedValue({
      modelId: 'm-8',
      experimentId: '3',
      sourceRunId: 'run-8',
      artifactUri: undefined as unknown as string,
    });
    await expect(
      deployerWith(mlflow).resolveModel(
        { type: 'loggedModel', modelId: 'm-8' },
        { checkOrigin: allowAll },
      ),
    ).rejects.toThrow(
      new NotFoundError('Logged model m-8 has no artifact location'),
    );
  });
});

describe('ModelDeployer.retag', () => {
  const stableValue = (percent: number, mode = 'Standard') =>
    JSON.stringify({ role: 'stable', trafficPercent: percent, mode });

  it('tags the versions a service serves with their role and share', async () => {
    const mlflow = fakeMlflow();
    const tags = await deployerWith(mlflow).retag(
      'prod',
      'ml',
      'fraud',
      createdService('1'),
      serviceWithCanary('Standard', 20),
    );
    expect(tags).toEqual({
      written: expect.arrayContaining(['fraud v1', 'fraud v2']),
      removed: [],
      failed: [],
    });
    expect(mlflow.setModelVersionTag).toHaveBeenCalledWith(
      'fraud',
      '1',
      KEY,
      stableValue(80),
    );
    expect(mlflow.setModelVersionTag).toHaveBeenCalledWith(
      'fraud',
      '2',
      KEY,
      JSON.stringify({ role: 'canary', trafficPercent: 20, mode: 'Standard' }),
    );
    expect(mlflow.deleteModelVersionTag).not.toHaveBeenCalled();
  });

  it('removes the tags of versions that no longer serve, a Knative canary at 0 % included', async () => {
    const mlflow = fakeMlflow();
    const before = serviceWithCanary('Knative', 30);
    const after = stored(planRollback(before).manifest);
    const tags = await deployerWith(mlflow).retag(
      'prod',
      'ml',
      'fraud',
      before,
      after,
    );
    expect(tags).toEqual({
      written: ['fraud v1'],
      removed: ['fraud v2'],
      failed: [],
    });
    expect(mlflow.setModelVersionTag).toHaveBeenCalledWith(
      'fraud',
      '1',
      KEY,
      stableValue(100, 'Knative'),
    );
    expect(mlflow.deleteModelVersionTag).toHaveBeenCalledWith(
      'fraud',
      '2',
      KEY,
    );

    const deleted = fakeMlflow();
    await expect(
      deployerWith(deleted).retag('prod', 'ml', 'fraud', before, undefined),
    ).resolves.toEqual({
      written: [],
      removed: expect.arrayContaining(['fraud v1', 'fraud v2']),
      failed: [],
    });
  });

  it('leaves alone models of another MLflow instance and logged models without a version', async () => {
    const mlflow = fakeMlflow();
    const other = createdService('1', 'Standard', {
      record: record('1', { instance: 'other' }),
    });
    const logged = createdService('1', 'Standard', {
      record: record('1', { modelName: undefined, version: undefined }),
    });
    const deployer = deployerWith(mlflow);
    await expect(
      deployer.retag('prod', 'ml', 'fraud', undefined, other),
    ).resolves.toEqual({ written: [], removed: [], failed: [] });
    await expect(
      deployer.retag('prod', 'ml', 'fraud', other, logged),
    ).resolves.toEqual({ written: [], removed: [], failed: [] });
    expect(mlflow.setModelVersionTag).not.toHaveBeenCalled();
    expect(mlflow.deleteModelVersionTag).not.toHaveBeenCalled();
  });

  it('reports MLflow failures instead of throwing them', async () => {
    const mlflow = fakeMlflow();
    mlflow.setModelVersionTag.mockRejectedValue(
      new ServiceUnavailableError('down'),
    );
    mlflow.deleteModelVersionTag.mockRejectedValue(
      new ServiceUnavailableError('down'),
    );
    await expect(
      deployerWith(mlflow).retag(
        'prod',
        'ml',
        'fraud',
        serviceWithCanary('Standard'),
        createdService('3'),
      ),
    ).resolves.toEqual({
      written: [],
      removed: [],
      failed: expect.arrayContaining(['fraud v1', 'fraud v2', 'fraud v3']),
    });
  });
});

describe('ModelDeployer writes', () => {
  const input = (overrides: Partial<DeployInput> = {}): DeployInput => ({
    source: { type: 'modelVersion', modelName: 'fraud', version: '1' },
    namespace: 'ml',
    serviceName: 'fraud',
    mode: 'Standard',
    canaryTrafficPercent: 0,
    entityRef: 'component:default/fraud-detector',
    labels: {},
    ...overrides,
  });
  const model = {
    ...record('1'),
    flavors: ['sklearn'],
    runtime: SKLEARN_SERVER,
  };

  it('creates a new service with a POST as mlstack-portal, and writes nothing else', async () => {
    const cluster = fakeCluster();
    const outcome = await deployerWith(fakeMlflow(), cluster).deploy(input(), {
      dryRun: false,
      model,
    });
    expect(outcome.plan.action).toBe('create');
    expect(cluster.createCustomObject).toHaveBeenCalledTimes(1);
    expect(cluster.createCustomObject).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'InferenceService' }),
      'ml',
      outcome.plan.manifest,
      { fieldManager: 'mlstack-portal', dryRun: false },
    );
    expect(cluster.replaceCustomObject).not.toHaveBeenCalled();
    expect(outcome.after).toBe(
      await cluster.createCustomObject.mock.results[0].value,
    );

    const dry = fakeCluster();
    await deployerWith(fakeMlflow(), dry).deploy(input(), {
      dryRun: true,
      model,
    });
    expect(dry.createCustomObject).toHaveBeenCalledWith(
      expect.anything(),
      'ml',
      expect.anything(),
      { fieldManager: 'mlstack-portal', dryRun: true },
    );
    expect(dry.replaceCustomObject).not.toHaveBeenCalled();
  });

  it('writes a change with a PUT of the whole computed object, carrying the resourceVersion it was computed from', async () => {
    const existing = createdService('1');
    const rv = objectAt(existing.metadata).resourceVersion;
    const cluster = fakeCluster(existing);
    const model2 = {
      ...record('2'),
      flavors: ['sklearn'],
      runtime: SKLEARN_SERVER,
    };
    for (const dryRun of [true, false]) {
      const outcome = await deployerWith(fakeMlflow(), cluster).deploy(
        input({
          canaryTrafficPercent: 10,
          expectedResourceVersion: rv as string,
        }),
        { dryRun, model: model2 },
      );
      expect(outcome.plan.action).toBe('canary');
      expect(cluster.replaceCustomObject).toHaveBeenLastCalledWith(
        expect.objectContaining({ kind: 'InferenceService' }),
        'ml',
        'fraud',
        outcome.plan.manifest,
        { fieldManager: 'mlstack-portal', dryRun },
      );
    }
    expect(cluster.createCustomObject).not.toHaveBeenCalled();
    // the whole object, not a patch: metadata (with the resourceVersion read) and the full spec
    const body = cluster.replaceCustomObject.mock.calls[1][3] as PlainObject;
    expect(body).toMatchObject({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'fraud',
        namespace: 'ml',
        resourceVersion: rv,
        labels: objectAt(existing.metadata).labels,
      },
    });
    expect(objectAt(body.spec).predictor).toEqual(
      objectAt(existing.spec).predictor,
    );
    expect(objectAt(body.spec).canary).toEqual([
      expect.objectContaining({ trafficPercent: 10 }),
    ]);
    expect(objectAt(body.metadata)).not.toHaveProperty('managedFields');
  });

  it('writes a promote with a PUT of the object the plan computed, which has no canary left', async () => {
    const existing = serviceWithCanary('Standard');
    const cluster = fakeCluster(existing);
    const outcome = await deployerWith(fakeMlflow(), cluster).rollout(
      'prod',
      'ml',
      'fraud',
      'promote',
      objectAt(existing.metadata).resourceVersion as string,
    );
    const planned = planPromote(existing).manifest;
    expect(cluster.replaceCustomObject).toHaveBeenCalledTimes(1);
    expect(cluster.replaceCustomObject).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'InferenceService' }),
      'ml',
      'fraud',
      planned,
      { fieldManager: 'mlstack-portal', dryRun: false },
    );
    expect(objectAt(planned.spec)).not.toHaveProperty('canary');
    expect(objectAt(planned.metadata).resourceVersion).toBe(
      objectAt(existing.metadata).resourceVersion,
    );
    expect(outcome.result.summary?.canaries).toEqual([]);
  });

  it('checks the expected resourceVersion before planning anything', async () => {
    const existing = createdService('1');
    const rv = objectAt(existing.metadata).resourceVersion as string;
    const cluster = fakeCluster(existing);
    const deployer = deployerWith(fakeMlflow(), cluster);
    await expect(
      deployer.deploy(input({ expectedResourceVersion: null }), {
        dryRun: false,
        model,
      }),
    ).rejects.toThrow(/was created by someone else meanwhile/);
    await expect(
      deployer.deploy(input({ expectedResourceVersion: '1' }), {
        dryRun: false,
        model,
      }),
    ).rejects.toThrow(
      `InferenceService 'fraud' changed since you read it (resourceVersion 1); its fields are held by mlstack-portal (Update at 2026-11-28T10:00:00Z); last deployed from the portal by user:default/jane; now at resourceVersion ${rv}. Reload and try again`,
    );
    await expect(
      deployerWith(fakeMlflow(), fakeCluster()).deploy(
        input({ expectedResourceVersion: rv }),
        { dryRun: false, model },
      ),
    ).rejects.toThrow(
      "InferenceService 'fraud' was deleted since you read it; nothing was applied. Reload and try again",
    );
    expect(cluster.replaceCustomObject).not.toHaveBeenCalled();
    expect(cluster.createCustomObject).not.toHaveBeenCalled();
  });

  it('refuses a rollout or delete of a service that is gone or moved, writing nothing', async () => {
    const existing = serviceWithCanary('Standard');
    const cluster = fakeCluster(existing);
    const mlflow = fakeMlflow();
    const deployer = deployerWith(mlflow, cluster);
    await expect(
      deployer.rollout('prod', 'ml', 'fraud', 'promote', '1'),
    ).rejects.toThrow(ConflictError);
    await expect(deployer.remove('prod', 'ml', 'fraud', '1')).rejects.toThrow(
      ConflictError,
    );
    await expect(
      deployerWith(mlflow, fakeCluster()).rollout(
        'prod',
        'ml',
        'fraud',
        'stop',
        undefined,
      ),
    ).rejects.toThrow(
      new NotFoundError("InferenceService 'fraud' does not exist in 'ml'"),
    );
    expect(cluster.replaceCustomObject).not.toHaveBeenCalled();
    expect(cluster.deleteCustomObject).not.toHaveBeenCalled();
    expect(mlflow.setModelVersionTag).not.toHaveBeenCalled();
  });

  it('deletes only the version it read, and removes the tags', async () => {
    const existing = serviceWithCanary('Standard');
    const rv = objectAt(existing.metadata).resourceVersion;
    const cluster = fakeCluster(existing);
    const mlflow = fakeMlflow();
    const outcome = await deployerWith(mlflow, cluster).remove(
      'prod',
      'ml',
      'fraud',
      undefined,
    );
    expect(cluster.deleteCustomObject).toHaveBeenCalledWith(
      expect.anything(),
      'ml',
      'fraud',
      { resourceVersion: rv },
    );
    expect(outcome.result.mlflowTags.removed.sort()).toEqual([
      'fraud v1',
      'fraud v2',
    ]);
    expect(outcome.before).toBe(existing);
  });

  it('says who holds the object when the API server refuses a write as a conflict', async () => {
    const existing = createdService('1');
    const cluster = fakeCluster(existing);
    cluster.replaceCustomObject.mockRejectedValue(
      new ConflictError('HTTP 409: the object has been modified'),
    );
    const error = await deployerWith(fakeMlflow(), cluster)
      .rollout('prod', 'ml', 'fraud', 'stop', undefined)
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(
      /^InferenceService 'fraud' was changed by someone else meanwhile and nothing was applied: its fields are held by mlstack-portal \(Update at 2026-11-28T10:00:00Z\); last deployed from the portal by user:default\/jane; now at resourceVersion \d+\. Reload and try again/,
    );
    expect(error.cause.message).toBe('HTTP 409: the object has been modified');

    cluster.replaceCustomObject.mockRejectedValue(new InputError('bad field'));
    await expect(
      deployerWith(fakeMlflow(), cluster).rollout(
        'prod',
        'ml',
        'fraud',
        'stop',
        undefined,
      ),
    ).rejects.toThrow(new InputError('bad field'));
  });
});
