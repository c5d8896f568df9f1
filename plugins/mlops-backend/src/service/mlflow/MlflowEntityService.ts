// Over 300 lines: every MLflow read an entity page makes (experiments, runs, metrics, artifacts,
// registered and logged models, a version's origin), each checked against the same entity scope
// (the entity's experiments and models) that this class resolves once.
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  MLFLOW_EXPERIMENT_NAME_ANNOTATION,
  MLFLOW_INSTANCE_ANNOTATION,
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
  MlflowArtifactPage,
  MlflowExperiment,
  MlflowExperimentsResponse,
  MlflowLoggedModelsResponse,
  MlflowMetricHistory,
  MlflowModelsResponse,
  MlflowRunDetail,
  MlflowRunPage,
  MlflowRefusedObject,
  OwnershipClaim,
  parseNameList,
} from '@mlstack/plugin-mlops-common';
import type { MlflowClient, MlflowInstances } from '@mlstack/plugin-mlops-node';
import { ExperimentCache } from './ExperimentCache';
import { MlflowOwnership, MlflowOwnershipJudgement } from './MlflowOwnership';
import { BoundedMap } from './BoundedMap';
import { RunScope, RunScopeMemory, sameScope } from './RunScopeMemory';
import { notInScope, orNotInScope } from '../notInScope';

export interface RunSearchQuery {
  experimentIds?: string[];
  filter?: string;
  orderBy?: string[];
  pageToken?: string;
  maxResults?: number;
}

/**
 * The objects an annotation names, sorted: those MLflow has and the entity may read (with
 * their claim), the names MLflow does not know, and those of another owner with the reason.
 */
function sortByClaim<T>(
  names: string[],
  found: Array<T | null | undefined>,
  judge: (object: T) => MlflowOwnershipJudgement,
) {
  const sorted = {
    claimed: [] as Array<T & { claim: OwnershipClaim }>,
    missing: [] as string[],
    refused: [] as MlflowRefusedObject[],
  };
  found.forEach((object, i) => {
    if (!object) {
      sorted.missing.push(names[i]);
      return;
    }
    const judgement = judge(object);
    if ('refused' in judgement) {
      sorted.refused.push({ name: names[i], reason: judgement.refused });
    } else {
      sorted.claimed.push({ ...object, claim: judgement.claim });
    }
  });
  return sorted;
}

/**
 * MLflow as one entity sees it: only the experiments and registered models its annotations
 * name, on the instance its annotation names (or the default one). Every run, artifact or
 * metric asked for is checked to belong to one of those experiments.
 */
export class MlflowEntityService {
  private readonly instances: MlflowInstances;
  private readonly experiments: ExperimentCache;
  private readonly runScopes = new RunScopeMemory();
  /** instance + run id → experiment id (immutable in MLflow), bounded. */
  private readonly runExperiments = new BoundedMap<string, string>(10_000);

  private readonly ownership: MlflowOwnership;
  /** getModels reads, by the entity object they are for (gone with it). */
  private readonly modelReads = new WeakMap<
    Entity,
    { read: Promise<MlflowModelsResponse>; settled: boolean }
  >();
  /** Entities of forOneRequest: their settled getModels read is reused. */
  private readonly oneRequest = new WeakSet<Entity>();

  constructor(options: {
    instances: MlflowInstances;
    experimentCache?: ExperimentCache;
    /** Default: unclaimed objects allowed (not strict). */
    ownership?: MlflowOwnership;
  }) {
    this.instances = options.instances;
    this.experiments = options.experimentCache ?? new ExperimentCache();
    this.ownership =
      options.ownership ?? new MlflowOwnership({ strict: false });
  }

  async getExperiments(entity: Entity): Promise<MlflowExperimentsResponse> {
    const client = this.clientFor(entity);
    const names = parseNameList(
      entity.metadata.annotations?.[MLFLOW_EXPERIMENT_NAME_ANNOTATION],
    );
    const found = await Promise.all(
      names.map(name => this.experimentByName(client, name)),
    );
    const sorted = sortByClaim(names, found, experiment =>
      this.judgeExperiment(experiment, entity),
    );
    return {
      instance: client.name,
      uiBaseUrl: client.uiBaseUrl,
      experiments: sorted.claimed,
      missingExperiments: sorted.missing,
      refusedExperiments: sorted.refused,
    };
  }

