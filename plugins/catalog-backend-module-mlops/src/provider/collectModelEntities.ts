import type { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InferenceServiceSummary,
  MlflowOwnership,
  MlflowRegisteredModel,
  ownerOfEntity,
} from '@mlstack/plugin-mlops-common';
import { buildInferenceApiEntity } from '../entities/apiEntity';
import { EntityNamer } from '../entities/entityNamer';
import { buildModelEntity } from '../entities/modelEntity';
import {
  boundModels,
  groupByModel,
  ModelClaim,
  readModelClaims,
} from './claims';
import { isKubernetesOutage, isMlflowOutage, reasonOf } from './outages';
import { ClusterSource, ServingServiceIndex } from './servingServices';

/** The registries the models are read from (`MlflowInstances` of `-node` is one). */
export interface ModelRegistries {
  readonly defaultName: string;
  get(name?: string): {
    getRegisteredModel(
      name: string,
    ): Promise<MlflowRegisteredModel | undefined>;
  };
}

export interface CollectModelEntitiesDeps {
  registries: ModelRegistries;
  clusters: ClusterSource;
  ownership: MlflowOwnership;
  logger: LoggerService;
  maxModels: number;
}

/** What one run found: the entities, or the upstreams it could not read (then no mutation). */
export interface CollectedModelEntities {
  entities: Entity[];
  /** e.g. `MLflow instance 'main'`, `Kubernetes cluster 'default'` */
  unavailable: string[];
  modelCount: number;
  apiCount: number;
}

/** The claimers whose model the rule lets them claim; the refused ones are logged with why. */
function acceptedClaims(
  claims: ModelClaim[],
  tags: Record<string, string>,
  deps: CollectModelEntitiesDeps,
): ModelClaim[] {
  const accepted = claims.filter(claim => {
    const what = `Registered model '${claim.modelName}' of MLflow instance '${claim.instance}'`;
    const judgement = deps.ownership.judge(what, tags, claim.claimer);
    if ('refused' in judgement) {
      deps.logger.warn(
        `Not ingesting it for ${claim.claimerRef}: ${judgement.refused}`,
      );
      return false;
    }
    return true;
  });
  const owner = accepted[0] && ownerOfEntity(accepted[0].claimer);
  return accepted.filter(claim => {
    if (!owner || ownerOfEntity(claim.claimer) === owner) {
      return Boolean(owner);
    }
    deps.logger.warn(
      `Registered model '${claim.modelName}' of MLflow instance '${claim.instance}' is claimed by ${accepted[0].claimerRef} (owner ${owner}) and by ${claim.claimerRef} of another owner; the model entity follows the first claim only`,
    );
    return false;
  });
}

/**
 * One pass: the claims of `claimers`, bounded to `maxModels` models; for each model found in
 * MLflow and not refused by the ownership rule, its `Resource` entity and the `API` entities of
 * the services serving it. An MLflow instance or cluster that cannot be read is reported in
 * `unavailable` (the caller then keeps the previous entities); other problems leave out one
 * model or service, logged with the reason.
 */
export async function collectModelEntities(
  claimers: Entity[],
  deps: CollectModelEntitiesDeps,
): Promise<CollectedModelEntities> {
  const { logger } = deps;
  const models = groupByModel(
    readModelClaims(claimers, deps.registries.defaultName),
  );
  const { kept, leftOut } = boundModels(models, deps.maxModels);
  if (leftOut > 0) {
    logger.warn(
      `${models.length} registered models are claimed, more than catalog.providers.mlstackModels.maxModels (${deps.maxModels}); the last ${leftOut} (by claiming entity ref and model name) are left out of this run`,
    );
  }
  const unavailable = new Set<string>();
  const index = new ServingServiceIndex(deps.clusters);
  const modelNamer = new EntityNamer('ml-model');
  const apiNamer = new EntityNamer('inference-api');
  const entities: Entity[] = [];
  let modelCount = 0;
  let apiCount = 0;

  for (const claims of kept) {
    const { instance, modelName } = claims[0];
    let model: MlflowRegisteredModel | undefined;
    try {
      model = await deps.registries.get(instance).getRegisteredModel(modelName);
    } catch (error) {
      if (isMlflowOutage(error)) {
        unavailable.add(`MLflow instance '${instance}'`);
      }
      logger.warn(
        `Cannot read registered model '${modelName}' of MLflow instance '${instance}' (claimed by ${
          claims[0].claimerRef
        }): ${reasonOf(error)}`,
      );
      continue;
    }
    if (!model) {
      logger.info(
        `${claims[0].claimerRef} claims registered model '${modelName}', which MLflow instance '${instance}' does not have; no entity for it`,
      );
      continue;
    }
    const accepted = acceptedClaims(claims, model.tags, deps);
    if (accepted.length === 0) {
      continue;
    }
    const first = accepted[0];
    const owner = ownerOfEntity(first.claimer)!;
    const modelEntityName = modelNamer.name(`${instance}\u0000${modelName}`, [
      instance,
      modelName,
    ]);
    const namespace = first.claimer.metadata.namespace ?? 'default';
    const modelRef = stringifyEntityRef({
      kind: 'resource',
      namespace,
      name: modelEntityName,
    });

    const apis: Entity[] = [];
    const serviceNames: string[] = [];
    for (const claim of accepted) {
      const services = await servicesServing(claim, index, unavailable, logger);
      for (const { cluster, service } of services) {
        const apiName = apiNamer.name(
          `${cluster}\u0000${service.namespace}\u0000${service.name}`,
          [cluster, service.namespace, service.name],
        );
        serviceNames.push(service.name);
        apis.push(
          buildInferenceApiEntity({
            name: apiName,
            cluster,
            service,
            instance,
            modelName,
            modelRef,
            claimer: first.claimer,
            claimerRef: claim.claimerRef,
            owner,
          }),
        );
      }
    }
    entities.push(
      buildModelEntity({
        name: modelEntityName,
        instance,
        model,
        claimer: first.claimer,
        claimerRefs: accepted.map(c => c.claimerRef),
        owner,
        apiRefs: apis.map(api => stringifyEntityRef(api)),
        serviceNames: Array.from(new Set(serviceNames)),
      }),
      ...apis,
    );
    modelCount += 1;
    apiCount += apis.length;
  }
  return {
    entities,
    unavailable: Array.from(unavailable),
    modelCount,
    apiCount,
  };
}

async function servicesServing(
  claim: ModelClaim,
  index: ServingServiceIndex,
  unavailable: Set<string>,
  logger: LoggerService,
): Promise<Array<{ cluster: string; service: InferenceServiceSummary }>> {
  let clusterName = 'the default cluster';
  try {
    const scope = index.scopeOf(claim.claimer);
    if (!scope) {
      return [];
    }
    clusterName = `Kubernetes cluster '${scope.cluster.name}'`;
    const services = await index.servicesServing(claim.claimer, scope, claim);
    return services.map(service => ({ cluster: scope.cluster.name, service }));
  } catch (error) {
    if (isKubernetesOutage(error)) {
      unavailable.add(clusterName);
    }
    logger.warn(
      `Cannot list the InferenceServices of ${
        claim.claimerRef
      } on ${clusterName}: ${reasonOf(error)}`,
    );
    return [];
  }
}
