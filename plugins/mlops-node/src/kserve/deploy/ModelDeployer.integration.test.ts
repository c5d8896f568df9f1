/**
 * ModelDeployer against the harness: the real MLflow (seeded by scripts/harness/seed_mlflow.py,
 * artifacts behind its proxy on the harness's S3, `--artifacts-destination
 * s3://mlflow-artifacts/`) and the real kube-apiserver with the KServe v0.20 CRDs (strict field
 * validation, server-side apply). There is no KServe controller or webhook: objects never get
 * a status, so Knative traffic is never split and nothing is ever Ready; what is checked is
 * what is stored and what MLflow is told.
 */
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  type MlflowSeedSummary,
  requireHarnessService,
  seedMlflow,
} from '@internal/harness';
import {
  CANARY_MODEL_ANNOTATION,
  DEPLOYED_FOR_ANNOTATION,
  DeployMode,
  DeploySource,
  ResolvedModel,
  SERVED_MODEL_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import fs from 'node:fs';
import { KSERVE_INFERENCE_SERVICE_RESOURCE as ISVC } from '../../kubernetes/customResources';
import type { KubernetesCluster } from '../../kubernetes/KubernetesCluster';
import { KubernetesClusters } from '../../kubernetes/KubernetesClusters';
import {
  PlainObject,
  arrayAt,
  isPlainObject,
  objectAt,
  readMetadata,
} from '../../kubernetes/objects';
import { MlflowClient } from '../../mlflow/MlflowClient';
import { parseInferenceService } from '../parseInferenceService';
import { DeployInput, ModelDeployer, servingTagKey } from './ModelDeployer';
import { DEPLOY_RUNTIMES } from './runtimes';

jest.setTimeout(120_000);

const kube = requireHarnessService('kube');
const { url: mlflowUrl } = requireHarnessService('mlflow');

const stamp = `${Date.now().toString(36)}${Math.random()
  .toString(36)
  .slice(2, 6)}`;
const PREFIX = `it-deploy-${stamp}-`;
const NAMESPACE = `mlops-deploy-it-${stamp}`;
const CLUSTER = 'harness';
const ACTOR = 'user:default/jane';
const ENTITY_REF = 'component:default/fraud-detector';
const LABELS = { 'backstage.io/kubernetes-id': 'fraud-detector' };
const NOW = new Date('2026-11-28T10:00:00.000Z');

const [SKLEARN_SERVER, MLSERVER] = DEPLOY_RUNTIMES;

const cluster = KubernetesClusters.fromConfig(
  new ConfigReader({
    mlops: {
      kubernetes: {
        clusters: [
          {
            name: CLUSTER,
            url: kube.server,
            serviceAccountToken: kube.adminToken,
            caData: fs.readFileSync(kube.caFile, 'utf8'),
          },
        ],
      },
    },
  }),
  { env: {} },
).get(CLUSTER);

const mlflow = new MlflowClient({
  name: 'harness',
  baseUrl: mlflowUrl,
  artifactsDestination: 's3://mlflow-artifacts',
});

const deployer = new ModelDeployer({ mlflow, cluster, now: () => NOW });

const allowAll = async () => undefined;

let seed: MlflowSeedSummary;
const modelName = () => seed.registeredModel.name;
const versionInfo = (version: string) =>
  seed.registeredModel.versions.find(v => v.version === version)!;
const storageUriOf = (modelId: string) =>
  `s3://mlflow-artifacts/${seed.experiments.fraudDetector.id}/models/${modelId}/artifacts`;

const versionSource = (version: string): DeploySource => ({
  type: 'modelVersion',
  modelName: modelName(),
  version,
});

/** What ModelDeployer.resolveModel answers for version `version` of the seeded model. */
function resolvedVersion(version: string): ResolvedModel {
  const { runId, modelId } = versionInfo(version);
  return {
    instance: 'harness',
    modelName: modelName(),
    version,
    modelId,
    runId,
    storageUri: storageUriOf(modelId),
    flavors: ['python_function', 'sklearn'],
    runtime: SKLEARN_SERVER,
    deployedBy: ACTOR,
    deployedAt: NOW.toISOString(),
  };
}

/** The record the portal writes on the object for a resolved model. */
function recordOf(model: ResolvedModel) {
  const { flavors: _flavors, runtime: _runtime, ...record } = model;
  return record;
}

const resolved = new Map<string, ResolvedModel>();
async function resolve(version: string): Promise<ResolvedModel> {
  if (!resolved.has(version)) {
    resolved.set(
      version,
      await deployer.resolveModel(versionSource(version), {
        actor: ACTOR,
        checkOrigin: allowAll,
      }),
    );
  }
  return resolved.get(version)!;
}

function deployInput(
  service: string,
  version: string,
  mode: DeployMode,
  canaryTrafficPercent: number,
  extra: Partial<DeployInput> = {},
): DeployInput {
  return {
    source: versionSource(version),
    namespace: NAMESPACE,
    serviceName: service,
    mode,
    canaryTrafficPercent,
    entityRef: ENTITY_REF,
    labels: LABELS,
    actor: ACTOR,
    ...extra,
  };
}

/** A deploy as the backend makes it: apply, then make the serving tags match. */
async function deploy(
  service: string,
  version: string,
  mode: DeployMode,
  canaryTrafficPercent: number,
  extra: Partial<DeployInput> = {},
) {
  const outcome = await deployer.deploy(
    deployInput(service, version, mode, canaryTrafficPercent, extra),
    { dryRun: false, model: await resolve(version) },
  );
  const tags = await deployer.retag(
    CLUSTER,
    NAMESPACE,
    service,
    outcome.before,
    outcome.after,
  );
  return { ...outcome, tags };
}

async function read(service: string): Promise<PlainObject> {
  return objectAt(await cluster.getCustomObject(ISVC, NAMESPACE, service));
}

const specOf = (object: unknown) => objectAt(objectAt(object).spec);
const predictorOf = (object: unknown) => objectAt(specOf(object).predictor);
const annotationsOf = (object: unknown) => readMetadata(object).annotations;
const resourceVersionOf = (object: unknown) =>
  readMetadata(object).resourceVersion;
const managersOf = (object: unknown) =>
  arrayAt(objectAt(objectAt(object).metadata).managedFields)
    .filter(isPlainObject)
    .map(entry => `${entry.manager}/${entry.operation}`);

/** The serving tag of each seeded version for `service` (parsed), as MLflow has it now. */
async function servingTags(service: string) {
  const key = servingTagKey(CLUSTER, NAMESPACE, service);
  const tags: Record<string, unknown> = {};
  for (const { version } of seed.registeredModel.versions) {
    const value = (await mlflow.getModelVersion(modelName(), version)).tags[
      key
    ];
    tags[version] = value === undefined ? undefined : JSON.parse(value);
  }
  return tags;
}

const label = (version: string) => `${modelName()} v${version}`;

beforeAll(async () => {
  seed = await seedMlflow(mlflowUrl, PREFIX);
  await cluster
    .coreApi()
    .createNamespace({ body: { metadata: { name: NAMESPACE } } });
}, 300_000);

afterAll(async () => {
  await cluster
    .coreApi()
    .deleteNamespace({ name: NAMESPACE })
    .catch(() => undefined); // no namespace controller: it stays Terminating; fine here
});

describe('ModelDeployer.resolveModel against the harness MLflow', () => {
  it('resolves a version to its files on S3, its flavors and the scikit-learn server, after the origin check', async () => {
    const checkOrigin = jest.fn(async () => undefined);
    await expect(
      deployer.resolveModel(versionSource('1'), { actor: ACTOR, checkOrigin }),
    ).resolves.toEqual(resolvedVersion('1'));
    expect(checkOrigin).toHaveBeenCalledTimes(1);
    expect(checkOrigin).toHaveBeenCalledWith({ modelName: modelName() });
  });

  it('resolves an alias to the version it points at', async () => {
    const { champion } = seed.registeredModel.aliases;
    expect(champion).toBe('2');
    await expect(
      deployer.resolveModel(
        { type: 'modelAlias', modelName: modelName(), alias: 'champion' },
        { actor: ACTOR, checkOrigin: allowAll },
      ),
    ).resolves.toEqual(resolvedVersion(champion));
  });

  it('resolves a logged model, checking its experiment', async () => {
    const logged = seed.loggedModels[0];
    const checkOrigin = jest.fn(async () => undefined);
    const model = await deployer.resolveModel(
      { type: 'loggedModel', modelId: logged.modelId },
      { checkOrigin },
    );
    expect(checkOrigin).toHaveBeenCalledWith({
      experimentId: seed.experiments.fraudDetector.id,
    });
    expect(model).toEqual({
      instance: 'harness',
      modelId: logged.modelId,
      runId: logged.sourceRunId,
      storageUri: storageUriOf(logged.modelId),
      flavors: ['python_function', 'sklearn'],
      runtime: SKLEARN_SERVER,
      deployedAt: NOW.toISOString(),
    });
    // the storage URI is where MLflow's artifact proxy keeps the MLmodel file it just read
    const { modelId } = logged;
    await expect(
      mlflow.readArtifactText(
        `mlflow-artifacts:/${seed.experiments.fraudDetector.id}/models/${modelId}/artifacts`,
        'MLmodel',
      ),
    ).resolves.toContain(`model_id: ${modelId}`);
  });

  it('takes a runtime that serves one of the flavors, and refuses one that does not serve any', async () => {
    await expect(
      deployer.resolveModel(versionSource('1'), {
        runtime: 'kserve-mlserver',
        checkOrigin: allowAll,
      }),
    ).resolves.toMatchObject({ runtime: MLSERVER });
    await expect(
      deployer.resolveModel(versionSource('1'), {
        runtime: 'kserve-tritonserver',
        checkOrigin: allowAll,
      }),
    ).rejects.toThrow(InputError);
  });

  it('refuses what is not there, and what the origin check refuses', async () => {
    await expect(
      deployer.resolveModel(versionSource('99'), { checkOrigin: allowAll }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      deployer.resolveModel(
        { type: 'modelAlias', modelName: modelName(), alias: 'nope' },
        { checkOrigin: allowAll },
      ),
    ).rejects.toThrow(NotFoundError);
    await expect(
      deployer.resolveModel(
        { type: 'loggedModel', modelId: 'm-0000000000000000' },
        { checkOrigin: allowAll },
      ),
    ).rejects.toThrow(NotFoundError);
    const refusal = new Error('not yours');
    await expect(
      deployer.resolveModel(versionSource('1'), {
        checkOrigin: async () => {
          throw refusal;
        },
      }),
    ).rejects.toBe(refusal);
  });
});

describe('ModelDeployer against the harness kube-apiserver', () => {
  it('validates a dry run on the API server and stores nothing', async () => {
    const outcome = await deployer.deploy(
      deployInput('dry', '1', 'Standard', 0),
      { dryRun: true, model: await resolve('1') },
    );
    expect(outcome.plan.action).toBe('create');
    expect(outcome.before).toBeUndefined();
    expect(readMetadata(outcome.after)).toMatchObject({
      name: 'dry',
      namespace: NAMESPACE,
      labels: LABELS,
    });
    expect(predictorOf(outcome.after)).toEqual({
      model: {
        modelFormat: { name: 'sklearn' },
        runtime: 'kserve-sklearnserver',
        protocolVersion: 'v2',
        storageUri: resolvedVersion('1').storageUri,
      },
    });
    await expect(deployer.readService(NAMESPACE, 'dry')).resolves.toBe(
      undefined,
    );
  });

  describe('Standard mode', () => {
    const SERVICE = 'fraud-std';

    it('creates the service as mlstack-portal, recorded for the entity, and tags the version', async () => {
      const { plan, before, after, tags } = await deploy(
        SERVICE,
        '1',
        'Standard',
        0,
      );
      expect(plan.action).toBe('create');
      expect(before).toBeUndefined();
      expect(tags).toEqual({ written: [label('1')], removed: [], failed: [] });

      const stored = await read(SERVICE);
      expect(resourceVersionOf(stored)).toBe(resourceVersionOf(after));
      expect(readMetadata(stored).labels).toEqual(LABELS);
      const annotations = annotationsOf(stored);
      expect(annotations).toEqual({
        'serving.kserve.io/deploymentMode': 'Standard',
        [DEPLOYED_FOR_ANNOTATION]: ENTITY_REF,
        [SERVED_MODEL_ANNOTATION]: expect.any(String),
      });
      expect(JSON.parse(annotations[SERVED_MODEL_ANNOTATION])).toEqual(
        recordOf(resolvedVersion('1')),
      );
      // one manager: the portal's create (recorded as an Update)
      expect(managersOf(stored)).toEqual(['mlstack-portal/Update']);
      expect(stored).not.toHaveProperty('status');
      expect(parseInferenceService(stored)).toMatchObject({
        deploymentMode: 'Standard',
        deploymentModeSource: 'annotation',
        servedModel: recordOf(resolvedVersion('1')),
        deployedFor: ENTITY_REF,
        stopped: false,
        canaries: [],
      });

      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': { role: 'stable', trafficPercent: 100, mode: 'Standard' },
        '2': undefined,
        '3': undefined,
      });
    });

    it('starts a canary as a spec.canary entry and tags both versions with their shares', async () => {
      const { plan, tags } = await deploy(SERVICE, '2', 'Standard', 20);
      expect(plan.action).toBe('canary');
      expect(plan.notes).toEqual([expect.stringContaining('HTTPRoute')]);
      expect(tags.written.sort()).toEqual([label('1'), label('2')]);

      const stored = await read(SERVICE);
      expect(specOf(stored)).toEqual({
        predictor: {
          model: {
            modelFormat: { name: 'sklearn' },
            runtime: 'kserve-sklearnserver',
            protocolVersion: 'v2',
            storageUri: resolvedVersion('1').storageUri,
          },
        },
        canary: [
          {
            trafficPercent: 20,
            predictor: {
              name: 'v2',
              minReplicas: 1,
              model: {
                name: 'kserve-container',
                modelFormat: { name: 'sklearn' },
                runtime: 'kserve-sklearnserver',
                protocolVersion: 'v2',
                storageUri: resolvedVersion('2').storageUri,
              },
            },
          },
        ],
      });
      expect(
        JSON.parse(annotationsOf(stored)[CANARY_MODEL_ANNOTATION]),
      ).toEqual(recordOf(resolvedVersion('2')));
      // the change is a PUT by the same manager
      expect(managersOf(stored)).toEqual(['mlstack-portal/Update']);

      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': { role: 'stable', trafficPercent: 80, mode: 'Standard' },
        '2': { role: 'canary', trafficPercent: 20, mode: 'Standard' },
        '3': undefined,
      });
    });

    it('refuses a second canary while one runs, and applies nothing', async () => {
      const before = await read(SERVICE);
      await expect(deploy(SERVICE, '3', 'Standard', 10)).rejects.toThrow(
        ConflictError,
      );
      await expect(deploy(SERVICE, '3', 'Knative', 0)).rejects.toThrow(
        /runs in Standard mode/,
      );
      expect(resourceVersionOf(await read(SERVICE))).toBe(
        resourceVersionOf(before),
      );
    });

    it('promotes the canary: its predictor (and name) becomes the stable one, the entry goes', async () => {
      const before = await read(SERVICE);
      const { result, after } = await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        SERVICE,
        'promote',
        resourceVersionOf(before),
      );
      expect(result).toMatchObject({
        action: 'promote',
        cluster: CLUSTER,
        namespace: NAMESPACE,
        service: SERVICE,
        mlflowTags: {
          written: [label('2')],
          removed: [label('1')],
          failed: [],
        },
      });
      expect(result.summary).toMatchObject({
        servedModel: recordOf(resolvedVersion('2')),
        canaries: [],
      });
      expect(result.summary).not.toHaveProperty('canaryModel');

      const stored = await read(SERVICE);
      expect(resourceVersionOf(stored)).toBe(resourceVersionOf(after));
      expect(specOf(stored)).not.toHaveProperty('canary');
      expect(predictorOf(stored)).toMatchObject({
        name: 'v2',
        model: expect.objectContaining({
          storageUri: resolvedVersion('2').storageUri,
        }),
      });
      expect(annotationsOf(stored)).not.toHaveProperty(CANARY_MODEL_ANNOTATION);

      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': undefined,
        '2': { role: 'stable', trafficPercent: 100, mode: 'Standard' },
        '3': undefined,
      });
    });

    it('rolls a canary back: the entry and its tag go, the stable version keeps all traffic', async () => {
      await deploy(SERVICE, '3', 'Standard', 30);
      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': undefined,
        '2': { role: 'stable', trafficPercent: 70, mode: 'Standard' },
        '3': { role: 'canary', trafficPercent: 30, mode: 'Standard' },
      });
      const { result } = await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        SERVICE,
        'rollback',
        resourceVersionOf(await read(SERVICE)),
      );
      expect(result.mlflowTags).toEqual({
        written: [label('2')],
        removed: [label('3')],
        failed: [],
      });
      const stored = await read(SERVICE);
      expect(specOf(stored)).not.toHaveProperty('canary');
      expect(predictorOf(stored)).toMatchObject({
        name: 'v2',
        model: expect.objectContaining({
          storageUri: resolvedVersion('2').storageUri,
        }),
      });
      expect(annotationsOf(stored)).not.toHaveProperty(CANARY_MODEL_ANNOTATION);
      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': undefined,
        '2': { role: 'stable', trafficPercent: 100, mode: 'Standard' },
        '3': undefined,
      });
    });

    it('stops and starts the service', async () => {
      const stopped = await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        SERVICE,
        'stop',
        undefined,
      );
      expect(stopped.result.summary?.stopped).toBe(true);
      expect(annotationsOf(await read(SERVICE))['serving.kserve.io/stop']).toBe(
        'true',
      );
      await expect(
        deployer.rollout(CLUSTER, NAMESPACE, SERVICE, 'stop', undefined),
      ).rejects.toThrow("InferenceService 'fraud-std' is already stopped");

      const started = await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        SERVICE,
        'start',
        resourceVersionOf(stopped.after),
      );
      expect(started.result.summary?.stopped).toBe(false);
      expect(annotationsOf(await read(SERVICE))['serving.kserve.io/stop']).toBe(
        'false',
      );
      // the served version is still the one, and says so
      await expect(servingTags(SERVICE)).resolves.toMatchObject({
        '2': { role: 'stable', trafficPercent: 100 },
      });
    });

    it('replaces the served version with a full rollout, keeping the predictor’s name', async () => {
      const { plan, tags } = await deploy(SERVICE, '3', 'Standard', 0);
      expect(plan.action).toBe('replace');
      expect(plan.previous.stable).toEqual(recordOf(resolvedVersion('2')));
      expect(tags).toEqual({
        written: [label('3')],
        removed: [label('2')],
        failed: [],
      });
      const stored = await read(SERVICE);
      expect(predictorOf(stored)).toEqual({
        name: 'v2',
        model: {
          modelFormat: { name: 'sklearn' },
          runtime: 'kserve-sklearnserver',
          protocolVersion: 'v2',
          storageUri: resolvedVersion('3').storageUri,
        },
      });
      expect(
        JSON.parse(annotationsOf(stored)[SERVED_MODEL_ANNOTATION]),
      ).toEqual(recordOf(resolvedVersion('3')));
    });
  });

  describe('settings of a full rollout', () => {
    const SERVICE = 'fraud-settings';

    it('writes what the plan says: settings the new deploy leaves out are gone', async () => {
      await deploy(SERVICE, '1', 'Standard', 0, {
        minReplicas: 2,
        maxReplicas: 4,
        serviceAccountName: 'kserve-s3',
        resources: { cpuRequest: '500m', memoryLimit: '1Gi' },
      });
      expect(predictorOf(await read(SERVICE))).toMatchObject({
        minReplicas: 2,
        maxReplicas: 4,
        serviceAccountName: 'kserve-s3',
      });
      const { plan, after } = await deploy(SERVICE, '2', 'Standard', 0, {
        maxReplicas: 3,
      });
      expect(predictorOf(plan.manifest)).toEqual({
        maxReplicas: 3,
        model: {
          modelFormat: { name: 'sklearn' },
          runtime: 'kserve-sklearnserver',
          protocolVersion: 'v2',
          storageUri: resolvedVersion('2').storageUri,
        },
      });
      expect(predictorOf(after)).toEqual(predictorOf(plan.manifest));
      expect(predictorOf(await read(SERVICE))).toEqual(
        predictorOf(plan.manifest),
      );
      expect(managersOf(await read(SERVICE))).toEqual([
        'mlstack-portal/Update',
      ]);
    });

    it('drops the first deploy’s settings on a full rollout after a create, with no hand-over, keeping a controller’s finalizer', async () => {
      const name = 'fraud-finalized';
      const writes: string[] = [];
      // A cluster whose controller adds its finalizer as soon as the service is created, and
      // which records every write the deployer makes.
      const withController = {
        name: cluster.name,
        getCustomObject: cluster.getCustomObject.bind(cluster),
        deleteCustomObject: cluster.deleteCustomObject.bind(cluster),
        createCustomObject: async (
          ...args: Parameters<KubernetesCluster['createCustomObject']>
        ) => {
          writes.push('create');
          const created = await cluster.createCustomObject(...args);
          await cluster.mergePatchCustomObject(ISVC, NAMESPACE, name, {
            metadata: { finalizers: ['inferenceservice.finalizers'] },
          });
          return created;
        },
        replaceCustomObject: async (
          ...args: Parameters<KubernetesCluster['replaceCustomObject']>
        ) => {
          writes.push('replace');
          return cluster.replaceCustomObject(...args);
        },
      } as unknown as KubernetesCluster;
      const controlled = new ModelDeployer({
        mlflow,
        cluster: withController,
        now: () => NOW,
      });
      await controlled.deploy(
        deployInput(name, '1', 'Standard', 0, {
          minReplicas: 2,
          maxReplicas: 4,
          serviceAccountName: 'kserve-s3',
          resources: { cpuRequest: '500m' },
        }),
        { dryRun: false, model: await resolve('1') },
      );
      const created = await read(name);
      // the create stays an Update: nothing rewrites managedFields after it
      expect(managersOf(created)).toEqual([
        'mlstack-portal/Update',
        expect.stringMatching(/\/Update$/),
      ]);
      expect(objectAt(created.metadata).finalizers).toEqual([
        'inferenceservice.finalizers',
      ]);
      expect(predictorOf(created)).toMatchObject({
        minReplicas: 2,
        maxReplicas: 4,
        serviceAccountName: 'kserve-s3',
      });

      const { plan } = await controlled.deploy(
        deployInput(name, '2', 'Standard', 0),
        { dryRun: false, model: await resolve('2') },
      );
      expect(plan.action).toBe('replace');
      expect(writes).toEqual(['create', 'replace']);
      const replaced = await read(name);
      expect(predictorOf(replaced)).toEqual({
        model: {
          modelFormat: { name: 'sklearn' },
          runtime: 'kserve-sklearnserver',
          protocolVersion: 'v2',
          storageUri: resolvedVersion('2').storageUri,
        },
      });
      expect(objectAt(replaced.metadata).finalizers).toEqual([
        'inferenceservice.finalizers',
      ]);
      expect(managersOf(replaced)).toContain('mlstack-portal/Update');
      expect(managersOf(replaced)).not.toContain('mlstack-portal/Apply');
    });
  });

  describe('Knative mode', () => {
    const SERVICE = 'fraud-kn';

    it('runs a canary as canaryTrafficPercent on the new predictor, then promotes it', async () => {
      await deploy(SERVICE, '1', 'Knative', 0);
      const canary = await deploy(SERVICE, '2', 'Knative', 10);
      expect(canary.plan.action).toBe('canary');
      expect(canary.plan.notes).toEqual([
        'KServe splits Knative traffic only once a revision has rolled out; until then the new revision takes all traffic.',
      ]);
      let stored = await read(SERVICE);
      expect(annotationsOf(stored)['serving.kserve.io/deploymentMode']).toBe(
        'Knative',
      );
      expect(specOf(stored)).toEqual({
        predictor: {
          canaryTrafficPercent: 10,
          model: {
            modelFormat: { name: 'sklearn' },
            runtime: 'kserve-sklearnserver',
            protocolVersion: 'v2',
            storageUri: resolvedVersion('2').storageUri,
          },
        },
      });
      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': { role: 'stable', trafficPercent: 90, mode: 'Knative' },
        '2': { role: 'canary', trafficPercent: 10, mode: 'Knative' },
        '3': undefined,
      });

      const { result } = await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        SERVICE,
        'promote',
        resourceVersionOf(stored),
      );
      expect(result.mlflowTags).toEqual({
        written: [label('2')],
        removed: [label('1')],
        failed: [],
      });
      stored = await read(SERVICE);
      expect(predictorOf(stored)).not.toHaveProperty('canaryTrafficPercent');
      expect(
        JSON.parse(annotationsOf(stored)[SERVED_MODEL_ANNOTATION]),
      ).toEqual(recordOf(resolvedVersion('2')));
      expect(annotationsOf(stored)).not.toHaveProperty(CANARY_MODEL_ANNOTATION);
      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': undefined,
        '2': { role: 'stable', trafficPercent: 100, mode: 'Knative' },
        '3': undefined,
      });
    });

    it('rolls a canary back to 0 %, keeping its spec until the next deploy', async () => {
      await deploy(SERVICE, '3', 'Knative', 30);
      const { result } = await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        SERVICE,
        'rollback',
        resourceVersionOf(await read(SERVICE)),
      );
      expect(result.mlflowTags).toEqual({
        written: [label('2')],
        removed: [label('3')],
        failed: [],
      });
      expect(result.summary).toMatchObject({
        servedModel: recordOf(resolvedVersion('2')),
        canaryModel: recordOf(resolvedVersion('3')),
      });
      const stored = await read(SERVICE);
      expect(predictorOf(stored)).toMatchObject({
        canaryTrafficPercent: 0,
        model: expect.objectContaining({
          storageUri: resolvedVersion('3').storageUri,
        }),
      });
      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': undefined,
        '2': { role: 'stable', trafficPercent: 100, mode: 'Knative' },
        '3': undefined,
      });
      await expect(
        deployer.rollout(CLUSTER, NAMESPACE, SERVICE, 'rollback', undefined),
      ).rejects.toThrow(ConflictError);
    });

    it('removes the service and its serving tags', async () => {
      const before = await read(SERVICE);
      await expect(
        deployer.remove(CLUSTER, NAMESPACE, SERVICE, '1'),
      ).rejects.toThrow(ConflictError);
      const { result } = await deployer.remove(
        CLUSTER,
        NAMESPACE,
        SERVICE,
        resourceVersionOf(before),
      );
      expect(result).toEqual({
        action: 'delete',
        cluster: CLUSTER,
        namespace: NAMESPACE,
        service: SERVICE,
        mlflowTags: { written: [], removed: [label('2')], failed: [] },
      });
      // Background deletion: the object goes at once (its dependents follow, by the collector).
      expect(await deployer.readService(NAMESPACE, SERVICE)).toBeUndefined();
      await expect(servingTags(SERVICE)).resolves.toEqual({
        '1': undefined,
        '2': undefined,
        '3': undefined,
      });
    });
  });

  describe('a service another manager created (kubectl, a pipeline)', () => {
    const OTHER_MANAGER = 'kubectl-client-side-apply';
    const sklearnModel = (version: string, extra: PlainObject = {}) => ({
      modelFormat: { name: 'sklearn' },
      runtime: 'kserve-sklearnserver',
      protocolVersion: 'v2',
      storageUri: resolvedVersion(version).storageUri,
      ...extra,
    });

    /** Creates the service as another field manager would, and reads it back. */
    async function createdByOther(
      name: string,
      mode: 'Serverless' | 'RawDeployment',
      spec: PlainObject,
      annotations: Record<string, string> = {},
    ): Promise<PlainObject> {
      await cluster.createCustomObject(
        ISVC,
        NAMESPACE,
        {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: {
            name,
            namespace: NAMESPACE,
            annotations: {
              'serving.kserve.io/deploymentMode': mode,
              ...annotations,
            },
          },
          spec,
        },
        { fieldManager: OTHER_MANAGER },
      );
      const object = await read(name);
      expect(managersOf(object)).toEqual([`${OTHER_MANAGER}/Update`]);
      return object;
    }

    const canaryRecords = () => ({
      [SERVED_MODEL_ANNOTATION]: JSON.stringify(recordOf(resolvedVersion('1'))),
      [CANARY_MODEL_ANNOTATION]: JSON.stringify(recordOf(resolvedVersion('2'))),
    });

    it('promotes its Knative canary: canaryTrafficPercent, which the other manager holds, really goes', async () => {
      const name = 'kubectl-kn';
      const before = await createdByOther(
        name,
        'Serverless',
        {
          predictor: {
            canaryTrafficPercent: 20,
            model: sklearnModel('2'),
          },
        },
        canaryRecords(),
      );
      const { result } = await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        name,
        'promote',
        resourceVersionOf(before),
      );
      expect(result.summary).toMatchObject({
        servedModel: recordOf(resolvedVersion('2')),
      });
      const stored = await read(name);
      expect(predictorOf(stored)).toEqual({ model: sklearnModel('2') });
      expect(
        JSON.parse(annotationsOf(stored)[SERVED_MODEL_ANNOTATION]),
      ).toEqual(recordOf(resolvedVersion('2')));
      expect(annotationsOf(stored)).not.toHaveProperty(CANARY_MODEL_ANNOTATION);
      expect(annotationsOf(stored)['serving.kserve.io/deploymentMode']).toBe(
        'Serverless',
      );
      expect(managersOf(stored)).toContain('mlstack-portal/Update');
      // and nothing is left to promote
      await expect(
        deployer.rollout(CLUSTER, NAMESPACE, name, 'promote', undefined),
      ).rejects.toThrow(
        `InferenceService '${name}' runs no canary to promote or roll back`,
      );
    });

    const standardCanary = () => ({
      predictor: { model: sklearnModel('1') },
      canary: [
        {
          trafficPercent: 20,
          predictor: {
            name: 'v2',
            minReplicas: 1,
            model: sklearnModel('2', { name: 'kserve-container' }),
          },
        },
      ],
    });

    it('rolls back its Standard canary: the spec.canary entry the other manager holds really goes', async () => {
      const name = 'kubectl-std-rollback';
      const before = await createdByOther(
        name,
        'RawDeployment',
        standardCanary(),
        canaryRecords(),
      );
      const { result } = await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        name,
        'rollback',
        resourceVersionOf(before),
      );
      expect(result.summary).toMatchObject({ canaries: [] });
      const stored = await read(name);
      expect(specOf(stored)).toEqual({
        predictor: { model: sklearnModel('1') },
      });
      expect(annotationsOf(stored)).not.toHaveProperty(CANARY_MODEL_ANNOTATION);
      expect(
        JSON.parse(annotationsOf(stored)[SERVED_MODEL_ANNOTATION]),
      ).toEqual(recordOf(resolvedVersion('1')));
    });

    it('promotes its Standard canary: the entry goes, its predictor serves', async () => {
      const name = 'kubectl-std-promote';
      const before = await createdByOther(
        name,
        'RawDeployment',
        standardCanary(),
        canaryRecords(),
      );
      await deployer.rollout(
        CLUSTER,
        NAMESPACE,
        name,
        'promote',
        resourceVersionOf(before),
      );
      const stored = await read(name);
      expect(specOf(stored)).not.toHaveProperty('canary');
      // the canary's predictor name (KServe reuses its Deployment), not its container name,
      // which KServe's webhook refuses on spec.predictor
      expect(predictorOf(stored)).toEqual({
        name: 'v2',
        minReplicas: 1,
        model: sklearnModel('2'),
      });
    });

    it('replaces its predictor on a full rollout: only the new model is left, no framework key of the old one', async () => {
      const name = 'kubectl-tf';
      const before = await createdByOther(name, 'RawDeployment', {
        predictor: {
          minReplicas: 2,
          tensorflow: {
            storageUri: 's3://mlflow-artifacts/legacy/saved_model',
          },
        },
      });
      const { plan } = await deploy(name, '2', 'Standard', 0, {
        expectedResourceVersion: resourceVersionOf(before),
      });
      expect(plan.action).toBe('replace');
      const stored = await read(name);
      expect(predictorOf(stored)).toEqual({ model: sklearnModel('2') });
      expect(
        JSON.parse(annotationsOf(stored)[SERVED_MODEL_ANNOTATION]),
      ).toEqual(recordOf(resolvedVersion('2')));
      expect(annotationsOf(stored)[DEPLOYED_FOR_ANNOTATION]).toBe(ENTITY_REF);
      expect(managersOf(stored).sort()).toEqual([
        `${OTHER_MANAGER}/Update`,
        'mlstack-portal/Update',
      ]);
    });
  });

  describe('conflicts', () => {
    const SERVICE = 'fraud-conflicts';

    beforeAll(async () => {
      await deploy(SERVICE, '1', 'Standard', 0);
    });

    it('refuses a change computed from a stale resourceVersion, naming who holds the object', async () => {
      const current = await read(SERVICE);
      const error = await deployer
        .rollout(CLUSTER, NAMESPACE, SERVICE, 'stop', '1')
        .catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toMatch(
        new RegExp(
          `^InferenceService '${SERVICE}' changed since you read it \\(resourceVersion 1\\); its fields are held by mlstack-portal \\(Update at [^)]+\\); last deployed from the portal by ${ACTOR}; now at resourceVersion ${resourceVersionOf(
            current,
          )}\\. Reload and try again$`,
        ),
      );
      const deployError = await deploy(SERVICE, '2', 'Standard', 10, {
        expectedResourceVersion: '1',
      }).catch(e => e);
      expect(deployError).toBeInstanceOf(ConflictError);
      expect(deployError.message).toContain('mlstack-portal (Update at');
      const createError = await deploy(SERVICE, '2', 'Standard', 0, {
        expectedResourceVersion: null,
      }).catch(e => e);
      expect(createError).toBeInstanceOf(ConflictError);
      expect(createError.message).toContain('was created by someone else');
      expect(resourceVersionOf(await read(SERVICE))).toBe(
        resourceVersionOf(current),
      );
    });

    it('refuses a write (PUT) when the object moves between the read and the write', async () => {
      let moved = false;
      // A cluster on which someone edits the service right after the deployer reads it.
      const racing = {
        name: cluster.name,
        getCustomObject: async (...args: [typeof ISVC, string, string]) => {
          const object = await cluster.getCustomObject(...args);
          if (!moved) {
            moved = true;
            await cluster.mergePatchCustomObject(ISVC, NAMESPACE, SERVICE, {
              metadata: { labels: { 'example.com/edited-by': 'someone' } },
            });
          }
          return object;
        },
        replaceCustomObject: cluster.replaceCustomObject.bind(cluster),
        createCustomObject: cluster.createCustomObject.bind(cluster),
        deleteCustomObject: cluster.deleteCustomObject.bind(cluster),
      } as unknown as KubernetesCluster;
      const racingDeployer = new ModelDeployer({ mlflow, cluster: racing });

      const error = await racingDeployer
        .rollout(CLUSTER, NAMESPACE, SERVICE, 'stop', undefined)
        .catch(e => e);
      expect(moved).toBe(true);
      expect(error).toBeInstanceOf(ConflictError);
      const now = await read(SERVICE);
      expect(error.message).toMatch(
        new RegExp(
          `^InferenceService '${SERVICE}' was changed by someone else meanwhile and nothing was applied: its fields are held by mlstack-portal \\(Update at [^)]+\\), [^ ]+ \\(Update at [^)]+\\); last deployed from the portal by ${ACTOR}; now at resourceVersion ${resourceVersionOf(
            now,
          )}\\. Reload and try again`,
        ),
      );
      expect(error.cause.message).toContain('HTTP 409');
      expect(readMetadata(now).labels).toMatchObject({
        'example.com/edited-by': 'someone',
      });
      expect(parseInferenceService(now).stopped).toBe(false);
    });

    it('lets exactly one of two simultaneous first deploys of a name win', async () => {
      const name = 'fraud-race';
      // Both deploys read the (missing) service before either writes.
      let reads = 0;
      let bothRead: () => void = () => undefined;
      const barrier = new Promise<void>(resolveBarrier => {
        bothRead = resolveBarrier;
      });
      const racing = {
        name: cluster.name,
        getCustomObject: async (...args: [typeof ISVC, string, string]) => {
          const answer = cluster.getCustomObject(...args);
          answer.catch(() => undefined);
          reads += 1;
          if (reads === 2) bothRead();
          await barrier;
          return answer;
        },
        replaceCustomObject: cluster.replaceCustomObject.bind(cluster),
        createCustomObject: cluster.createCustomObject.bind(cluster),
        deleteCustomObject: cluster.deleteCustomObject.bind(cluster),
      } as unknown as KubernetesCluster;
      const racingDeployer = new ModelDeployer({ mlflow, cluster: racing });

      const results = await Promise.allSettled(
        ['1', '2'].map(async version =>
          racingDeployer.deploy(deployInput(name, version, 'Standard', 0), {
            dryRun: false,
            model: await resolve(version),
          }),
        ),
      );
      const won = results.filter(r => r.status === 'fulfilled');
      const lost = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(ConflictError);
      expect(lost[0].reason.message).toMatch(
        /^InferenceService 'fraud-race' was changed by someone else meanwhile and nothing was applied: its fields are held by mlstack-portal \(Update at /,
      );
      const stored = await read(name);
      expect(managersOf(stored)).toEqual(['mlstack-portal/Update']);
      const servedVersion = parseInferenceService(stored).servedModel?.version;
      expect(['1', '2']).toContain(servedVersion);
    });
  });
});