  /**
   * One page of the entity's runs: a single `runs/search` call.
   *
   * `loadEntity` is the catalog lookup with the caller's credentials; this method starts it.
   * When this entity's run scope is known from an earlier authorised search, the MLflow call
   * starts at once, alongside the lookup, and its page is used only if the lookup succeeds and
   * the entity still resolves to the same scope; otherwise it is dropped and the search is
   * made again. Nothing is returned to a caller the catalog did not let through.
   */
  async searchRuns(
    entityRef: string,
    loadEntity: () => Promise<Entity>,
    query: RunSearchQuery,
  ): Promise<MlflowRunPage> {
    const remembered = query.experimentIds?.length
      ? undefined
      : this.runScopes.get(entityRef);
    const early = remembered && this.searchScope(remembered, query);
    // The early page may be dropped unread: its failure must not go unhandled.
    early?.catch(() => undefined);
    // Started after the early search, so that nothing between here and its await can throw.
    const entity = loadEntity();

    const resolved = await entity;
    const client = this.clientFor(resolved);
    const scope: RunScope = {
      instance: client.name,
      experimentIds: await this.scopeExperimentIds(
        client,
        resolved,
        query.experimentIds,
      ),
    };
    if (scope.experimentIds.length === 0) {
      return { runs: [], metricKeys: [], paramKeys: [] };
    }
    if (!query.experimentIds?.length) {
      this.runScopes.remember(stringifyEntityRef(resolved), scope);
    }
    if (early && remembered && sameScope(remembered, scope)) {
      return early;
    }
    return this.searchScope(scope, query);
  }

  private searchScope(scope: RunScope, query: RunSearchQuery) {
    return this.instances.get(scope.instance).searchRuns({
      experimentIds: scope.experimentIds,
      filter: query.filter,
      orderBy: query.orderBy,
      pageToken: query.pageToken,
      maxResults: query.maxResults,
    });
  }

  async getRun(entity: Entity, runId: string): Promise<MlflowRunDetail> {
    const client = this.clientFor(entity);
    const run = await orNotInScope(client.getRun(runId), () =>
      notInScope.run(runId, stringifyEntityRef(entity)),
    );
    this.runExperiments.set(`${client.name}\u0000${runId}`, run.experimentId);
    await this.assertInScope(client, entity, runId, run.experimentId);
    return run;
  }

  /**
   * The runs of these ids that are in the entity's experiments (the same scope as `getRun`):
   * run id → run. An id MLflow does not have, or a run of another experiment, is not in the
   * map. Batched: one `runs/search` per 200 ids (MlflowClient.searchRunDetailsByIds), none
   * when the entity has no experiment of its own.
   */
  async getRunsByIds(
    entity: Entity,
    runIds: string[],
  ): Promise<Map<string, MlflowRunDetail>> {
    const client = this.clientFor(entity);
    const experimentIds = await this.scopeExperimentIds(
      client,
      entity,
      undefined,
    );
    const runs = await client.searchRunDetailsByIds({ experimentIds, runIds });
    const found = new Map<string, MlflowRunDetail>();
    for (const run of runs) {
      // MLflow searched only these experiments; checked again, as getRun does.
      if (experimentIds.includes(run.experimentId)) {
        this.runExperiments.set(
          `${client.name}\u0000${run.runId}`,
          run.experimentId,
        );
        found.set(run.runId, run);
      }
    }
    return found;
  }

  async getMetricHistory(
    entity: Entity,
    runId: string,
    metricKey: string,
    maxResults?: number,
  ): Promise<MlflowMetricHistory> {
    const client = this.clientFor(entity);
    await this.assertRunInScope(client, entity, runId);
    return client.getMetricHistory({ runId, metricKey, maxResults });
  }

