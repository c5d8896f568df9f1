/**
 * The MLflow REST API's own shapes (`/api/2.0/mlflow/...`), as the server sends them:
 * snake_case proto field names, key/value lists, enums as names. Proto2 fields with no value
 * are left out, so almost everything is optional. int64 fields come as JSON numbers from the
 * open-source server but as strings from some proxies and hosted servers; doubles that are not
 * finite come as the strings "NaN", "Infinity" and "-Infinity".
 *
 * See third_party/mlflow/MLFLOW_REST_NOTES.md.
 */

/** An int64 field. */
export type RestInt64 = number | string;

/** A double field. */
export type RestDouble = number | string;

export interface RestKeyValue {
  key: string;
  value?: string;
}

export interface RestErrorBody {
  error_code?: string;
  message?: string;
}

export interface RestExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  last_update_time?: RestInt64;
  creation_time?: RestInt64;
  tags?: RestKeyValue[];
}

export interface RestMetric {
  key: string;
  value?: RestDouble;
  timestamp?: RestInt64;
  step?: RestInt64;
  dataset_name?: string;
  dataset_digest?: string;
  model_id?: string;
  run_id?: string;
}

export interface RestRunInfo {
  run_id?: string;
  /** Deprecated twin of run_id, still sent. */
  run_uuid?: string;
  run_name?: string;
  experiment_id: string;
  user_id?: string;
  status?: string;
  start_time?: RestInt64;
  end_time?: RestInt64;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

export interface RestRunData {
  metrics?: RestMetric[];
  params?: RestKeyValue[];
  tags?: RestKeyValue[];
}

export interface RestDataset {
  name: string;
  digest: string;
  source_type?: string;
  source?: string;
  schema?: string;
  profile?: string;
}

export interface RestDatasetInput {
  /** `mlflow.data.context` (training, validation, …) lives here. */
  tags?: RestKeyValue[];
  dataset: RestDataset;
}

export interface RestRun {
  info: RestRunInfo;
  data?: RestRunData;
  inputs?: {
    dataset_inputs?: RestDatasetInput[];
    model_inputs?: Array<{ model_id: string }>;
  };
  outputs?: {
    model_outputs?: Array<{ model_id: string; step?: RestInt64 }>;
  };
}

export interface RestArtifactFile {
  path: string;
  is_dir?: boolean;
  file_size?: RestInt64;
}

export interface RestModelVersion {
  name: string;
  version: string;
  creation_timestamp?: RestInt64;
  last_updated_timestamp?: RestInt64;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  status_message?: string;
  tags?: RestKeyValue[];
  run_link?: string;
  /** Sent by `registered-models/alias` and `model-versions/get`, not by `model-versions/search`. */
  aliases?: string[];
  model_id?: string;
}

export interface RestRegisteredModel {
  name: string;
  creation_timestamp?: RestInt64;
  last_updated_timestamp?: RestInt64;
  user_id?: string;
  description?: string;
  latest_versions?: RestModelVersion[];
  tags?: RestKeyValue[];
  aliases?: Array<{ alias: string; version: string }>;
}

export interface RestLoggedModel {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    creation_timestamp_ms?: RestInt64;
    last_updated_timestamp_ms?: RestInt64;
    artifact_uri?: string;
    status?: string;
    creator_id?: RestInt64;
    model_type?: string;
    source_run_id?: string;
    status_message?: string;
    tags?: RestKeyValue[];
  };
  data?: {
    params?: RestKeyValue[];
    metrics?: RestMetric[];
  };
}

// Responses, one per endpoint this package calls.

export interface RestGetExperimentResponse {
  experiment: RestExperiment;
}

export interface RestCreateExperimentResponse {
  experiment_id: string;
}

export interface RestSearchRunsResponse {
  runs?: RestRun[];
  next_page_token?: string;
}

export interface RestGetRunResponse {
  run: RestRun;
}

export interface RestGetMetricHistoryResponse {
  metrics?: RestMetric[];
  next_page_token?: string;
}

export interface RestListArtifactsResponse {
  root_uri?: string;
  files?: RestArtifactFile[];
  next_page_token?: string;
}

export interface RestGetRegisteredModelResponse {
  registered_model: RestRegisteredModel;
}

export interface RestSearchModelVersionsResponse {
  model_versions?: RestModelVersion[];
  next_page_token?: string;
}

export interface RestGetModelVersionResponse {
  model_version: RestModelVersion;
}

export interface RestGetModelVersionDownloadUriResponse {
  artifact_uri: string;
}

export interface RestSearchLoggedModelsResponse {
  models?: RestLoggedModel[];
  next_page_token?: string;
}
