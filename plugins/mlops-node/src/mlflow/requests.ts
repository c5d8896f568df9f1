import type { LoggerService } from '@backstage/backend-plugin-api';
import type { MlflowLoggedModel } from '@mlstack/plugin-mlops-common';
import type { MlflowCredentials } from './transport';

/** What MlflowClient takes and the requests its methods take. */

/**
 * Options of an MlflowClient: the tracking server, its credentials, and how calls time out and are retried.
 *
 * @public
 */
export interface MlflowClientOptions {
  /** The instance's configured name; it appears in every error message. */
  name: string;
  /** Tracking server base URL, e.g. `https://mlflow.example.com`. */
  baseUrl: string;
  /** Browser-facing UI base URL for deep links; defaults to baseUrl. */
  uiUrl?: string;
  /** Bearer token, or basic-auth username and password. */
  credentials?: MlflowCredentials;
  /** Where the server stores `mlflow-artifacts:/` files, e.g. `s3://mlflow-artifacts`. */
  artifactsDestination?: string;
  /** Timeout of each attempt; default 10000. */
  timeoutMs?: number;
  /**
   * Waits before each retry of an idempotent call that failed with a network error, a timeout
   * or 502/503/504; its length is the number of retries. Default `[250, 750]`.
   */
  retryDelaysMs?: number[];
  /** For tests; defaults to the global fetch (looked up at call time). */
  fetch?: typeof fetch;
  /** Retries are logged here at warn level. */
  logger?: LoggerService;
}

/**
 * A search of runs (`runs/search`): the experiments, a filter, the order and the page.
 *
 * @public
 */
export interface MlflowSearchRunsRequest {
  experimentIds: string[];
  /** MLflow filter syntax, e.g. `params.learning_rate = '0.1' and metrics.loss < 0.2`. */
  filter?: string;
  /** e.g. `['metrics.accuracy DESC', 'start_time DESC']`. */
  orderBy?: string[];
  /** MLflow's default is 1000. */
  maxResults?: number;
  pageToken?: string;
}

/**
 * The history of one metric of a run (`metrics/get-history`).
 *
 * @public
 */
export interface MlflowGetMetricHistoryRequest {
  runId: string;
  metricKey: string;
  /** At most this many points are fetched (following page tokens); default 10000. */
  maxResults?: number;
}

/**
 * A listing of a run's artifacts under a path (`artifacts/list`).
 *
 * @public
 */
export interface MlflowListArtifactsRequest {
  runId: string;
  /** Directory relative to the run's artifact root; the root when absent. */
  path?: string;
  pageToken?: string;
}

/**
 * A search of logged models (`logged-models/search`): the experiments, a filter and the page.
 *
 * @public
 */
export interface MlflowSearchLoggedModelsRequest {
  experimentIds: string[];
  /** e.g. `metrics.accuracy > 0.9`. */
  filter?: string;
  /** MLflow's default and maximum is 50. */
  maxResults?: number;
  pageToken?: string;
}

/**
 * One page of logged models.
 *
 * @public
 */
export interface MlflowLoggedModelPage {
  models: MlflowLoggedModel[];
  nextPageToken?: string;
}

/**
 * A new experiment (`experiments/create`).
 *
 * @public
 */
export interface MlflowCreateExperimentRequest {
  name: string;
  /** Where its runs' artifacts go, e.g. `s3://bucket/prefix`; MLflow's default when absent. */
  artifactLocation?: string;
  /** Tags set on the experiment as it is created. */
  tags?: Record<string, string>;
}

/**
 * A new registered model (`registered-models/create`), without versions.
 *
 * @public
 */
export interface MlflowCreateRegisteredModelRequest {
  name: string;
  description?: string;
  /** Tags set on the registered model as it is created. */
  tags?: Record<string, string>;
}