  async listArtifacts(
    entity: Entity,
    runId: string,
    options: { path?: string; pageToken?: string },
  ): Promise<MlflowArtifactPage> {
    const client = this.clientFor(entity);
    await this.assertRunInScope(client, entity, runId);
    return client.listArtifacts({ runId, ...options });
  }

  /**
   * The registered models the entity names, each with all its versions
   * (`registered-models/get` + `model-versions/search` per model). A read for the same entity
   * object is shared while in flight; for an entity made by `forOneRequest`, also after it
   * settled (the lineage and its services' version links then read the registry once).
   */
  getModels(entity: Entity): Promise<MlflowModelsResponse> {
    const earlier = this.modelReads.get(entity);
    if (earlier && (!earlier.settled || this.oneRequest.has(entity))) {
      return earlier.read;
    }
    const entry: { read: Promise<MlflowModelsResponse>; settled: boolean } = {
      settled: false,
      read: this.readModels(entity).finally(() => {
        entry.settled = true;
      }),
    };
    this.modelReads.set(entity, entry);
    return entry.read;
  }

  /**
   * A copy of the entity for the reads of one request: its getModels read is made once and
   * shared by every read of that request, and forgotten with the copy (an entity that already
   * is such a copy is returned as it is).
   */
  forOneRequest(entity: Entity): Entity {
    if (this.oneRequest.has(entity)) {
      return entity;
    }
    const copy = { ...entity };
    this.oneRequest.add(copy);
    return copy;
  }

  private async readModels(entity: Entity): Promise<MlflowModelsResponse> {
    const client = this.clientFor(entity);
    const names = parseNameList(
      entity.metadata.annotations?.[MLFLOW_REGISTERED_MODEL_ANNOTATION],
    );
    const found = await Promise.all(
      names.map(name => client.getRegisteredModel(name)),
    );
    const sorted = sortByClaim(names, found, model =>
      this.ownership.judge(
        `Registered model '${model.name}'`,
        model.tags,
        entity,
      ),
    );
    return {
      instance: client.name,
      models: sorted.claimed,
      missingModels: sorted.missing,
      refusedModels: sorted.refused,
    };
  }

  /**
   * Where a version of one of the entity's registered models is (`get-download-uri`). The
   * model is checked to be the entity's through getModels (shared within a request of
   * `forOneRequest`, so the services' version links add no registry read per version).
   */
  async getModelVersionDownloadUri(
    entity: Entity,
    modelName: string,
    version: string,
  ): Promise<string> {
    const { models } = await this.getModels(entity);
    if (!models.some(model => model.name === modelName)) {
      throw new NotFoundError(
        `Registered model ${modelName} is not one of the models of ${entity.metadata.name}`,
      );
    }
    return this.clientFor(entity).getModelVersionDownloadUri(
      modelName,
      version,
    );
  }

  /** The MLflow client of the entity's instance (`mlflow.org/instance`, else the default). */
  clientOf(entity: Entity): MlflowClient {
    return this.clientFor(entity);
  }

  /**
   * Throws NotFoundError unless a model to deploy is the entity's: a registered model it names
   * (and that is not another owner's), or a logged model of one of its experiments. One
   * `registered-models/get` (or none: the experiments are cached).
   */
  async assertModelOrigin(
    entity: Entity,
    origin: { modelName?: string; experimentId?: string },
  ): Promise<void> {
    const client = this.clientFor(entity);
    const entityName = stringifyEntityRef(entity);
    if (origin.modelName !== undefined) {
      const names = parseNameList(
        entity.metadata.annotations?.[MLFLOW_REGISTERED_MODEL_ANNOTATION],
      );
      const tags = names.includes(origin.modelName)
        ? await client.getRegisteredModelTags(origin.modelName)
        : undefined;
      const judgement =
        tags &&
        this.ownership.judge(
          `Registered model '${origin.modelName}'`,
          tags,
          entity,
        );
      if (!judgement || 'refused' in judgement) {
        throw new NotFoundError(
          `Registered model ${
            origin.modelName
          } is not one of the models of ${entityName}${
            judgement && 'refused' in judgement ? `: ${judgement.refused}` : ''
          }`,
        );
      }
      return;
    }
    const ids = await this.scopeExperimentIds(client, entity, undefined);
    if (!origin.experimentId || !ids.includes(origin.experimentId)) {
      throw new NotFoundError(
        `The logged model is not in one of the experiments of ${entityName}`,
      );
    }
  }

