import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { buildInferenceApiEntity } from '../entities/apiEntity';
import { EntityNamer } from '../entities/entityNamer';
import { buildModelEntity } from '../entities/modelEntity';
import { boundModels, groupByModel, readModelClaims } from './claims';
import { mapWithConcurrency } from './mapWithConcurrency';
import {
  ClaimedModelReading,
  readClaimedModel,
  ReadClaimedModelDeps,
} from './readClaimedModel';
import { ServingServiceIndex } from './servingServices';

export type { ModelRegistries } from './readClaimedModel';

/** How many models are read from MLflow (and their services from the clusters) at once. */
export const MODEL_READ_CONCURRENCY = 4;

export interface CollectModelEntitiesDeps extends ReadClaimedModelDeps {
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

/** The model entity and its API entities, named in the run's order. */
function buildEntities(
  reading: Extract<ClaimedModelReading, { ingest: true }>,
  namers: { models: EntityNamer; apis: EntityNamer },
  emittedApiRefs: Set<string>,
): Entity[] {
  const { model, claims, owner } = reading;
  const first = claims[0];
  const { instance, modelName } = first;
  const name = namers.models.name(`${instance}\u0000${modelName}`, [
    instance,
    modelName,
  ]);
  const namespace = first.claimer.metadata.namespace ?? 'default';
  const modelRef = stringifyEntityRef({ kind: 'resource', namespace, name });
  const apis = reading.services.map(({ cluster, service }) =>
    buildInferenceApiEntity({
      name: namers.apis.name(
        `${cluster}\u0000${service.namespace}\u0000${service.name}`,
        [cluster, service.namespace, service.name],
      ),
      cluster,
      service,
      instance,
      modelName,
      modelRef,
      claimer: first.claimer,
      claimerRef: service.deployedFor ?? first.claimerRef,
      owner,
    }),
  );
  const apiRefs = apis.map(api => stringifyEntityRef(api));
  // A service whose canary serves another claimed model is one API, provided by both models.
  const newApis = apis.filter((_, i) => !emittedApiRefs.has(apiRefs[i]));
  apiRefs.forEach(ref => emittedApiRefs.add(ref));
  const modelEntity = buildModelEntity({
    name,
    instance,
    model,
    claimer: first.claimer,
    claimerRefs: claims.map(c => c.claimerRef),
    owner,
    apiRefs,
    serviceNames: Array.from(
      new Set(reading.services.map(s => s.service.name)),
    ),
  });
  return [modelEntity, ...newApis];
}

/**
 * One pass: the claims of `claimers`, bounded to `maxModels` models; for each model found in
 * MLflow and not refused by the ownership rule, its `Resource` entity and the `API` entities of
 * the services serving it. Models are read a few at a time; names are given afterwards in the
 * claims' order, so they do not depend on which answer came first. An MLflow instance or
 * cluster that cannot be read is reported in `unavailable` (the caller then keeps the previous
 * entities); other problems leave out one model or service, logged with the reason.
 */
export async function collectModelEntities(
  claimers: Entity[],
  deps: CollectModelEntitiesDeps,
): Promise<CollectedModelEntities> {
  const models = groupByModel(
    readModelClaims(claimers, deps.registries.defaultName),
  );
  const { kept, leftOut } = boundModels(models, deps.maxModels);
  if (leftOut > 0) {
    deps.logger.warn(
      `${models.length} registered models are claimed, more than catalog.providers.mlstackModels.maxModels (${deps.maxModels}); the last ${leftOut} (by claiming entity ref and model name) are left out of this run`,
    );
  }
  const index = new ServingServiceIndex(deps.clusters);
  const readings = await mapWithConcurrency(
    kept,
    MODEL_READ_CONCURRENCY,
    claims => readClaimedModel(claims, index, deps),
  );
  const unavailable = new Set<string>();
  const namers = {
    models: new EntityNamer('ml-model'),
    apis: new EntityNamer('inference-api'),
  };
  const entities: Entity[] = [];
  const emittedApiRefs = new Set<string>();
  let modelCount = 0;
  for (const reading of readings) {
    if (!reading.ingest) {
      if (reading.unavailable) {
        unavailable.add(reading.unavailable);
      }
      continue;
    }
    reading.unavailable.forEach(u => unavailable.add(u));
    entities.push(...buildEntities(reading, namers, emittedApiRefs));
    modelCount += 1;
  }
  return {
    entities,
    unavailable: Array.from(unavailable),
    modelCount,
    apiCount: entities.length - modelCount,
  };
}
