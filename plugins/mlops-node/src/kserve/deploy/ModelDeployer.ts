// Over 300 lines on purpose: the deploy core's one orchestration (resolve, plan, write, tags)
// reads top to bottom here; its pure parts live beside it (deployPlan, rolloutPlan, runtimes,
// storageUri, canaryRules, manifest).
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  DEPLOY_FIELD_MANAGER,
  DeployMode,
  DeployResources,
  DeploySource,
  ResolvedModel,
  RolloutResult,
  SERVING_TAG_PREFIX,
  ServedModelRecord,
} from '@mlstack/plugin-mlops-common';
import type { KubernetesCluster } from '../../kubernetes/KubernetesCluster';
import { KSERVE_INFERENCE_SERVICE_RESOURCE } from '../../kubernetes/customResources';
import {
  PlainObject,
  arrayAt,
  isPlainObject,
  objectAt,
  stringAt,
} from '../../kubernetes/objects';
import type { MlflowClient } from '../../mlflow/MlflowClient';
import { parseInferenceService } from '../parseInferenceService';
import { DeployPlan, planDeploy } from './deployPlan';
import {
  RolloutPlan,
  planPromote,
  planRollback,
  planStop,
} from './rolloutPlan';
import { chooseRuntime, readMlmodelFlavors } from './runtimes';
import { kserveStorageUri } from './storageUri';

const ISVC = KSERVE_INFERENCE_SERVICE_RESOURCE;

/**
 * Where a resolved model comes from in MLflow, for the caller's scope check.
 *
 * @public
 */
export interface ModelOrigin {
  /** The registered model, for versions and aliases. */
  modelName?: string;
  /** The logged model's experiment. */
  experimentId?: string;
}

/**
 * What ModelDeployer deploys: the model, where, how, and for which entity.
 *
 * @public
 */
export interface DeployInput {
  source: DeploySource;
  namespace: string;
  serviceName: string;
  mode: DeployMode;
  runtime?: string;
  canaryTrafficPercent: number;
  resources?: DeployResources;
  minReplicas?: number;
  maxReplicas?: number;
  serviceAccountName?: string;
  entityRef: string;
  labels: Record<string, string>;
  actor?: string;
  /** See DeployRequest.expectedResourceVersion. */
  expectedResourceVersion?: string | null;
}

/**
 * What a deploy (or its preview) did: the plan, the resolved model, and the object before and after.
 *
 * @public
 */
export interface DeployOutcome {
  plan: DeployPlan;
  model: ResolvedModel;
  /** The object before (undefined for a new service) and after (the dry run's, for a preview). */
  before?: unknown;
  after: unknown;
}

/**
 * What a promote, roll back, stop, start or delete did: the object before and after, and the result.
 *
 * @public
 */
export interface RolloutOutcome {
  before: unknown;
  /** Undefined after a delete. */
  after?: unknown;
  result: RolloutResult;
}

/** A tag key of the version: where it serves. */
export function servingTagKey(
  cluster: string,
  namespace: string,
  service: string,
) {
  return `${SERVING_TAG_PREFIX}${cluster}/${namespace}/${service}`;
}

function httpConflictMessage(object: unknown): string {
  const managers = arrayAt(objectAt(objectAt(object).metadata).managedFields)
    .filter(isPlainObject)
    .map(
      entry =>
        `${stringAt(entry.manager) ?? '?'} (${
          stringAt(entry.operation) ?? '?'
        } at ${stringAt(entry.time) ?? '?'})`,
    );
  const summary = parseInferenceService(object);
  const by = summary.canaryModel?.deployedBy ?? summary.servedModel?.deployedBy;
  return `its fields are held by ${managers.join(', ') || 'nobody recorded'}${
    by ? `; last deployed from the portal by ${by}` : ''
  }; now at resourceVersion ${summary.resourceVersion ?? '?'}`;
}

/**
 * The deploy core: resolves an MLflow model into what KServe can serve (storage URI, runtime
 * by flavor), plans the InferenceService (deployPlan, rolloutPlan), writes it to the cluster as
 * `mlstack-portal` (a new service by create, so two first deploys of one name cannot both win;
 * a change by an update of the whole computed object at the resourceVersion it was computed
 * from), and keeps the version tags that say where a version serves.
 * Used by the backend's routes and the `mlops:kserve:deploy` scaffolder action; neither the
 * permission check nor the scope is here.
 *
 * @public
 */
