import type { OwnershipClaim } from '../ownership';
import type {
  MlflowArtifactPage,
  MlflowExperiment,
  MlflowLoggedModel,
  MlflowMetricHistory,
  MlflowRegisteredModel,
  MlflowRunDetail,
  MlflowRunPage,
} from './types';

/**
 * Responses of the backend's MLflow routes. Every route is keyed by the entity:
 *
 *   base = /api/mlops/entities/:kind/:namespace/:name/mlflow
 *
 * | route                                   | query                                              | response                     |
 * |-----------------------------------------|----------------------------------------------------|------------------------------|
 * | GET base/experiments                    |                                                    | MlflowExperimentsResponse    |
 * | GET base/runs                           | experimentId (repeatable, default: all), filter,   | MlflowRunPage                |
 * |                                         | orderBy (repeatable, MLflow syntax), pageToken,    |                              |
 * |                                         | maxResults (1..500, default 25)                    |                              |
 * | GET base/runs/:runId                    |                                                    | MlflowRunDetail              |
 * | GET base/runs/:runId/metrics/:key       | maxResults (default 10000)                         | MlflowMetricHistory          |
 * | GET base/runs/:runId/artifacts          | path, pageToken                                    | MlflowArtifactPage           |
 * | GET base/models                         |                                                    | MlflowModelsResponse         |
 * | GET base/logged-models                  | experimentId (repeatable, default: all), pageToken | MlflowLoggedModelsResponse   |
 *
 * Errors use Backstage's error body: 400 for a malformed filter or unknown instance (with
 * MLflow's own message), 404 for an entity the caller may not see or a run outside the
 * entity's experiments, 502/503/504 when MLflow is down, broken or slow.
 */
/**
 * An object the annotation names but the entity may not read, and why (no other data).
 *
 * @public
 */
export interface MlflowRefusedObject {
  name: string;
  reason: string;
}

/**
 * The entity's MLflow experiments (`GET …/mlflow/experiments`).
 *
 * @public
 */
export interface MlflowExperimentsResponse {
  /** The configured MLflow instance the entity resolves to. */
  instance: string;
  /** Base URL of that instance's UI, for links. */
  uiBaseUrl: string;
  /** The entity's experiments, each with `claim`: owned by its owner, or unclaimed. */
  experiments: Array<MlflowExperiment & { claim: OwnershipClaim }>;
  /** Names from the annotation that MLflow does not know. */
  missingExperiments: string[];
  /** Names from the annotation whose experiment belongs to another owner (or is unclaimed, in strict mode). */
  refusedExperiments: MlflowRefusedObject[];
}

/**
 * The entity's MLflow registered models (`GET …/mlflow/models`).
 *
 * @public
 */
export interface MlflowModelsResponse {
  instance: string;
  /** The entity's registered models, each with `claim`: owned by its owner, or unclaimed. */
  models: Array<MlflowRegisteredModel & { claim: OwnershipClaim }>;
  /** Names from the annotation that the registry does not know. */
  missingModels: string[];
  /** Names from the annotation whose model belongs to another owner (or is unclaimed, in strict mode). */
  refusedModels: MlflowRefusedObject[];
}

/**
 * One page of the logged models of the entity's experiments (`GET …/mlflow/logged-models`).
 *
 * @public
 */
export interface MlflowLoggedModelsResponse {
  models: MlflowLoggedModel[];
  nextPageToken?: string;
}

export type {
  MlflowRunPage,
  MlflowRunDetail,
  MlflowMetricHistory,
  MlflowArtifactPage,
};
