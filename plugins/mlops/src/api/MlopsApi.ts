import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import type {
  MlflowArtifactPage,
  MlflowExperimentsResponse,
  MlflowLoggedModelsResponse,
  MlflowMetricHistory,
  MlflowModelsResponse,
  MlflowRunDetail,
  MlflowRunPage,
} from '@mlstack/plugin-mlops-common';

/**
 * The entity the MLflow data belongs to: a compound ref or a string ref
 * (`component:default/fraud-detector`).
 *
 * @public
 */
export type MlopsEntityRef = CompoundEntityRef | string;

/** @public */
export interface SearchMlflowRunsOptions {
  /** Restrict to these experiments; all of the entity's experiments if absent. */
  experimentIds?: string[];
  /** MLflow search syntax, e.g. `metrics.accuracy > 0.9 and params.lr = "0.01"`. */
  filter?: string;
  /** MLflow order clauses, e.g. `metrics.\`accuracy\` DESC`. */
  orderBy?: string[];
  pageToken?: string;
  /** 1..500; the backend defaults to 25. */
  maxResults?: number;
}

/** @public */
export interface ListMlflowArtifactsOptions {
  /** Folder below the run's artifact root; the root if absent. */
  path?: string;
  pageToken?: string;
}

/** @public */
export interface GetMlflowLoggedModelsOptions {
  experimentIds?: string[];
  pageToken?: string;
}

/**
 * Client of the MLStack backend's MLflow routes, scoped to an entity.
 *
 * @public
 */
export interface MlopsApi {
  getMlflowExperiments(
    entityRef: MlopsEntityRef,
  ): Promise<MlflowExperimentsResponse>;
  searchMlflowRuns(
    entityRef: MlopsEntityRef,
    options?: SearchMlflowRunsOptions,
  ): Promise<MlflowRunPage>;
  getMlflowRun(
    entityRef: MlopsEntityRef,
    runId: string,
  ): Promise<MlflowRunDetail>;
  getMlflowMetricHistory(
    entityRef: MlopsEntityRef,
    runId: string,
    key: string,
  ): Promise<MlflowMetricHistory>;
  listMlflowArtifacts(
    entityRef: MlopsEntityRef,
    runId: string,
    options?: ListMlflowArtifactsOptions,
  ): Promise<MlflowArtifactPage>;
  getMlflowModels(entityRef: MlopsEntityRef): Promise<MlflowModelsResponse>;
  getMlflowLoggedModels(
    entityRef: MlopsEntityRef,
    options?: GetMlflowLoggedModelsOptions,
  ): Promise<MlflowLoggedModelsResponse>;
}

/** @public */
export const mlopsApiRef = createApiRef<MlopsApi>({
  id: 'plugin.mlops.api',
});
