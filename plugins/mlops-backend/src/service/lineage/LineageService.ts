import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ArgoWorkflowSummary,
  LINEAGE_MAX_VERSIONS,
  LineageResponse,
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
  MlflowModelVersion,
  MlflowRunDetail,
  parseNameList,
} from '@mlstack/plugin-mlops-common';
import {
  Fetched,
  buildLineageGraph,
  isValue,
  runLineageTags,
  selectLineageVersions,
} from '@mlstack/plugin-mlops-node';
import type { ArgoEntityService } from '../argo/ArgoEntityService';
import type { KServeEntityService } from '../kserve/KServeEntityService';
import { isErrorNamed } from '../kubernetes/errors';
import type { MlflowEntityService } from '../mlflow/MlflowEntityService';

const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';

export interface LineageQuery {
  model?: string;
  version?: string;
  alias?: string;
}

/** A read as the lineage takes it: NotFoundError is `missing`, any other error is its message. */
async function fetched<T>(read: Promise<T>): Promise<Fetched<T>> {
  try {
    return { value: await read };
  } catch (error) {
    if (isErrorNamed(error, 'NotFoundError')) {
      return { missing: true };
    }
    return { error: (error as Error).message ?? String(error) };
  }
}

/**
 * One batched read of several keys, as the lineage takes it: each key found is its value, a
 * key the batch left out is `missing`, and a failing batch is every key's error.
 */
async function fetchedEach<T>(
  keys: Iterable<string>,
  readBatch: (keys: string[]) => Promise<Map<string, T>>,
): Promise<Map<string, Fetched<T>>> {
  const unique = Array.from(new Set(keys));
  if (unique.length === 0) {
    return new Map();
  }
  const batch = await fetched(readBatch(unique));
  return new Map(
    unique.map((key): [string, Fetched<T>] => {
      if (!isValue(batch)) {
        return [key, batch];
      }
      const value = batch.value.get(key);
      return [key, value === undefined ? { missing: true } : { value }];
    }),
  );
}

/**
 * The lineage of one of an entity's registered models. Every read goes through the services
 * the MLflow, Pipelines and Serving tabs use, so it stays within the entity's scope (its
 * experiments, models, workflows and services) and is made for the entity the caller could
 * read. Upstream calls, bounded independently of the number of versions (N ≤
 * LINEAGE_MAX_VERSIONS shown):
 *
 * - MLflow: the entity's registered models with their versions (`registered-models/get` +
 *   `model-versions/search`, one page of up to 10,000 versions, per model), the experiment
 *   ids (cached), then the runs of the shown versions in one `runs/search` per 200 distinct
 *   run ids (`attributes.run_id IN (…)` over the entity's experiments: one for N ≤ 200);
 * - Kubernetes: the entity's workflows, listed once (from the watch cache: no call; else one
 *   `list` per selector per 500 workflows, stopping when every tagged workflow is found),
 *   matched by name; the entity's InferenceServices as the Serving tab lists them.
 *
 * The services and the first page of workflows are read alongside MLflow; runs follow. A failing upstream
 * leaves its part out with a gap; the rest is still returned.
 */
export class LineageService {
  constructor(
    private readonly deps: {
      mlflow: MlflowEntityService;
      workflows: ArgoEntityService;
      services: KServeEntityService;
    },
  ) {}

  async lineage(
    requested: Entity,
    query: LineageQuery,
  ): Promise<LineageResponse> {
    // The registry is read once for the versions and the services' version links.
    const entity = this.deps.mlflow.forOneRequest(requested);
    const model = this.modelOf(entity, query.model);
    const focus = {
      ...(query.version !== undefined ? { version: query.version } : {}),
      ...(query.alias !== undefined ? { alias: query.alias } : {}),
    };
    // Started first, alongside MLflow; `fetched` never rejects.
    const services = fetched(
      this.deps.services.listServices(entity).then(r => r.services),
    );

    // The entity's workflow list is read alongside too; the names come from the runs.
    const workflowLookup = this.deps.workflows.workflowLookup(entity);

    const registry = await fetched(this.versionsOf(entity, model));
    let shown: Fetched<MlflowModelVersion[]> = registry;
    let capped = 0;
    if (isValue(registry)) {
      const selection = selectLineageVersions(
        model,
        registry.value,
        focus,
        LINEAGE_MAX_VERSIONS,
      );
      if ('notFound' in selection) {
        throw new NotFoundError(selection.notFound);
      }
      shown = { value: selection.versions };
      capped = selection.capped;
    }

    const runIds = isValue(shown)
      ? shown.value.flatMap(v => (v.runId ? [v.runId] : []))
      : [];
    const runs = await fetchedEach<MlflowRunDetail>(runIds, ids =>
      this.deps.mlflow.getRunsByIds(entity, ids),
    );
    const workflowNames = Array.from(runs.values()).flatMap(run =>
      isValue(run) && runLineageTags(run.value).workflow
        ? [runLineageTags(run.value).workflow!]
        : [],
    );
    const workflows = await fetchedEach<ArgoWorkflowSummary>(
      workflowNames,
      names => workflowLookup.find(names),
    );

    const graph = buildLineageGraph({
      model,
      sourceLocation: entity.metadata.annotations?.[SOURCE_LOCATION_ANNOTATION],
      versions: shown,
      cappedVersions: capped,
      maxVersions: LINEAGE_MAX_VERSIONS,
      focused: focus.version !== undefined || focus.alias !== undefined,
      runs,
      workflows,
      services: await services,
    });
    return {
      model,
      models: parseNameList(
        entity.metadata.annotations?.[MLFLOW_REGISTERED_MODEL_ANNOTATION],
      ),
      focus,
      versions: isValue(registry)
        ? registry.value.map(v => ({ version: v.version, aliases: v.aliases }))
        : [],
      ...graph,
    };
  }

  /** The model asked for, else the entity's first; 400 naming `model` when it is not one of them. */
  private modelOf(entity: Entity, asked: string | undefined): string {
    const models = parseNameList(
      entity.metadata.annotations?.[MLFLOW_REGISTERED_MODEL_ANNOTATION],
    );
    if (models.length === 0) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} names no registered model (${MLFLOW_REGISTERED_MODEL_ANNOTATION}): it has no lineage`,
      );
    }
    if (asked === undefined) {
      return models[0];
    }
    if (!models.includes(asked)) {
      throw new InputError(
        `Invalid request: model: ${asked} is not one of the registered models of ${stringifyEntityRef(
          entity,
        )} (${models.join(', ')})`,
      );
    }
    return asked;
  }

  /** The model's versions, newest first; NotFoundError when the registry has none the entity may read. */
  private async versionsOf(
    entity: Entity,
    model: string,
  ): Promise<MlflowModelVersion[]> {
    const { models } = await this.deps.mlflow.getModels(entity);
    const found = models.find(m => m.name === model);
    if (!found) {
      throw new NotFoundError(`No registered model ${model}`);
    }
    return found.versions;
  }
}
