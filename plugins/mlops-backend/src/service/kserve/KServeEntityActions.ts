// A little over 300 lines: the backend's deploy rules (target, scope, service account) sit
// with the calls they guard.
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  DeployPreview,
  DeployRequest,
  DeployTargetsResponse,
  KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION,
  KSERVE_SERVICE_ACCOUNT_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_NAMESPACE_ANNOTATION,
  ResolvedModel,
  RolloutResult,
} from '@mlstack/plugin-mlops-common';
import {
  ConfiguredDeployTarget,
  DEPLOY_RUNTIMES,
  DeployInput,
  ModelDeployer,
  parseInferenceService,
} from '@mlstack/plugin-mlops-node';
import type { ClusterProvider } from '../kubernetes/ClusterProvider';
import {
  EntityKubernetesScope,
  assertObjectName,
  readSelectorAnnotation,
  resolveEntityScope,
} from '../kubernetes/entityScope';
import type { MlflowEntityService } from '../mlflow/MlflowEntityService';
import { notInScope } from '../notInScope';
import type { KServeEntityService } from './KServeEntityService';

/** An object as the audit trail keeps it: without managedFields (noise, not state). */
function forAudit(object: unknown): unknown {
  if (!object || typeof object !== 'object') {
    return object ?? null;
  }
  const { metadata, ...rest } = object as {
    metadata?: Record<string, unknown>;
  };
  const { managedFields: _managed, ...kept } = metadata ?? {};
  return { ...rest, metadata: kept };
}

/** What a preview read (nothing written): see KServeEntityActions.previewReads. */
export interface PreviewReads {
  deployer: ModelDeployer;
  input: DeployInput;
  model: ResolvedModel;
  /** The service as the cluster has it (undefined: none); rejects if it is not the entity's. */
  current: Promise<unknown | undefined>;
}

/** The result of a write, with the object before and after for the audit trail. */
export interface DeployWrite {
  result: RolloutResult;
  before: unknown;
  after: unknown;
}

/**
 * Deploys of an entity's MLflow models to its KServe namespace, and the rollout actions on its
 * services: the backend's side of the deploy core (ModelDeployer in -node). It decides where
 * (the entity's own cluster and namespace, which its owner must own and `mlops.deploy.targets`
 * must list, in a mode the target allows) and what (a model of the entity); the permission
 * check and the audit are the routes'.
 */
export class KServeEntityActions {
  constructor(
    private readonly deps: {
      clusters: ClusterProvider;
      mlflow: MlflowEntityService;
      services: KServeEntityService;
      targets: ConfiguredDeployTarget[];
    },
  ) {}

  /** The configured targets, each refused (with why) unless it is the entity's scope. */
  async targets(entity: Entity): Promise<DeployTargetsResponse> {
    const scope = await resolveEntityScope(entity, this.deps.clusters);
    return {
      targets: this.deps.targets.map(target => ({
        cluster: target.cluster,
        namespace: target.namespace,
        modes: target.modes,
        ...(target.serviceAccountName
          ? { serviceAccountName: target.serviceAccountName }
          : {}),
        ...(isScope(target, scope)
          ? {}
          : { refusedReason: notTheScope(scope) }),
      })),
      runtimes: [...DEPLOY_RUNTIMES],
    };
  }

  /**
   * The reads a preview needs, writing nothing: the target and scope checks, the model resolved
   * in MLflow and, meanwhile, the service as the cluster has it. The route starts them while
   * the permission is decided, and uses them only if it allows.
   */
  async previewReads(
    entity: Entity,
    request: DeployRequest,
    actor: string | undefined,
  ): Promise<PreviewReads> {
    const { deployer, input, scope } = await this.prepare(
      entity,
      request,
      actor,
    );
    // The service is read while MLflow resolves the model.
    const current = this.currentServiceOf(entity, scope, deployer, input);
    current.catch(() => undefined);
    const model = await this.resolve(entity, deployer, request, actor);
    return { deployer, input, model, current };
  }

