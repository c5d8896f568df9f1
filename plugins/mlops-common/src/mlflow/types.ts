/**
 * MLflow objects as the MLStack backend returns them: normalised from the MLflow 3 REST API
 * (snake_case, key/value lists, string numbers) into camelCase records. Times are epoch
 * milliseconds. Every object carries `uiUrl`, a deep link into the MLflow UI.
 */

/**
 * The status of an MLflow run (MLflow's `RunStatus`).
 *
 * @public
 */
export type MlflowRunStatus =
  | 'RUNNING'
  | 'SCHEDULED'
  | 'FINISHED'
  | 'FAILED'
  | 'KILLED';

/**
 * An MLflow experiment, with its tags and a link to it in the MLflow UI.
 *
 * @public
 */
export interface MlflowExperiment {
  experimentId: string;
  name: string;
  lifecycleStage: string;
  artifactLocation?: string;
  creationTime?: number;
  lastUpdateTime?: number;
  tags: Record<string, string>;
  uiUrl: string;
}

/**
 * One value of a run metric, at a step and a time (epoch milliseconds).
 *
 * @public
 */
export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/**
 * A run as listed in the runs table: latest metric values, params and tags inline.
 *
 * @public
 */
export interface MlflowRun {
  runId: string;
  runName: string;
  experimentId: string;
  status: MlflowRunStatus;
  startTime?: number;
  endTime?: number;
  /** endTime - startTime, or until now for a run still going. */
  durationMs?: number;
  user?: string;
  /** `mlflow.source.git.commit` */
  sourceCommit?: string;
  /** `mlflow.source.name` */
  sourceName?: string;
  /** `mlflow.parentRunId`, for nested runs. */
  parentRunId?: string;
  artifactUri?: string;
  lifecycleStage: string;
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
  uiUrl: string;
}

/**
 * A run with its latest metrics in full (step and timestamp) and its dataset inputs.
 *
 * @public
 */
export interface MlflowRunDetail extends MlflowRun {
  latestMetrics: MlflowMetric[];
  datasets: Array<{
    name: string;
    digest: string;
    /** MLflow's `source_type` (s3, local, http, hugging_face, code, …). */
    sourceType?: string;
    /** Where the data is, read from `source` as its type says (`s3://…`); absent when it names no place. */
    source?: string;
    context?: string;
  }>;
}

/**
 * One page of runs (`GET …/mlflow/runs`), with the metric and param keys the page has.
 *
 * @public
 */
export interface MlflowRunPage {
  runs: MlflowRun[];
  /** Opaque token for the next page; absent on the last page. */
  nextPageToken?: string;
  /** Metric and param keys seen on this page, for the column chooser. */
  metricKeys: string[];
  paramKeys: string[];
}

/**
 * Every logged value of one metric of a run (`GET …/mlflow/runs/:runId/metrics/:key`).
 *
 * @public
 */
export interface MlflowMetricHistory {
  runId: string;
  key: string;
  points: MlflowMetric[];
}

/**
 * A file or directory in a run's artifacts.
 *
 * @public
 */
export interface MlflowArtifact {
  path: string;
  isDir: boolean;
  fileSize?: number;
}

/**
 * One page of a run's artifacts under a path (`GET …/mlflow/runs/:runId/artifacts`).
 *
 * @public
 */
export interface MlflowArtifactPage {
  rootUri?: string;
  files: MlflowArtifact[];
  nextPageToken?: string;
}

/**
 * The registration status of an MLflow model version.
 *
 * @public
 */
export type MlflowModelVersionStatus =
  | 'PENDING_REGISTRATION'
  | 'FAILED_REGISTRATION'
  | 'READY';

/**
 * A version of an MLflow registered model, with its aliases, tags and source.
 *
 * @public
 */
export interface MlflowModelVersion {
  name: string;
  version: string;
  status: MlflowModelVersionStatus;
  statusMessage?: string;
  creationTime?: number;
  lastUpdatedTime?: number;
  description?: string;
  /** Where the model files are (`models:/m-…`, `s3://…`, `mlflow-artifacts:/…`). */
  source?: string;
  runId?: string;
  /** MLflow 3 logged model id behind this version. */
  modelId?: string;
  aliases: string[];
  tags: Record<string, string>;
  uiUrl: string;
  runUiUrl?: string;
}

/**
 * An MLflow registered model with its aliases and versions.
 *
 * @public
 */
export interface MlflowRegisteredModel {
  name: string;
  description?: string;
  creationTime?: number;
  lastUpdatedTime?: number;
  /** alias → version, e.g. champion → 3 */
  aliases: Record<string, string>;
  tags: Record<string, string>;
  /** Newest first. */
  versions: MlflowModelVersion[];
  uiUrl: string;
}

/**
 * An MLflow 3 logged model (`/api/2.0/mlflow/logged-models`).
 *
 * @public
 */
export interface MlflowLoggedModel {
  modelId: string;
  name: string;
  experimentId: string;
  sourceRunId?: string;
  status?: string;
  creationTime?: number;
  lastUpdatedTime?: number;
  modelType?: string;
  artifactUri?: string;
  metrics: MlflowMetric[];
  params: Record<string, string>;
  tags: Record<string, string>;
  uiUrl: string;
}
