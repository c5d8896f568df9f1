// Over 300 lines: one typed method per MLflow REST call the plugins make (22), each a few lines
// over the shared transport (transport.ts). Split by resource, one client's surface would be
// scattered over files that each import the same transport and errors.
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  MlflowArtifactPage,
  MlflowExperiment,
  MlflowLoggedModel,
  MlflowMetric,
  MlflowMetricHistory,
  MlflowModelVersion,
  MlflowRegisteredModel,
  MlflowRunDetail,
  MlflowRunPage,
} from '@mlstack/plugin-mlops-common';
import { DEFAULT_MLFLOW_TIMEOUT_MS } from './config';
import { unknownAliasAsNotFound } from './errors';
import { modelNameFilter } from './filters';
import {
  compareMetricPoints,
  nonEmpty,
  normaliseArtifactPage,
  normaliseExperiment,
  normaliseLoggedModel,
  normaliseMetric,
  normaliseModelVersion,
  normaliseRegisteredModel,
  normaliseRun,
  normaliseRunDetail,
  unionOfKeys,
} from './normalise';
import type {
  RestCreateExperimentResponse,
  RestGetExperimentResponse,
  RestGetMetricHistoryResponse,
  RestGetModelVersionDownloadUriResponse,
  RestGetModelVersionResponse,
  RestGetRegisteredModelResponse,
  RestGetRunResponse,
  RestListArtifactsResponse,
  RestLoggedModel,
  RestModelVersion,
  RestSearchLoggedModelsResponse,
  RestSearchModelVersionsResponse,
  RestSearchRunsResponse,
} from './rest';
import { forEachPage } from './paging';
import type {
  MlflowClientOptions,
  MlflowCreateExperimentRequest,
  MlflowCreateRegisteredModelRequest,
  MlflowGetMetricHistoryRequest,
  MlflowListArtifactsRequest,
  MlflowLoggedModelPage,
  MlflowSearchLoggedModelsRequest,
  MlflowSearchRunsRequest,
} from './requests';
import { MlflowCall, MlflowTransport } from './transport';
import { MlflowUiLinks } from './uiLinks';

/**
 * Run ids in one `runs/search` of `searchRunDetailsByIds` (one page: max_results = ids, under
 * MLflow's 1000; the IN list far under SQLite's 999 bound variables). 200: the lineage's
 * versions in one call, as a one-worker MLflow serves parallel calls one after another anyway.
 */
export const MLFLOW_RUN_IDS_PER_SEARCH = 200;
/** What MLflow run ids are made of (32 hex digits; imported runs may differ, never quotes). */
const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
export const DEFAULT_RETRY_DELAYS_MS = [250, 750];
export const DEFAULT_METRIC_HISTORY_MAX_RESULTS = 10000;
/** The largest page `metrics/get-history` serves (`GET_METRIC_HISTORY_MAX_RESULTS`). */
const METRIC_HISTORY_PAGE_LIMIT = 25000;

/**
 * A typed client of one MLflow 3 tracking server and model registry: reads, plus the writes
 * the scaffolder needs (create an experiment, set an experiment tag, create a registered model). Answers are
 * normalised into the shapes of `@mlstack/plugin-mlops-common`, each with a deep link into the
 * MLflow UI. Failures are Backstage errors: InputError (MLflow rejected a parameter, e.g. a
 * malformed filter), NotFoundError, NotAllowedError (credentials rejected) and
 * ServiceUnavailableError (unreachable, timed out, 5xx, or not MLflow's JSON), each with the
 * cause kept.
 *
 * @public
 */
export class MlflowClient {
  /** The instance's configured name. */
  readonly name: string;
  /** Base URL of the instance's UI, for links. */
  readonly uiBaseUrl: string;
  /** Where the server stores `mlflow-artifacts:/` files (config `artifactsDestination`). */
  readonly artifactsDestination?: string;
  readonly #transport: MlflowTransport;
  readonly #links: MlflowUiLinks;

