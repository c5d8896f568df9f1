import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  MlflowArtifactPage,
  MlflowExperimentsResponse,
  MlflowLoggedModelsResponse,
  MlflowMetricHistory,
  MlflowModelsResponse,
  MlflowRunDetail,
  MlflowRunPage,
} from '@mlstack/plugin-mlops-common';
import type {
  GetMlflowLoggedModelsOptions,
  ListMlflowArtifactsOptions,
  MlopsApi,
  MlopsEntityRef,
  SearchMlflowRunsOptions,
} from './MlopsApi';

type QueryValue = string | number | undefined | Array<string | undefined>;

/**
 * Talks to the MLStack backend (`discoveryApi.getBaseUrl('mlops')`).
 *
 * @public
 */
export class MlopsClient implements MlopsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getMlflowExperiments(
    entityRef: MlopsEntityRef,
  ): Promise<MlflowExperimentsResponse> {
    return this.get(entityRef, ['experiments']);
  }

  searchMlflowRuns(
    entityRef: MlopsEntityRef,
    options: SearchMlflowRunsOptions = {},
  ): Promise<MlflowRunPage> {
    return this.get(entityRef, ['runs'], {
      experimentId: options.experimentIds,
      filter: options.filter?.trim() || undefined,
      orderBy: options.orderBy,
      pageToken: options.pageToken,
      maxResults: options.maxResults,
    });
  }

  getMlflowRun(
    entityRef: MlopsEntityRef,
    runId: string,
  ): Promise<MlflowRunDetail> {
    return this.get(entityRef, ['runs', runId]);
  }

  getMlflowMetricHistory(
    entityRef: MlopsEntityRef,
    runId: string,
    key: string,
  ): Promise<MlflowMetricHistory> {
    return this.get(entityRef, ['runs', runId, 'metrics', key]);
  }

  listMlflowArtifacts(
    entityRef: MlopsEntityRef,
    runId: string,
    options: ListMlflowArtifactsOptions = {},
  ): Promise<MlflowArtifactPage> {
    return this.get(entityRef, ['runs', runId, 'artifacts'], {
      path: options.path || undefined,
      pageToken: options.pageToken,
    });
  }

  getMlflowModels(entityRef: MlopsEntityRef): Promise<MlflowModelsResponse> {
    return this.get(entityRef, ['models']);
  }

  getMlflowLoggedModels(
    entityRef: MlopsEntityRef,
    options: GetMlflowLoggedModelsOptions = {},
  ): Promise<MlflowLoggedModelsResponse> {
    return this.get(entityRef, ['logged-models'], {
      experimentId: options.experimentIds,
      pageToken: options.pageToken,
    });
  }

  private async get<T>(
    entityRef: MlopsEntityRef,
    segments: string[],
    query: Record<string, QueryValue> = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('mlops');
    const { kind, namespace, name } =
      typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
    const path = ['entities', kind, namespace, name, 'mlflow', ...segments]
      .map(encodeURIComponent)
      .join('/');

    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      for (const v of ([] as Array<string | number | undefined>).concat(
        value,
      )) {
        if (v !== undefined && v !== '') {
          params.append(key, String(v));
        }
      }
    }
    const search = params.toString();

    const response = await this.fetchApi.fetch(
      `${baseUrl}/${path}${search ? `?${search}` : ''}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