export class ModelDeployer {
  constructor(
    private readonly deps: {
      mlflow: MlflowClient;
      cluster: KubernetesCluster;
      now?: () => Date;
    },
  ) {}

  /**
   * The model behind a source: version (by number or alias) or logged model, its storage URI
   * for KServe, its flavors (from `MLmodel`) and runtime. `checkOrigin` runs alongside the first
   * reads (the version and its download URI); its refusal wins over what they found, and
   * nothing they read is returned or written before it passed.
   */
  async resolveModel(
    source: DeploySource,
    options: {
      runtime?: string;
      actor?: string;
      checkOrigin(origin: ModelOrigin): Promise<void>;
    },
  ): Promise<ResolvedModel> {
    const { mlflow } = this.deps;
    let record: Omit<ServedModelRecord, 'storageUri' | 'deployedAt'>;
    let artifactUri: string;
    if (source.type === 'loggedModel') {
      const model = await mlflow.getLoggedModel(source.modelId);
      await options.checkOrigin({ experimentId: model.experimentId });
      if (!model.artifactUri) {
        throw new NotFoundError(
          `Logged model ${source.modelId} has no artifact location`,
        );
      }
      artifactUri = model.artifactUri;
      record = {
        instance: mlflow.name,
        modelId: model.modelId,
        runId: model.sourceRunId,
      };
    } else {
      // The origin check, the version and (for a version number) its download URI at once;
      // the origin's refusal wins over anything the reads found.
      const [origin, found, downloadUri] = await Promise.allSettled([
        options.checkOrigin({ modelName: source.modelName }),
        source.type === 'modelVersion'
          ? mlflow.getModelVersion(source.modelName, source.version)
          : mlflow.getModelVersionByAlias(source.modelName, source.alias),
        source.type === 'modelVersion'
          ? mlflow.getModelVersionDownloadUri(source.modelName, source.version)
          : Promise.resolve(undefined),
      ]);
      if (origin.status === 'rejected') throw origin.reason;
      if (found.status === 'rejected') throw found.reason;
      const version = found.value;
      if (version.status !== 'READY') {
        throw new ConflictError(
          `Version ${version.version} of ${source.modelName} is ${version.status}, not READY`,
        );
      }
      if (downloadUri.status === 'rejected') throw downloadUri.reason;
      artifactUri =
        downloadUri.value ??
        (await mlflow.getModelVersionDownloadUri(
          source.modelName,
          version.version,
        ));
      record = {
        instance: mlflow.name,
        modelName: source.modelName,
        version: version.version,
        modelId: version.modelId,
        runId: version.runId,
      };
    }
    const storageUri = kserveStorageUri(artifactUri, mlflow);
    let flavors: string[] | undefined;
    if (artifactUri.startsWith('mlflow-artifacts:')) {
      flavors = readMlmodelFlavors(
        await mlflow.readArtifactText(artifactUri, 'MLmodel'),
        `${artifactUri}/MLmodel`,
      );
    }
    const runtime = chooseRuntime(flavors, options.runtime);
    return {
      ...record,
      storageUri,
      flavors: flavors ?? [],
      runtime,
      deployedBy: options.actor,
      deployedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    };
  }

  /** The service as the cluster has it, or undefined. */
  async readService(
    namespace: string,
    name: string,
  ): Promise<unknown | undefined> {
    try {
      return await this.deps.cluster.getCustomObject(ISVC, namespace, name);
    } catch (error) {
      if (NotFoundError.is(error)) return undefined;
      throw error;
    }
  }

