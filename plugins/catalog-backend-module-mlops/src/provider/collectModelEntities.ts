import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { MLFLOW_REGISTERED_MODEL_ANNOTATION } from '@mlstack/plugin-mlops-common';
import { buildInferenceApiEntity } from '../entities/apiEntity';
import { EntityNamer } from '../entities/entityNamer';
import { buildModelEntity } from '../entities/modelEntity';
import {
  groupByModel,
  MAX_CLAIMS_PER_ENTITY,
  ModelClaim,
  modelKey,
  readModelClaims,
} from './claims';
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

/**
 * What a pass of the provider reads with, and how many models it ingests at most.
 *
 * @public
 */
export interface CollectModelEntitiesDeps extends ReadClaimedModelDeps {
  maxModels: number;
}

/** Reads claimers by entity ref (those the catalog no longer has are left out). */
export type ReadClaimersByRef = (refs: string[]) => Promise<Entity[]>;

/** What one page of claimers gave: its entities, or the upstreams it could not read. */
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
 * One pass over the claimers, a page at a time. The pass keeps strings only between pages: the
 * names given so far, the API refs emitted, the models seen (for `maxModels`) and, for each model
 * read, the refs of its claimers. For each page: the claims of its claimers, the first
 * `maxModels` models of the pass (in the pass's order: page by page, then by claiming entity
 * ref and model name); for each model found in MLflow and not refused by the ownership rule,
 * its `Resource` entity and the `API` entities of the services serving it. A model an earlier
 * page already read and this page claims again is read again with the earlier claimers
 * (re-read by ref, they come first) so its entity names all of them. Models are read a few at a
 * time; names are given in the claims' order, so they do not depend on which answer came first.
 * An MLflow instance or cluster that cannot be read is reported in `unavailable` (the caller
 * then keeps the page's previous entities); other problems leave out one model or service,
 * logged with the reason.
 */
export class ModelPassCollector {
  readonly #namers = {
    models: new EntityNamer('ml-model'),
    apis: new EntityNamer('inference-api'),
  };
  readonly #emittedApiRefs = new Set<string>();
  /** Model key → the refs of its claimers, for the models this pass reads. */
  readonly #claimerRefsByModel = new Map<string, string[]>();
  /** Model keys ingested so far (what `maxModels` counts: a name MLflow lacks costs nothing). */
  readonly #ingestedModels = new Set<string>();
  /** Model keys found and accepted past `maxModels`. */
  readonly #leftOutModels = new Set<string>();

  constructor(
    private readonly deps: CollectModelEntitiesDeps,
    private readonly readClaimersByRef: ReadClaimersByRef = async () => [],
  ) {}

  /** How many models this pass left out so far because of `maxModels`. */
  get leftOut(): number {
    return this.#leftOutModels.size;
  }

  async collectPage(claimers: Entity[]): Promise<CollectedModelEntities> {
    const models = await this.boundedModels(claimers);
    // The services of the page's claimers are listed a namespace at a time.
    const index = new ServingServiceIndex(
      this.deps.clusters,
      models.flatMap(claims => claims.map(c => c.claimer)),
    );
    const readings = await mapWithConcurrency(
      models,
      MODEL_READ_CONCURRENCY,
      claims => readClaimedModel(claims, index, this.deps),
    );
    const unavailable = new Set<string>();
    const entities: Entity[] = [];
    let modelCount = 0;
    for (const reading of readings) {
      if (!reading.ingest) {
        if (reading.unavailable) {
          unavailable.add(reading.unavailable);
        }
        continue;
      }
      reading.unavailable.forEach(u => unavailable.add(u));
      if (!this.withinBound(modelKey(reading.claims[0]))) {
        continue;
      }
      entities.push(
        ...buildEntities(reading, this.#namers, this.#emittedApiRefs),
      );
      modelCount += 1;
    }
    return {
      entities,
      unavailable: Array.from(unavailable),
      modelCount,
      apiCount: entities.length - modelCount,
    };
  }

  /** The page's models within `maxModels`, each with the claims earlier pages made of it. */
  private async boundedModels(claimers: Entity[]): Promise<ModelClaim[][]> {
    const groups = groupByModel(
      readModelClaims(
        claimers,
        this.deps.registries.defaultName,
        (claimerRef, names) =>
          this.deps.logger.warn(
            `${claimerRef} names ${names} registered models (${MLFLOW_REGISTERED_MODEL_ANNOTATION}); only its first ${MAX_CLAIMS_PER_ENTITY} are read`,
          ),
      ),
    );
    const kept = groups;
    const earlierRefs = new Set(
      kept.flatMap(claims => {
        const own = new Set(claims.map(c => c.claimerRef));
        return (this.#claimerRefsByModel.get(modelKey(claims[0])) ?? []).filter(
          ref => !own.has(ref),
        );
      }),
    );
    const earlierClaims =
      earlierRefs.size > 0
        ? readModelClaims(
            await this.readClaimersByRef(Array.from(earlierRefs)),
            this.deps.registries.defaultName,
          )
        : [];
    return kept.map(claims => {
      const key = modelKey(claims[0]);
      const known = new Set(this.#claimerRefsByModel.get(key) ?? []);
      const merged = [
        ...earlierClaims.filter(
          c => modelKey(c) === key && known.has(c.claimerRef),
        ),
        ...claims.filter(c => !known.has(c.claimerRef)),
      ];
      this.#claimerRefsByModel.set(
        key,
        merged.map(c => c.claimerRef),
      );
      return merged;
    });
  }

  /**
   * Whether a model found in MLflow and accepted is within `maxModels` (counted in the order
   * the pass ingests them: page by page, then by claiming entity ref and model name).
   */
  private withinBound(key: string): boolean {
    if (this.#ingestedModels.has(key)) {
      return true;
    }
    if (this.#ingestedModels.size >= this.deps.maxModels) {
      this.#leftOutModels.add(key);
      return false;
    }
    this.#ingestedModels.add(key);
    return true;
  }

  /** Logs how many models the pass left out because of `maxModels`, if any. */
  warnLeftOut(): void {
    if (this.leftOut === 0) {
      return;
    }
    const total = this.#ingestedModels.size + this.leftOut;
    this.deps.logger.warn(
      `${total} registered models are claimed, more than catalog.providers.mlstackModels.maxModels (${this.deps.maxModels}); the last ${this.leftOut} (by page of claiming entities, then claiming entity ref and model name) are left out of this run`,
    );
  }
}

/** One pass over one page of claimers (all of them, when they fit in memory). */
export async function collectModelEntities(
  claimers: Entity[],
  deps: CollectModelEntitiesDeps,
): Promise<CollectedModelEntities> {
  const pass = new ModelPassCollector(deps);
  const collected = await pass.collectPage(claimers);
  pass.warnLeftOut();
  return collected;
}
