import type {
  MlflowArtifactPage,
  MlflowExperiment,
  MlflowLoggedModel,
  MlflowMetric,
  MlflowModelVersion,
  MlflowModelVersionStatus,
  MlflowRegisteredModel,
  MlflowRun,
  MlflowRunDetail,
  MlflowRunStatus,
} from '@mlstack/plugin-mlops-common';
import type {
  RestDouble,
  RestExperiment,
  RestInt64,
  RestKeyValue,
  RestListArtifactsResponse,
  RestLoggedModel,
  RestMetric,
  RestModelVersion,
  RestRegisteredModel,
  RestRun,
} from './rest';
import { MlflowUiLinks } from './uiLinks';

/** Tags MLflow itself sets on runs. */
export const MLFLOW_TAGS = {
  user: 'mlflow.user',
  runName: 'mlflow.runName',
  parentRunId: 'mlflow.parentRunId',
  sourceName: 'mlflow.source.name',
  gitCommit: 'mlflow.source.git.commit',
  datasetContext: 'mlflow.data.context',
} as const;

/** A number MLflow sent as a number or a string ("12", "NaN", "Infinity"); undefined if absent or unreadable. */
export function toNumber(
  value: RestInt64 | RestDouble | undefined,
): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const parsed = typeof value === 'number' ? value : Number(value);
  return Number.isNaN(parsed) && value !== 'NaN' ? undefined : parsed;
}

/** An epoch-milliseconds time; MLflow's 0 (never set) becomes undefined. */
export function toEpochMs(value: RestInt64 | undefined): number | undefined {
  const ms = toNumber(value);
  return ms && ms > 0 ? ms : undefined;
}

/** MLflow sends "" for unset strings (description, run_link, model_type, …). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value ? value : undefined;
}

export function toRecord(
  pairs: RestKeyValue[] | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { key, value } of pairs ?? []) {
    record[key] = value ?? '';
  }
  return record;
}

export function normaliseMetric(raw: RestMetric): MlflowMetric {
  return {
    key: raw.key,
    // Absent means the proto default, 0; non-finite values arrive as "NaN"/"Infinity".
    value: toNumber(raw.value) ?? 0,
    timestamp: toNumber(raw.timestamp) ?? 0,
    step: toNumber(raw.step) ?? 0,
  };
}

/** Orders metric points for plotting: by step, then by time. */
export function compareMetricPoints(a: MlflowMetric, b: MlflowMetric): number {
  return a.step - b.step || a.timestamp - b.timestamp;
}

export function normaliseExperiment(
  raw: RestExperiment,
  links: MlflowUiLinks,
): MlflowExperiment {
  return {
    experimentId: raw.experiment_id,
    name: raw.name,
    lifecycleStage: raw.lifecycle_stage ?? 'active',
    artifactLocation: nonEmpty(raw.artifact_location),
    creationTime: toEpochMs(raw.creation_time),
    lastUpdateTime: toEpochMs(raw.last_update_time),
    tags: toRecord(raw.tags),
    uiUrl: links.experiment(raw.experiment_id),
  };
}

/** How long a run took, or has taken so far while it is running. */
export function runDurationMs(
  status: MlflowRunStatus,
  startTime: number | undefined,
  endTime: number | undefined,
  now: number,
): number | undefined {
  if (startTime === undefined) {
    return undefined;
  }
  if (endTime !== undefined) {
    return Math.max(0, endTime - startTime);
  }
  return status === 'RUNNING' ? Math.max(0, now - startTime) : undefined;
}

/**
 * A run with its latest metric values inline. `now` is for the duration of a run still
 * going. The status is MLflow's own name; a proto-default (absent) status is RUNNING.
 */