  /**
   * Plans a deploy and applies it: as a dry run (`dryRun`: validated and admitted by the API
   * server, nothing stored), or for real. `model` may be one resolved before (a preview).
   */
  async deploy(
    input: DeployInput,
    options: {
      dryRun: boolean;
      model: ResolvedModel;
      /** The service as read while the model was resolved (read now when not given). */
      current?: Promise<unknown | undefined>;
    },
  ): Promise<DeployOutcome> {
    const { model } = options;
    const current = await (options.current ??
      this.readService(input.namespace, input.serviceName));
    this.assertExpected(input, current);
    const plan = planDeploy({
      name: input.serviceName,
      namespace: input.namespace,
      mode: input.mode,
      runtime: model.runtime,
      storageUri: model.storageUri,
      serviceAccountName: input.serviceAccountName,
      resources: input.resources,
      minReplicas: input.minReplicas,
      maxReplicas: input.maxReplicas,
      canaryTrafficPercent: input.canaryTrafficPercent,
      entityRef: input.entityRef,
      labels: input.labels,
      record: withoutResolution(model),
      current,
    });
    const after = await this.write(
      input.namespace,
      input.serviceName,
      plan.manifest,
      {
        create: plan.action === 'create',
        dryRun: options.dryRun,
      },
    );
    return { plan, model, before: current, after };
  }

  /** Promote, roll back, stop or start, computed from the object at `resourceVersion`. */
  async rollout(
    cluster: string,
    namespace: string,
    service: string,
    action: 'promote' | 'rollback' | 'stop' | 'start',
    resourceVersion: string | undefined,
  ): Promise<RolloutOutcome> {
    const before = await this.requireService(
      namespace,
      service,
      resourceVersion,
    );
    const plans: Record<typeof action, (o: unknown) => RolloutPlan> = {
      promote: planPromote,
      rollback: planRollback,
      stop: o => planStop(o, true),
      start: o => planStop(o, false),
    };
    const plan = plans[action](before);
    const after = await this.write(namespace, service, plan.manifest, {
      create: false,
      dryRun: false,
    });
    const mlflowTags = await this.retag(
      cluster,
      namespace,
      service,
      before,
      after,
    );
    return {
      before,
      after,
      result: {
        action,
        cluster,
        namespace,
        service,
        summary: parseInferenceService(after),
        mlflowTags,
      },
    };
  }

  /** Deletes the service (only the version at `resourceVersion`, when given). */
  async remove(
    cluster: string,
    namespace: string,
    service: string,
    resourceVersion: string | undefined,
  ): Promise<RolloutOutcome> {
    const before = await this.requireService(
      namespace,
      service,
      resourceVersion,
    );
    const rv = resourceVersion ?? parseInferenceService(before).resourceVersion;
    try {
      await this.deps.cluster.deleteCustomObject(ISVC, namespace, service, {
        resourceVersion: rv,
      });
    } catch (error) {
      throw await this.explainConflict(error, namespace, service);
    }
    const mlflowTags = await this.retag(
      cluster,
      namespace,
      service,
      before,
      undefined,
    );
    return {
      before,
      result: { action: 'delete', cluster, namespace, service, mlflowTags },
    };
  }

  /**
   * Makes the versions' serving tags match the service: written on the versions it serves
   * (stable: 100 % or what the canary leaves; canary: its share), removed from those it no
   * longer serves. MLflow being down is reported in `failed`, not thrown: the cluster change
   * has happened and is what counts.
   */
  async retag(
    cluster: string,
    namespace: string,
    service: string,
    before: unknown,
    after: unknown | undefined,
  ): Promise<RolloutResult['mlflowTags']> {
    const key = servingTagKey(cluster, namespace, service);
    const tags = {
      written: [] as string[],
      removed: [] as string[],
      failed: [] as string[],
    };
    const served = (object: unknown) => {
      if (!object)
        return new Map<string, { record: ServedModelRecord; value: string }>();
      const summary = parseInferenceService(object);
      const canary =
        summary.canaries[0]?.trafficPercent ??
        summary.predictor.canaryTrafficPercent;
      const entries = new Map<
        string,
        { record: ServedModelRecord; value: string }
      >();
      const add = (
        record: ServedModelRecord | undefined,
        role: string,
        percent: number,
      ) => {
        if (
          record?.modelName &&
          record.version &&
          record.instance === this.deps.mlflow.name
        ) {
          entries.set(`${record.modelName}\u0000${record.version}`, {
            record,
            value: JSON.stringify({
              role,
              trafficPercent: percent,
              mode: summary.deploymentMode,
            }),
          });
        }
      };
      const canaryPercent = summary.canaryModel ? canary ?? 0 : 0;
      add(summary.servedModel, 'stable', 100 - canaryPercent);
      if (summary.canaryModel && canaryPercent > 0) {
        add(summary.canaryModel, 'canary', canaryPercent);
      }
      return entries;
    };
    const was = served(before);
    const now = served(after);
    const label = (r: ServedModelRecord) => `${r.modelName} v${r.version}`;
    await Promise.all([
      ...[...now.values()].map(async ({ record, value }) => {
        try {
          await this.deps.mlflow.setModelVersionTag(
            record.modelName!,
            record.version!,
            key,
            value,
          );
          tags.written.push(label(record));
        } catch {
          tags.failed.push(label(record));
        }
      }),
      ...[...was.entries()]
        .filter(([id]) => !now.has(id))
        .map(async ([, { record }]) => {
          try {
            await this.deps.mlflow.deleteModelVersionTag(
              record.modelName!,
              record.version!,
              key,
            );
            tags.removed.push(label(record));
          } catch {
            tags.failed.push(label(record));
          }
        }),
    ]);
    return tags;
  }