  async getLoggedModels(
    entity: Entity,
    query: {
      experimentIds?: string[];
      pageToken?: string;
      maxResults?: number;
    },
  ): Promise<MlflowLoggedModelsResponse> {
    const client = this.clientFor(entity);
    const experimentIds = await this.scopeExperimentIds(
      client,
      entity,
      query.experimentIds,
    );
    if (experimentIds.length === 0) {
      return { models: [] };
    }
    return client.searchLoggedModels({
      experimentIds,
      pageToken: query.pageToken,
      maxResults: query.maxResults,
    });
  }

  /**
   * Checks that a run belongs to the entity's experiments. A run never changes experiment, so
   * its experiment id is remembered: the charts and artifacts of an open run cost no extra
   * `runs/get` each.
   */
  private async assertRunInScope(
    client: MlflowClient,
    entity: Entity,
    runId: string,
  ): Promise<void> {
    const key = `${client.name}\u0000${runId}`;
    let experimentId = this.runExperiments.get(key);
    if (experimentId === undefined) {
      experimentId = (
        await orNotInScope(client.getRun(runId), () =>
          notInScope.run(runId, stringifyEntityRef(entity)),
        )
      ).experimentId;
      this.runExperiments.set(key, experimentId);
    }
    await this.assertInScope(client, entity, runId, experimentId);
  }

  private async assertInScope(
    client: MlflowClient,
    entity: Entity,
    runId: string,
    experimentId: string,
  ): Promise<void> {
    const allowed = await this.scopeExperimentIds(client, entity, undefined);
    if (!allowed.includes(experimentId)) {
      throw notInScope.run(runId, stringifyEntityRef(entity));
    }
  }

  private judgeExperiment(experiment: MlflowExperiment, entity: Entity) {
    return this.ownership.judge(
      `Experiment '${experiment.name}'`,
      experiment.tags,
      entity,
    );
  }

  private clientFor(entity: Entity): MlflowClient {
    const instance = entity.metadata.annotations?.[MLFLOW_INSTANCE_ANNOTATION];
    return this.instances.get(instance?.trim() || undefined);
  }

  private async experimentByName(
    client: MlflowClient,
    name: string,
  ): Promise<MlflowExperiment | null> {
    const cached = this.experiments.get(client.name, name);
    if (cached !== undefined) {
      return cached;
    }
    const experiment = (await client.getExperimentByName(name)) ?? null;
    this.experiments.set(client.name, name, experiment);
    return experiment;
  }

  /**
   * The entity's experiment ids, narrowed to `requested` when given. Asking for an
   * experiment the entity does not name is a bad request, not a way to read it.
   */
  private async scopeExperimentIds(
    client: MlflowClient,
    entity: Entity,
    requested: string[] | undefined,
  ): Promise<string[]> {
    const names = parseNameList(
      entity.metadata.annotations?.[MLFLOW_EXPERIMENT_NAME_ANNOTATION],
    );
    const experiments = await Promise.all(
      names.map(name => this.experimentByName(client, name)),
    );
    // Experiments of another owner (and unclaimed ones, in strict mode) are not the entity's.
    const ids = experiments.flatMap(e =>
      e && 'claim' in this.judgeExperiment(e, entity) ? [e.experimentId] : [],
    );
    if (!requested || requested.length === 0) {
      return ids;
    }
    const foreign = requested.filter(id => !ids.includes(id));
    if (foreign.length > 0) {
      throw new InputError(
        `Experiment id(s) ${foreign.join(
          ', ',
        )} are not among the experiments named by ` +
          `${MLFLOW_EXPERIMENT_NAME_ANNOTATION} on ${entity.metadata.name}`,
      );
    }
    return requested;
  }
}