  /** What a deploy would apply, checked by a server-side dry run; nothing is stored. */
  async preview(reads: PreviewReads): Promise<DeployPreview> {
    const { deployer, input, model } = reads;
    const outcome = await deployer.deploy(input, {
      dryRun: true,
      model,
      current: reads.current,
    });
    const current = outcome.before
      ? parseInferenceService(outcome.before)
      : undefined;
    return {
      action: outcome.plan.action,
      model,
      manifest: outcome.plan.manifest,
      ...(current ? { current, resourceVersion: current.resourceVersion } : {}),
      notes: outcome.plan.notes,
    };
  }

  /** Deploys: resolves the model, dry-runs, applies, and tags the versions in MLflow. */
  async deploy(
    entity: Entity,
    request: DeployRequest,
    actor: string | undefined,
  ): Promise<DeployWrite> {
    const { deployer, input, scope } = await this.prepare(
      entity,
      request,
      actor,
    );
    const model = await this.resolve(entity, deployer, request, actor);
    const current = this.currentServiceOf(entity, scope, deployer, input);
    // The dry run first: a manifest the API server refuses is refused before anything moves.
    await deployer.deploy(input, { dryRun: true, model, current });
    const outcome = await deployer.deploy(input, {
      dryRun: false,
      model,
      current,
    });
    const mlflowTags = await deployer.retag(
      scope.cluster.name,
      scope.namespace,
      request.serviceName,
      outcome.before,
      outcome.after,
    );
    return {
      result: {
        action: outcome.plan.action,
        cluster: scope.cluster.name,
        namespace: scope.namespace,
        service: request.serviceName,
        summary: parseInferenceService(outcome.after),
        mlflowTags,
      },
      before: forAudit(outcome.before),
      after: forAudit(outcome.after),
    };
  }

  /** Promote, roll back, stop or start one of the entity's services. */
  async rollout(
    entity: Entity,
    service: string,
    action: 'promote' | 'rollback' | 'stop' | 'start',
    resourceVersion: string | undefined,
  ): Promise<DeployWrite> {
    const { scope, deployer } = await this.serviceOf(entity, service);
    const outcome = await deployer.rollout(
      scope.cluster.name,
      scope.namespace,
      service,
      action,
      resourceVersion,
    );
    return {
      result: outcome.result,
      before: forAudit(outcome.before),
      after: forAudit(outcome.after),
    };
  }

  /** Deletes one of the entity's services. */
  async remove(
    entity: Entity,
    service: string,
    resourceVersion: string | undefined,
  ): Promise<DeployWrite> {
    const { scope, deployer } = await this.serviceOf(entity, service);
    const outcome = await deployer.remove(
      scope.cluster.name,
      scope.namespace,
      service,
      resourceVersion,
    );
    return {
      result: outcome.result,
      before: forAudit(outcome.before),
      after: null,
    };
  }

  /**
   * The service a deploy would change, if it exists: it must be one of the entity's (named,
   * selected, or deployed for it), or the deploy would take over another entity's or the
   * pipeline's service; then a 409 asks for another name.
   */
  private async currentServiceOf(
    entity: Entity,
    scope: EntityKubernetesScope,
    deployer: ModelDeployer,
    input: DeployInput,
  ): Promise<unknown | undefined> {
    const current = await deployer.readService(
      input.namespace,
      input.serviceName,
    );
    if (current && !this.deps.services.isInScope(entity, scope, current)) {
      throw new ConflictError(
        `InferenceService '${input.serviceName}' already exists in namespace '${input.namespace}' and is not one of the services of ${scope.entityRef}; choose another name`,
      );
    }
    return current;
  }

  private async serviceOf(entity: Entity, service: string) {
    assertObjectName(service, 'InferenceService');
    const scope = await resolveEntityScope(entity, this.deps.clusters);
    const deployer = this.deployerFor(entity, scope);
    const object = await deployer.readService(scope.namespace, service);
    if (!object || !this.deps.services.isInScope(entity, scope, object)) {
      throw notInScope.inferenceService(service, scope.entityRef);
    }
    return { scope, deployer };
  }

  private deployerFor(entity: Entity, scope: EntityKubernetesScope) {
    return new ModelDeployer({
      mlflow: this.deps.mlflow.clientOf(entity),
      cluster: scope.cluster,
    });
  }