export function normaliseRun(
  raw: RestRun,
  links: MlflowUiLinks,
  now: number,
): MlflowRun {
  const { info } = raw;
  const tags = toRecord(raw.data?.tags);
  const runId = info.run_id || info.run_uuid || '';
  const status = (info.status || 'RUNNING') as MlflowRunStatus;
  const startTime = toEpochMs(info.start_time);
  const endTime = toEpochMs(info.end_time);
  const metrics: Record<string, number> = {};
  for (const metric of raw.data?.metrics ?? []) {
    metrics[metric.key] = normaliseMetric(metric).value;
  }
  return {
    runId,
    runName: info.run_name || tags[MLFLOW_TAGS.runName] || '',
    experimentId: info.experiment_id,
    status,
    startTime,
    endTime,
    durationMs: runDurationMs(status, startTime, endTime, now),
    user: nonEmpty(info.user_id) ?? nonEmpty(tags[MLFLOW_TAGS.user]),
    sourceCommit: nonEmpty(tags[MLFLOW_TAGS.gitCommit]),
    sourceName: nonEmpty(tags[MLFLOW_TAGS.sourceName]),
    parentRunId: nonEmpty(tags[MLFLOW_TAGS.parentRunId]),
    artifactUri: nonEmpty(info.artifact_uri),
    lifecycleStage: info.lifecycle_stage ?? 'active',
    metrics,
    params: toRecord(raw.data?.params),
    tags,
    uiUrl: links.run(info.experiment_id, runId),
  };
}

/** Where each MLflow dataset source type keeps its location in the `source` JSON. */
const DATASET_SOURCE_LOCATION_KEYS = [
  'uri', // s3, local, gcs, …: {"uri": "s3://bucket/path"}
  'url', // http: {"url": "https://…"}
  'path', // hugging_face, delta_table, uc_volume, spark: {"path": …}
  'delta_table_name', // delta_table by name
  'table_name', // spark table
] as const;

/**
 * The location of a dataset input, read from MLflow's `dataset.source` (a JSON object whose
 * shape the `source_type` fixes: `{"uri": …}` for s3 and local, `{"url": …}` for http,
 * `{"path": …}` for hugging_face, …). Undefined when the source names no location (a `code`
 * source, `{}`); the text as sent when it is not JSON.
 */
export function datasetSourceLocation(
  source: string | undefined,
): string | undefined {
  if (!source) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return source; // not JSON: a location written as plain text
  }
  if (!parsed || typeof parsed !== 'object') {
    return typeof parsed === 'string' && parsed ? parsed : undefined;
  }
  for (const key of DATASET_SOURCE_LOCATION_KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string' && value) {
      return value;
    }
  }
  return undefined;
}

export function normaliseRunDetail(
  raw: RestRun,
  links: MlflowUiLinks,
  now: number,
): MlflowRunDetail {
  const latestMetrics = (raw.data?.metrics ?? [])
    .map(normaliseMetric)
    .sort((a, b) => a.key.localeCompare(b.key));
  const datasets = (raw.inputs?.dataset_inputs ?? []).map(input => ({
    name: input.dataset.name,
    digest: input.dataset.digest,
    sourceType: nonEmpty(input.dataset.source_type),
    source: datasetSourceLocation(input.dataset.source),
    context: nonEmpty(toRecord(input.tags)[MLFLOW_TAGS.datasetContext]),
  }));
  return { ...normaliseRun(raw, links, now), latestMetrics, datasets };
}

/** Sorted, de-duplicated keys of all `field` records of the runs. */
export function unionOfKeys(
  runs: MlflowRun[],
  field: 'metrics' | 'params',
): string[] {
  const keys = new Set<string>();
  for (const run of runs) {
    Object.keys(run[field]).forEach(key => keys.add(key));
  }
  return Array.from(keys).sort();
}

export function normaliseArtifactPage(
  raw: RestListArtifactsResponse,
): MlflowArtifactPage {
  return {
    rootUri: nonEmpty(raw.root_uri),
    files: (raw.files ?? []).map(file => ({
      path: file.path,
      isDir: file.is_dir ?? false,
      fileSize: toNumber(file.file_size),
    })),
    nextPageToken: nonEmpty(raw.next_page_token),
  };
}

