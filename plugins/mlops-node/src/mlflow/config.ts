import {
  configError,
  readConfigName,
  readNamedList,
  readServiceUrl,
} from '../config/configReaders';
import type { Config } from '@backstage/config';
import type { MlflowCredentials } from './transport';

/** One configured MLflow instance, validated. */
export interface MlflowInstanceConfig {
  name: string;
  /** Tracking server base URL, without a trailing slash. */
  baseUrl: string;
  /** Browser-facing UI base URL, without a trailing slash (defaults to baseUrl). */
  uiUrl: string;
  credentials?: MlflowCredentials;
  /**
   * `artifactsDestination`: where the server stores what it serves as `mlflow-artifacts:/`
   * (its `--artifacts-destination`, e.g. `s3://mlflow-artifacts`). Deploys map a model's
   * `mlflow-artifacts:/<path>` to `<artifactsDestination>/<path>`, the URI KServe reads.
   */
  artifactsDestination?: string;
}

/** `mlops.mlflow`, validated and with defaults applied. */
export interface MlflowConfig {
  defaultInstance: string;
  timeoutMs: number;
  instances: MlflowInstanceConfig[];
}

export const MLFLOW_CONFIG_KEY = 'mlops.mlflow';
export const DEFAULT_MLFLOW_TIMEOUT_MS = 10000;
/** What an app without `mlops.mlflow.instances` talks to: a local `mlflow server`. */
export const DEFAULT_MLFLOW_INSTANCE: MlflowInstanceConfig = {
  name: 'default',
  baseUrl: 'http://localhost:5000',
  uiUrl: 'http://localhost:5000',
};

function readCredentials(
  instance: Config,
  key: string,
): MlflowCredentials | undefined {
  const token = instance.getOptionalString('token') || undefined;
  const username = instance.getOptionalString('username') || undefined;
  const password = instance.getOptionalString('password') || undefined;

  if (token && (username || password)) {
    throw configError(
      key,
      'set either token (bearer auth) or username and password (basic auth), not both',
    );
  }
  if (token) {
    return { token };
  }
  if (username && password) {
    return { username, password };
  }
  if (username || password) {
    throw configError(
      `${key}.${username ? 'password' : 'username'}`,
      'basic auth needs both username and password',
    );
  }
  return undefined;
}

function readMlflowUrl(value: string, key: string): string {
  return readServiceUrl(value, key, 'token or username/password');
}

function readArtifactsDestination(
  instance: Config,
  key: string,
): string | undefined {
  const value = instance.getOptionalString('artifactsDestination')?.trim();
  if (!value) {
    return undefined;
  }
  if (!/^(s3|gs|azureblob|hdfs):\/\/[^/\s]+(\/[^\s]*)?$/.test(value)) {
    throw configError(
      `${key}.artifactsDestination`,
      `'${value}' is not a storage URI KServe reads (s3://bucket[/prefix], gs://…)`,
    );
  }
  return value.replace(/\/+$/, '');
}

function readInstance(instance: Config, key: string): MlflowInstanceConfig {
  const name = readConfigName(instance, key);
  const baseUrl = readMlflowUrl(
    instance.getString('baseUrl'),
    `${key}.baseUrl`,
  );
  const uiUrlValue = instance.getOptionalString('uiUrl');
  return {
    name,
    baseUrl,
    uiUrl: uiUrlValue ? readMlflowUrl(uiUrlValue, `${key}.uiUrl`) : baseUrl,
    credentials: readCredentials(instance, key),
    artifactsDestination: readArtifactsDestination(instance, key),
  };
}

function readTimeoutMs(mlflow: Config | undefined): number {
  const timeoutMs = mlflow?.getOptionalNumber('timeoutMs');
  if (timeoutMs === undefined) {
    return DEFAULT_MLFLOW_TIMEOUT_MS;
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw configError(
      `${MLFLOW_CONFIG_KEY}.timeoutMs`,
      `${timeoutMs} must be a positive whole number of milliseconds`,
    );
  }
  return timeoutMs;
}

function readInstances(mlflow: Config | undefined): MlflowInstanceConfig[] {
  const key = `${MLFLOW_CONFIG_KEY}.instances`;
  const configs = mlflow?.getOptionalConfigArray('instances');
  if (configs === undefined) {
    return [DEFAULT_MLFLOW_INSTANCE];
  }
  return readNamedList(
    configs,
    key,
    `list at least one instance, or leave ${key} out to use ${DEFAULT_MLFLOW_INSTANCE.baseUrl}`,
    readInstance,
  );
}

/**
 * Reads and validates `mlops.mlflow`. No config at all means one instance, `default`, at
 * http://localhost:5000. Throws an error naming the offending key for a bad URL, a duplicate
 * name, both a token and a password, or a defaultInstance that is not configured.
 */
export function readMlflowConfig(config: Config): MlflowConfig {
  const mlflow = config.getOptionalConfig(MLFLOW_CONFIG_KEY);
  const instances = readInstances(mlflow);
  const names = instances.map(i => i.name);
  const defaultInstance =
    mlflow?.getOptionalString('defaultInstance') ?? names[0];
  if (!names.includes(defaultInstance)) {
    throw configError(
      `${MLFLOW_CONFIG_KEY}.defaultInstance`,
      `'${defaultInstance}' is not one of the configured instances (${names.join(
        ', ',
      )})`,
    );
  }
  return { defaultInstance, timeoutMs: readTimeoutMs(mlflow), instances };
}