  private async prepare(
    entity: Entity,
    request: DeployRequest,
    actor: string | undefined,
  ): Promise<{
    scope: EntityKubernetesScope;
    deployer: ModelDeployer;
    input: DeployInput;
  }> {
    const scope = await resolveEntityScope(entity, this.deps.clusters);
    const { cluster, namespace } = request.target;
    const target = this.deps.targets.find(
      t => t.cluster === cluster && t.namespace === namespace,
    );
    if (!target) {
      throw new NotAllowedError(
        `Namespace '${namespace}' on cluster '${cluster}' is not a deploy target (mlops.deploy.targets lists ${
          this.deps.targets
            .map(t => `${t.cluster}/${t.namespace}`)
            .join(', ') || 'none'
        })`,
      );
    }
    if (!isScope(target, scope)) {
      throw new NotAllowedError(notTheScope(scope));
    }
    if (!target.modes.includes(request.mode)) {
      throw new InputError(
        `Deploy target ${cluster}/${namespace} allows ${target.modes.join(
          ', ',
        )} mode, not ${request.mode}`,
      );
    }
    return {
      scope,
      deployer: this.deployerFor(entity, scope),
      input: {
        source: request.source,
        namespace,
        serviceName: request.serviceName,
        mode: request.mode,
        runtime: request.runtime,
        canaryTrafficPercent: request.canaryTrafficPercent,
        resources: request.resources,
        minReplicas: request.minReplicas,
        maxReplicas: request.maxReplicas,
        serviceAccountName: serviceAccountFor(entity, target),
        entityRef: scope.entityRef,
        labels: scopeLabels(entity),
        actor,
        expectedResourceVersion: request.expectedResourceVersion,
      },
    };
  }

  private resolve(
    entity: Entity,
    deployer: ModelDeployer,
    request: DeployRequest,
    actor: string | undefined,
  ) {
    return deployer.resolveModel(request.source, {
      runtime: request.runtime,
      actor,
      checkOrigin: origin => this.deps.mlflow.assertModelOrigin(entity, origin),
    });
  }
}

/**
 * The service account the predictor runs as: the entity's `mlstack.io/kserve-service-account`
 * if the target allows it (`serviceAccountName`, `serviceAccountNames`), else the target's
 * default. Anyone who edits the entity writes the annotation, so an account the platform did
 * not list (a privileged one) is a 403.
 */
function serviceAccountFor(
  entity: Entity,
  target: ConfiguredDeployTarget,
): string | undefined {
  const wanted =
    entity.metadata.annotations?.[KSERVE_SERVICE_ACCOUNT_ANNOTATION]?.trim();
  if (!wanted) {
    return target.serviceAccountName;
  }
  if (!target.serviceAccountNames.includes(wanted)) {
    throw new NotAllowedError(
      `${stringifyEntityRef(
        entity,
      )} asks for service account '${wanted}' (${KSERVE_SERVICE_ACCOUNT_ANNOTATION}), which deploy target ${
        target.cluster
      }/${target.namespace} does not allow (${
        target.serviceAccountNames.join(', ') || 'none listed'
      }: mlops.deploy.targets[].serviceAccountNames)`,
    );
  }
  return wanted;
}

function isScope(
  target: { cluster: string; namespace: string },
  scope: EntityKubernetesScope,
): boolean {
  return (
    target.cluster === scope.cluster.name &&
    target.namespace === scope.namespace
  );
}

function notTheScope(scope: EntityKubernetesScope): string {
  return `${scope.entityRef} keeps its services in namespace '${scope.namespace}' on cluster '${scope.cluster.name}' (${KUBERNETES_NAMESPACE_ANNOTATION}); it deploys only there`;
}

/**
 * Labels that keep a deployed service in the entity's scope: `backstage.io/kubernetes-id`
 * (with the `mlstack.io/entity-ref` annotation) and the label values its KServe selector asks for.
 */
function scopeLabels(entity: Entity): Record<string, string> {
  const labels: Record<string, string> = {
    [KUBERNETES_ID_LABEL]: entity.metadata.name,
  };
  const selector = readSelectorAnnotation(
    entity,
    KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION,
  );
  for (const requirement of selector?.requirements ?? []) {
    if (requirement.operator === 'in' && requirement.values.length === 1) {
      labels[requirement.key] = requirement.values[0];
    }
  }
  return labels;
}
