import type {
  RestExperiment,
  RestLoggedModel,
  RestModelVersion,
  RestRegisteredModel,
  RestRun,
} from '../rest';

/**
 * MLflow REST answers shaped like those of a real MLflow 3.17 server (captured from the test
 * harness after `scripts/harness/seed_mlflow.py`), trimmed and with readable ids.
 */

export const MLFLOW_BASE_URL = 'http://mlflow.test';
export const API = `${MLFLOW_BASE_URL}/api/2.0/mlflow`;

export function restExperiment(
  overrides: Partial<RestExperiment> = {},
): RestExperiment {
  return {
    experiment_id: '3',
    name: 'fraud-detector',
    artifact_location: 'mlflow-artifacts:/3',
    lifecycle_stage: 'active',
    last_update_time: 1795696777992,
    creation_time: 1795696777992,
    ...overrides,
  };
}

export function restRun(
  runId: string,
  overrides: {
    status?: string;
    startTime?: number | string;
    endTime?: number | string;
    params?: Record<string, string>;
    metrics?: Record<string, number | string>;
    tags?: Record<string, string>;
    runName?: string;
    userId?: string;
  } = {},
): RestRun {
  const pairs = (record: Record<string, string> = {}) =>
    Object.entries(record).map(([key, value]) => ({ key, value }));
  return {
    info: {
      run_uuid: runId,
      run_id: runId,
      experiment_id: '3',
      run_name: overrides.runName ?? `run-${runId}`,
      user_id: overrides.userId ?? 'alice@example.com',
      status: overrides.status ?? 'FINISHED',
      start_time: overrides.startTime ?? 1795696781156,
      end_time: overrides.endTime ?? 1795696781877,
      artifact_uri: `mlflow-artifacts:/3/${runId}/artifacts`,
      lifecycle_stage: 'active',
    },
    data: {
      metrics: Object.entries(overrides.metrics ?? { loss: 0.047619 }).map(
        ([key, value]) => ({
          key,
          value,
          timestamp: 1795696800212,
          step: 19,
        }),
      ),
      params: pairs(overrides.params ?? { learning_rate: '0.1' }),
      tags: pairs(
        overrides.tags ?? {
          'mlflow.user': 'alice@example.com',
          'mlflow.source.name': 'train.py',
          'mlflow.source.git.commit':
            '2222222222222222222222222222222222222222',
          'mlflow.parentRunId': 'parent-run',
          'mlflow.runName': `run-${runId}`,
        },
      ),
    },
    inputs: {},
    outputs: {},
  };
}

export function restModelVersion(
  version: string,
  overrides: Partial<RestModelVersion> = {},
): RestModelVersion {
  return {
    name: 'fraud-detector',
    version,
    creation_timestamp: 1795696781723,
    last_updated_timestamp: 1795696781723,
    current_stage: 'None',
    description: '',
    source: `models:/m-${version}`,
    run_id: `run-${version}`,
    status: 'READY',
    tags: [{ key: 'stage', value: 'candidate' }],
    run_link: '',
    ...overrides,
  };
}

export function restRegisteredModel(
  overrides: Partial<RestRegisteredModel> = {},
): RestRegisteredModel {
  return {
    name: 'fraud-detector',
    creation_timestamp: 1795696780907,
    last_updated_timestamp: 1795696783642,
    description: 'Flags card transactions that look fraudulent.',
    latest_versions: [restModelVersion('3')],
    tags: [{ key: 'owner', value: 'team-fraud' }],
    aliases: [
      { alias: 'challenger', version: '3' },
      { alias: 'champion', version: '2' },
    ],
    ...overrides,
  };
}

export function restLoggedModel(modelId: string): RestLoggedModel {
  return {
    info: {
      model_id: modelId,
      experiment_id: '3',
      name: 'model',
      creation_timestamp_ms: 1795696782197,
      last_updated_timestamp_ms: 1795696782446,
      artifact_uri: `mlflow-artifacts:/3/models/${modelId}/artifacts`,
      status: 'LOGGED_MODEL_READY',
      model_type: '',
      source_run_id: 'run-3',
      tags: [{ key: 'stage', value: 'candidate' }],
    },
    data: {
      params: [{ key: 'learning_rate', value: '0.3' }],
      metrics: [
        {
          key: 'accuracy',
          value: 0.862623,
          timestamp: 1795696782610,
          step: 19,
          model_id: modelId,
          run_id: 'run-3',
        },
      ],
    },
  };
}

/** MLflow's error body, as `MlflowException.serialize_as_json` writes it. */
export function restError(errorCode: string, message: string) {
  return {
    error_code: errorCode,
    message,
    sqlstate: 'KAM00',
    error_class: errorCode,
  };
}