/**
 * The logged model behind a version: `model_id` when MLflow sends it, else read from a
 * `models:/m-…` source (what MLflow 3 registers; `model-versions/search` leaves model_id out).
 */
export function modelIdOfVersion(raw: RestModelVersion): string | undefined {
  return (
    nonEmpty(raw.model_id) ?? raw.source?.match(/^models:\/(m-[0-9a-f]+)$/)?.[1]
  );
}

/**
 * A model version. `aliases` are the version's own (when the endpoint sends them) plus those
 * the registered model points at it (`model-versions/search` leaves them out).
 */
export function normaliseModelVersion(
  raw: RestModelVersion,
  links: MlflowUiLinks,
  aliasesFromModel: string[] = [],
): MlflowModelVersion {
  const runId = nonEmpty(raw.run_id);
  return {
    name: raw.name,
    version: String(raw.version),
    status: (raw.status || 'READY') as MlflowModelVersionStatus,
    statusMessage: nonEmpty(raw.status_message),
    creationTime: toEpochMs(raw.creation_timestamp),
    lastUpdatedTime: toEpochMs(raw.last_updated_timestamp),
    description: nonEmpty(raw.description),
    source: nonEmpty(raw.source),
    runId,
    modelId: modelIdOfVersion(raw),
    aliases: Array.from(
      new Set([...(raw.aliases ?? []), ...aliasesFromModel]),
    ).sort(),
    tags: toRecord(raw.tags),
    uiUrl: links.modelVersion(raw.name, String(raw.version)),
    runUiUrl: runId ? links.runById(runId) : undefined,
  };
}

/** Newest (highest-numbered) version first. */
export function compareVersionsNewestFirst(
  a: MlflowModelVersion,
  b: MlflowModelVersion,
): number {
  return Number(b.version) - Number(a.version);
}

/** A registered model with the given versions (newest first) and their aliases filled in. */
export function normaliseRegisteredModel(
  raw: RestRegisteredModel,
  versions: RestModelVersion[],
  links: MlflowUiLinks,
): MlflowRegisteredModel {
  const aliases: Record<string, string> = {};
  const aliasesByVersion = new Map<string, string[]>();
  for (const { alias, version } of raw.aliases ?? []) {
    aliases[alias] = String(version);
    aliasesByVersion.set(String(version), [
      ...(aliasesByVersion.get(String(version)) ?? []),
      alias,
    ]);
  }
  return {
    name: raw.name,
    description: nonEmpty(raw.description),
    creationTime: toEpochMs(raw.creation_timestamp),
    lastUpdatedTime: toEpochMs(raw.last_updated_timestamp),
    aliases,
    tags: toRecord(raw.tags),
    versions: versions
      .map(v =>
        normaliseModelVersion(
          v,
          links,
          aliasesByVersion.get(String(v.version)),
        ),
      )
      .sort(compareVersionsNewestFirst),
    uiUrl: links.registeredModel(raw.name),
  };
}

export function normaliseLoggedModel(
  raw: RestLoggedModel,
  links: MlflowUiLinks,
): MlflowLoggedModel {
  const { info } = raw;
  return {
    modelId: info.model_id,
    name: info.name,
    experimentId: info.experiment_id,
    sourceRunId: nonEmpty(info.source_run_id),
    status: nonEmpty(info.status),
    creationTime: toEpochMs(info.creation_timestamp_ms),
    lastUpdatedTime: toEpochMs(info.last_updated_timestamp_ms),
    modelType: nonEmpty(info.model_type),
    artifactUri: nonEmpty(info.artifact_uri),
    metrics: (raw.data?.metrics ?? []).map(normaliseMetric),
    params: toRecord(raw.data?.params),
    tags: toRecord(info.tags),
    uiUrl: links.loggedModel(info.experiment_id, info.model_id),
  };
}
