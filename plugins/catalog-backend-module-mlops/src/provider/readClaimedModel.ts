import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  InferenceServiceSummary,
  MlflowOwnership,
  MlflowRegisteredModel,
  OWNER_KEY,
  ownerOfEntity,
} from '@mlstack/plugin-mlops-common';
import type { ModelClaim } from './claims';
import { isKubernetesOutage, isMlflowOutage, reasonOf } from './outages';
import { ClusterSource, ServingServiceIndex } from './servingServices';

/**
 * A registered model as the provider reads it: without its versions.
 *
 * @public
 */
export type RegisteredModelSummary = Omit<MlflowRegisteredModel, 'versions'>;

/**
 * The registries the models are read from (`MlflowInstances` of `-node` is one).
 *
 * @public
 */
export interface ModelRegistries {
  readonly defaultName: string;
  get(name?: string): {
    /** The model without its versions (one MLflow call): the entity needs none of them. */
    getRegisteredModelSummary(
      name: string,
    ): Promise<RegisteredModelSummary | undefined>;
  };
}

/**
 * What the provider reads a claimed model with: the registries, the clusters, the ownership
 * rule, and the logger for what it refuses.
 *
 * @public
 */
export interface ReadClaimedModelDeps {
  registries: ModelRegistries;
  clusters: ClusterSource;
  ownership: MlflowOwnership;
  logger: LoggerService;
}

/** A service serving the model, on the cluster it was read from. */
export interface ServingService {
  cluster: string;
  service: InferenceServiceSummary;
}

/** What was read about one claimed model. */
export type ClaimedModelReading =
  | { ingest: false; unavailable?: string }
  | {
      ingest: true;
      model: RegisteredModelSummary;
      /** The claims the ownership rule accepts, all of one owner, the first one first. */
      claims: ModelClaim[];
      owner: string;
      services: ServingService[];
      unavailable: string[];
    };

/**
 * The claims the rule lets claim the model, all of one owner. A model claimed by entities of
 * more than one owner (possible only for a model without an `mlstack.io/owner` tag, which the
 * non-strict rule lets any entity claim) is not ingested at all: whichever claim came first
 * would otherwise decide who owns the model entity (and who may deploy it).
 */
function acceptedClaims(
  claims: ModelClaim[],
  tags: Record<string, string>,
  deps: ReadClaimedModelDeps,
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
  if (accepted.length === 0) {
    return [];
  }
  const ownerless = accepted.find(claim => !ownerOfEntity(claim.claimer));
  if (ownerless) {
    deps.logger.warn(
      `Not ingesting registered model '${ownerless.modelName}' for ${ownerless.claimerRef}: the entity has no owner`,
    );
    return [];
  }
  const owners = new Set(accepted.map(claim => ownerOfEntity(claim.claimer)));
  if (owners.size > 1) {
    const { modelName, instance } = accepted[0];
    deps.logger.warn(
      `Not ingesting registered model '${modelName}' of MLflow instance '${instance}': it has no ${OWNER_KEY} tag and entities of ${
        owners.size
      } owners claim it (${accepted
        .map(claim => claim.claimerRef)
        .join(
          ', ',
        )}); tag it ${OWNER_KEY}=<owner> in MLflow to say whose it is`,
    );
    return [];
  }
  return accepted;
}

async function servicesServing(
  claim: ModelClaim,
  index: ServingServiceIndex,
  logger: LoggerService,
): Promise<{ services: ServingService[]; unavailable?: string }> {
  let clusterName = 'the default cluster';
  try {
    const scope = index.scopeOf(claim.claimer);
    if (!scope) {
      return { services: [] };
    }
    clusterName = `Kubernetes cluster '${scope.cluster.name}'`;
    const services = await index.servicesServing(claim.claimer, scope, claim);
    return {
      services: services.map(service => ({
        cluster: scope.cluster.name,
        service,
      })),
    };
  } catch (error) {
    logger.warn(
      `Cannot list the InferenceServices of ${
        claim.claimerRef
      } on ${clusterName}: ${reasonOf(error)}`,
    );
    return {
      services: [],
      unavailable: isKubernetesOutage(error) ? clusterName : undefined,
    };
  }
}

/**
 * Reads one claimed model (all its claims): the registered model from MLflow, the ownership
 * rule for each claim, and the services deployed for the accepted claimers that serve it. An
 * MLflow instance or cluster that cannot be read is named in `unavailable`.
 */
export async function readClaimedModel(
  claims: ModelClaim[],
  index: ServingServiceIndex,
  deps: ReadClaimedModelDeps,
): Promise<ClaimedModelReading> {
  const { instance, modelName, claimerRef } = claims[0];
  let model: RegisteredModelSummary | undefined;
  try {
    model = await deps.registries
      .get(instance)
      .getRegisteredModelSummary(modelName);
  } catch (error) {
    deps.logger.warn(
      `Cannot read registered model '${modelName}' of MLflow instance '${instance}' (claimed by ${claimerRef}): ${reasonOf(
        error,
      )}`,
    );
    return {
      ingest: false,
      unavailable: isMlflowOutage(error)
        ? `MLflow instance '${instance}'`
        : undefined,
    };
  }
  if (!model) {
    deps.logger.info(
      `${claimerRef} claims registered model '${modelName}', which MLflow instance '${instance}' does not have; no entity for it`,
    );
    return { ingest: false };
  }
  const accepted = acceptedClaims(claims, model.tags, deps);
  if (accepted.length === 0) {
    return { ingest: false };
  }
  const readings = await Promise.all(
    accepted.map(claim => servicesServing(claim, index, deps.logger)),
  );
  return {
    ingest: true,
    model,
    claims: accepted,
    owner: ownerOfEntity(accepted[0].claimer)!,
    services: readings.flatMap(r => r.services),
    unavailable: readings.flatMap(r => (r.unavailable ? [r.unavailable] : [])),
  };
}