  /** The service is in the state the deploy was decided on, or a ConflictError. */
  private assertExpected(input: DeployInput, current: unknown) {
    const expected = input.expectedResourceVersion;
    if (expected === undefined) return;
    const name = input.serviceName;
    if (expected === null && current) {
      throw new ConflictError(
        `InferenceService '${name}' was created by someone else meanwhile and nothing was applied: ${httpConflictMessage(
          current,
        )}. Reload and try again`,
      );
    }
    if (expected !== null && !current) {
      throw new ConflictError(
        `InferenceService '${name}' was deleted since you read it; nothing was applied. Reload and try again`,
      );
    }
    const seen = current && parseInferenceService(current).resourceVersion;
    if (expected !== null && seen !== expected) {
      throw new ConflictError(
        `InferenceService '${name}' changed since you read it (resourceVersion ${expected}); ${httpConflictMessage(
          current,
        )}. Reload and try again`,
      );
    }
  }

  private async requireService(
    namespace: string,
    service: string,
    resourceVersion: string | undefined,
  ): Promise<unknown> {
    const object = await this.readService(namespace, service);
    if (!object) {
      throw new NotFoundError(
        `InferenceService '${service}' does not exist in '${namespace}'`,
      );
    }
    const seen = parseInferenceService(object).resourceVersion;
    if (resourceVersion && seen !== resourceVersion) {
      throw new ConflictError(
        `InferenceService '${service}' changed since you read it (resourceVersion ${resourceVersion}); ${httpConflictMessage(
          object,
        )}. Reload and try again`,
      );
    }
    return object;
  }

  /**
   * Writes a plan: a new service by create (POST), so two first deploys of one name cannot both
   * win; a change of an existing one by update (PUT) of the whole computed object, with the
   * `resourceVersion` it was computed from. Not server-side apply: an apply never removes a
   * field another manager also holds (a `canaryTrafficPercent` or framework key set by
   * `kubectl apply`, the pipeline or a seed), so a promote or roll back would report success
   * and change nothing. Both are recorded under the portal's field manager (`mlstack-portal`)
   * with strict field validation.
   */
  private async write(
    namespace: string,
    name: string,
    manifest: PlainObject,
    options: { create: boolean; dryRun: boolean },
  ): Promise<unknown> {
    const { cluster } = this.deps;
    const writeOptions = {
      fieldManager: DEPLOY_FIELD_MANAGER,
      dryRun: options.dryRun,
    };
    try {
      return options.create
        ? await cluster.createCustomObject(
            ISVC,
            namespace,
            manifest,
            writeOptions,
          )
        : await cluster.replaceCustomObject(
            ISVC,
            namespace,
            name,
            manifest,
            writeOptions,
          );
    } catch (error) {
      throw await this.explainConflict(error, namespace, name);
    }
  }

  /** A ConflictError from the API server, with who holds the object now. */
  private async explainConflict(
    error: unknown,
    namespace: string,
    name: string,
  ) {
    if (!ConflictError.is(error)) return error;
    const now = await this.readService(namespace, name).catch(() => undefined);
    return new ConflictError(
      `InferenceService '${name}' was changed by someone else meanwhile and nothing was applied: ${
        now ? httpConflictMessage(now) : 'it is gone now'
      }. Reload and try again`,
      error,
    );
  }
}

function withoutResolution(model: ResolvedModel): ServedModelRecord {
  const { flavors: _flavors, runtime: _runtime, ...record } = model;
  return record;
}