  constructor(options: MlflowClientOptions) {
    this.name = options.name;
    this.#links = new MlflowUiLinks(options.uiUrl ?? options.baseUrl);
    this.uiBaseUrl = this.#links.baseUrl;
    this.artifactsDestination = options.artifactsDestination;
    this.#transport = new MlflowTransport({
      instanceName: options.name,
      baseUrl: options.baseUrl,
      credentials: options.credentials,
      timeoutMs: options.timeoutMs ?? DEFAULT_MLFLOW_TIMEOUT_MS,
      retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
      fetch: options.fetch,
      logger: options.logger,
    });
  }

  /** The experiment with this name, or undefined if MLflow has none. */
  async getExperimentByName(
    name: string,
  ): Promise<MlflowExperiment | undefined> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'experiments/get-by-name',
      query: { experiment_name: name },
      idempotent: true,
    };
    const response = await this.orUndefinedIfMissing(
      this.#transport.call<RestGetExperimentResponse>(call),
    );
    return (
      response &&
      normaliseExperiment(
        this.required(call, response, 'experiment'),
        this.#links,
      )
    );
  }

  async getExperiment(experimentId: string): Promise<MlflowExperiment> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'experiments/get',
      query: { experiment_id: experimentId },
      idempotent: true,
    };
    const response = await this.#transport.call<RestGetExperimentResponse>(
      call,
    );
    return normaliseExperiment(
      this.required(call, response, 'experiment'),
      this.#links,
    );
  }

  /**
   * Creates an experiment and returns its id. A name already taken (even by a deleted
   * experiment) is a ConflictError with MLflow's message. Not retried: a lost answer could
   * otherwise turn into a second create.
   */
  async createExperiment(
    request: MlflowCreateExperimentRequest,
  ): Promise<string> {
    const call: MlflowCall = {
      method: 'POST',
      path: 'experiments/create',
      body: {
        name: request.name,
        artifact_location: request.artifactLocation || undefined,
        tags: request.tags
          ? Object.entries(request.tags).map(([key, value]) => ({
              key,
              value,
            }))
          : undefined,
      },
      idempotent: false,
    };
    const response = await this.#transport.call<RestCreateExperimentResponse>(
      call,
    );
    return this.required(call, response, 'experiment_id');
  }

  /**
   * Creates a registered model without versions. A name already taken is a ConflictError with
   * MLflow's message. Not retried: a lost answer could otherwise turn into a second create.
   */
  async createRegisteredModel(
    request: MlflowCreateRegisteredModelRequest,
  ): Promise<void> {
    await this.#transport.call<object>({
      method: 'POST',
      path: 'registered-models/create',
      body: {
        name: request.name,
        description: request.description || undefined,
        tags: request.tags
          ? Object.entries(request.tags).map(([key, value]) => ({
              key,
              value,
            }))
          : undefined,
      },
      idempotent: false,
    });
  }

  /** Sets (or overwrites) one tag of an experiment; setting the same value twice is harmless. */
  async setExperimentTag(
    experimentId: string,
    key: string,
    value: string,
  ): Promise<void> {
    await this.#transport.call<object>({
      method: 'POST',
      path: 'experiments/set-experiment-tag',
      body: { experiment_id: experimentId, key, value },
      idempotent: true,
    });
  }

  /**
   * One page of runs of the experiments, from a single `runs/search` call. `metricKeys` and
   * `paramKeys` are the sorted union of the keys on this page.
   */
  async searchRuns(request: MlflowSearchRunsRequest): Promise<MlflowRunPage> {
    if (request.experimentIds.length === 0) {
      return { runs: [], metricKeys: [], paramKeys: [] };
    }
    const response = await this.#transport.call<RestSearchRunsResponse>({
      method: 'POST',
      path: 'runs/search',
      body: {
        experiment_ids: request.experimentIds,
        filter: request.filter || undefined,
        order_by: request.orderBy?.length ? request.orderBy : undefined,
        max_results: request.maxResults,
        page_token: request.pageToken || undefined,
      },
      idempotent: true,
    });
    const now = Date.now();
    const runs = (response.runs ?? []).map(run =>
      normaliseRun(run, this.#links, now),
    );
    return {
      runs,
      nextPageToken: nonEmpty(response.next_page_token),
      metricKeys: unionOfKeys(runs, 'metrics'),
      paramKeys: unionOfKeys(runs, 'params'),
    };
  }

  /**
   * Runs of the experiments by id, in full (latest metrics, dataset inputs), active or
   * deleted: one `runs/search` call per MLFLOW_RUN_IDS_PER_SEARCH ids (an
   * `attributes.run_id IN (…)` filter, one page each). A run id MLflow does not have, or one
   * of another experiment, is not in the answer. An id that is not a run id (letters, digits,
   * `-`, `_`) is an InputError, never put into the filter.
   */
  async searchRunDetailsByIds(request: {
    experimentIds: string[];
    runIds: string[];
  }): Promise<MlflowRunDetail[]> {
    const ids = Array.from(new Set(request.runIds));
    const malformed = ids.filter(id => !RUN_ID_PATTERN.test(id));
    if (malformed.length > 0) {
      throw new InputError(`Not MLflow run ids: ${malformed.join(', ')}`);
    }
    if (request.experimentIds.length === 0 || ids.length === 0) {
      return [];
    }
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += MLFLOW_RUN_IDS_PER_SEARCH) {
      chunks.push(ids.slice(i, i + MLFLOW_RUN_IDS_PER_SEARCH));
    }
    const pages = await Promise.all(
      chunks.map(chunk =>
        this.#transport.call<RestSearchRunsResponse>({
          method: 'POST',
          path: 'runs/search',
          body: {
            experiment_ids: request.experimentIds,
            filter: `attributes.run_id IN (${chunk
              .map(id => `'${id}'`)
              .join(',')})`,
            run_view_type: 'ALL',
            max_results: chunk.length,
          },
          idempotent: true,
        }),
      ),
    );
    const now = Date.now();
    return pages.flatMap(page =>
      (page.runs ?? []).map(run => normaliseRunDetail(run, this.#links, now)),
    );
  }

  async getRun(runId: string): Promise<MlflowRunDetail> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'runs/get',
      query: { run_id: runId },
      idempotent: true,
    };
    const response = await this.#transport.call<RestGetRunResponse>(call);
    return normaliseRunDetail(
      this.required(call, response, 'run'),
      this.#links,
      Date.now(),
    );
  }

  /**
   * Every logged value of one metric of a run, up to `maxResults` (default 10000), following
   * page tokens; ordered by step, then time.
   */
  async getMetricHistory(
    request: MlflowGetMetricHistoryRequest,
  ): Promise<MlflowMetricHistory> {
    const limit = request.maxResults ?? DEFAULT_METRIC_HISTORY_MAX_RESULTS;
    if (!Number.isInteger(limit) || limit <= 0) {
      throw new InputError(
        `maxResults must be a positive whole number, not ${request.maxResults}`,
      );
    }
    const points: MlflowMetric[] = [];
    await forEachPage<RestGetMetricHistoryResponse>(
      this.#transport,
      pageToken => ({
        method: 'GET',
        path: 'metrics/get-history',
        query: {
          run_id: request.runId,
          metric_key: request.metricKey,
          max_results: Math.min(
            limit - points.length,
            METRIC_HISTORY_PAGE_LIMIT,
          ),
          page_token: pageToken,
        },
        idempotent: true,
      }),
      page => {
        points.push(...(page.metrics ?? []).map(normaliseMetric));
        return points.length < limit;
      },
    );
    return {
      runId: request.runId,
      key: request.metricKey,
      points: points.slice(0, limit).sort(compareMetricPoints),
    };
  }

  /** One page of a run's artifacts directly under `path`. */
  async listArtifacts(
    request: MlflowListArtifactsRequest,
  ): Promise<MlflowArtifactPage> {
    const response = await this.#transport.call<RestListArtifactsResponse>({
      method: 'GET',
      path: 'artifacts/list',
      query: {
        run_id: request.runId,
        path: request.path || undefined,
        page_token: request.pageToken || undefined,
      },
      idempotent: true,
    });
    return normaliseArtifactPage(response);
  }

  /** The tags of a registered model (one `registered-models/get`), or undefined if there is none. */
  async getRegisteredModelTags(
    name: string,
  ): Promise<Record<string, string> | undefined> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'registered-models/get',
      query: { name },
      idempotent: true,
    };
    const response = await this.orUndefinedIfMissing(
      this.#transport.call<RestGetRegisteredModelResponse>(call),
    );
    if (!response) {
      return undefined;
    }
    const model = this.required(call, response, 'registered_model');
    return Object.fromEntries(
      (model.tags ?? []).map(tag => [tag.key, tag.value ?? '']),
    );
  }

  /**
   * A registered model with its aliases and all its versions (newest first, each with its
   * aliases), or undefined if the registry has no model of that name.
   */
  async getRegisteredModel(
    name: string,
  ): Promise<MlflowRegisteredModel | undefined> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'registered-models/get',
      query: { name },
      idempotent: true,
    };
    const [response, versions] = await Promise.all([
      this.orUndefinedIfMissing(
        this.#transport.call<RestGetRegisteredModelResponse>(call),
      ),
      this.searchAllModelVersions(name),
    ]);
    return (
      response &&
      normaliseRegisteredModel(
        this.required(call, response, 'registered_model'),
        versions,
        this.#links,
      )
    );
  }

  /**
   * A registered model without its versions (one `registered-models/get`): name, description,
   * tags, aliases and links, for callers that list many models (the catalog's model provider);
   * undefined if there is none.
   */
  async getRegisteredModelSummary(
    name: string,
  ): Promise<Omit<MlflowRegisteredModel, 'versions'> | undefined> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'registered-models/get',
      query: { name },
      idempotent: true,
    };
    const response = await this.orUndefinedIfMissing(
      this.#transport.call<RestGetRegisteredModelResponse>(call),
    );
    if (!response) {
      return undefined;
    }
    const { versions: _none, ...summary } = normaliseRegisteredModel(
      this.required(call, response, 'registered_model'),
      [],
      this.#links,
    );
    return summary;
  }

  /** The version an alias points at; NotFoundError if the model or the alias does not exist. */
  async getModelVersionByAlias(
    name: string,
    alias: string,
  ): Promise<MlflowModelVersion> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'registered-models/alias',
      query: { name, alias },
      idempotent: true,
    };
    const response = await this.#transport
      .call<RestGetModelVersionResponse>(call)
      .catch(error => {
        throw unknownAliasAsNotFound(error);
      });
    return normaliseModelVersion(
      this.required(call, response, 'model_version'),
      this.#links,
    );
  }

  /** Where the version's files are (`s3://…`, `mlflow-artifacts:/…`). */
  async getModelVersionDownloadUri(
    name: string,
    version: string,
  ): Promise<string> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'model-versions/get-download-uri',
      query: { name, version },
      idempotent: true,
    };
    const response =
      await this.#transport.call<RestGetModelVersionDownloadUriResponse>(call);
    return this.required(call, response, 'artifact_uri');
  }

  /** One version of a registered model; NotFoundError if the model or version does not exist. */
  async getModelVersion(
    name: string,
    version: string,
  ): Promise<MlflowModelVersion> {
    const call: MlflowCall = {
      method: 'GET',
      path: 'model-versions/get',
      query: { name, version },
      idempotent: true,
    };
    const response = await this.#transport.call<RestGetModelVersionResponse>(
      call,
    );
    return normaliseModelVersion(
      this.required(call, response, 'model_version'),
      this.#links,
    );
  }

  /** An MLflow 3 logged model by id; NotFoundError if MLflow has none. */
  async getLoggedModel(modelId: string): Promise<MlflowLoggedModel> {
    const call: MlflowCall = {
      method: 'GET',
      path: `logged-models/${encodeURIComponent(modelId)}`,
      idempotent: true,
    };
    const response = await this.#transport.call<{ model?: RestLoggedModel }>(
      call,
    );
    return normaliseLoggedModel(
      this.required(call, response, 'model'),
      this.#links,
    );
  }

  /** Sets (or overwrites) one tag of a model version. */
  async setModelVersionTag(
    name: string,
    version: string,
    key: string,
    value: string,
  ): Promise<void> {
    await this.#transport.call<object>({
      method: 'POST',
      path: 'model-versions/set-tag',
      body: { name, version, key, value },
      idempotent: true,
    });
  }

  /** Deletes one tag of a model version; a tag that is not there is not an error. */
  async deleteModelVersionTag(
    name: string,
    version: string,
    key: string,
  ): Promise<void> {
    await this.orUndefinedIfMissing(
      this.#transport.call<object>({
        method: 'DELETE',
        path: 'model-versions/delete-tag',
        body: { name, version, key },
        idempotent: true,
      }),
    );
  }

  /**
   * A small text file under an `mlflow-artifacts:/…` URI (e.g. a model's `MLmodel`), read
   * through the server's artifact proxy. InputError for another scheme.
   */
  async readArtifactText(
    artifactUri: string,
    relativePath: string,
    maxBytes = 256 * 1024,
  ): Promise<string> {
    const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/.exec(artifactUri);
    if (!match) {
      throw new InputError(
        `MLflow instance '${this.name}' serves files only under mlflow-artifacts:/ URIs, not '${artifactUri}'`,
      );
    }
    const path = `${match[1].replace(/\/+$/, '')}/${relativePath}`;
    return this.#transport.artifactText(path, maxBytes);
  }

  /** One page of the MLflow 3 logged models of the experiments. */
  async searchLoggedModels(
    request: MlflowSearchLoggedModelsRequest,
  ): Promise<MlflowLoggedModelPage> {
    if (request.experimentIds.length === 0) {
      return { models: [] };
    }
    const response = await this.#transport.call<RestSearchLoggedModelsResponse>(
      {
        method: 'POST',
        path: 'logged-models/search',
        body: {
          experiment_ids: request.experimentIds,
          filter: request.filter || undefined,
          max_results: request.maxResults,
          page_token: request.pageToken || undefined,
        },
        idempotent: true,
      },
    );
    return {
      models: (response.models ?? []).map(model =>
        normaliseLoggedModel(model, this.#links),
      ),
      nextPageToken: nonEmpty(response.next_page_token),
    };
  }

  /** All versions of a model, every page of `model-versions/search`. */
  private async searchAllModelVersions(
    name: string,
  ): Promise<RestModelVersion[]> {
    const filter = modelNameFilter(name);
    const versions: RestModelVersion[] = [];
    await forEachPage<RestSearchModelVersionsResponse>(
      this.#transport,
      pageToken => ({
        method: 'GET',
        path: 'model-versions/search',
        query: { filter: filter.filter, page_token: pageToken },
        idempotent: true,
      }),
      page => {
        versions.push(...(page.model_versions ?? []));
        return true;
      },
    );
    // A LIKE filter (for names MLflow's filter syntax cannot quote) may match other models.
    return filter.exact ? versions : versions.filter(v => v.name === name);
  }

  private async orUndefinedIfMissing<T>(
    answer: Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await answer;
    } catch (error) {
      if (NotFoundError.is(error)) {
        return undefined;
      }
      throw error;
    }
  }

  /** The response's field, or a ServiceUnavailableError if MLflow left it out. */
  private required<T extends object, K extends keyof T>(
    call: MlflowCall,
    response: T,
    field: K,
  ): NonNullable<T[K]> {
    const value = response[field];
    if (value === undefined || value === null) {
      throw this.#transport.unexpectedAnswer(
        call,
        `no '${String(field)}' in its answer`,
      );
    }
    return value as NonNullable<T[K]>;
  }
}
