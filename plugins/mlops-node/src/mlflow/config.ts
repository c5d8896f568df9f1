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

const INSTANCE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function configError(key: string, problem: string): Error {
  return new Error(`Invalid config at '${key}': ${problem}`);
}

/** An http(s) URL without credentials, query or fragment, with trailing slashes removed. */
function readUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(key, `'${value}' is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(key, `'${value}' must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw configError(
      key,
      'the URL must not carry credentials; use token or username/password instead',
    );
  }
  if (url.search || url.hash) {
    throw configError(key, `'${value}' must not have a query or a fragment`);
  }
  return value.replace(/\/+$/, '');
}

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

function readInstance(instance: Config, key: string): MlflowInstanceConfig {
  const name = instance.getString('name');
  if (!INSTANCE_NAME_PATTERN.test(name)) {
    throw configError(
      `${key}.name`,
      `'${name}' must start with a letter or digit and contain only letters, digits, '.', '_' and '-'`,
    );
  }
  const baseUrl = readUrl(instance.getString('baseUrl'), `${key}.baseUrl`);
  const uiUrlValue = instance.getOptionalString('uiUrl');
  return {
    name,
    baseUrl,
    uiUrl: uiUrlValue ? readUrl(uiUrlValue, `${key}.uiUrl`) : baseUrl,
    credentials: readCredentials(instance, key),
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
  if (configs.length === 0) {
    throw configError(
      key,
      `list at least one instance, or leave ${key} out to use ${DEFAULT_MLFLOW_INSTANCE.baseUrl}`,
    );
  }
  const instances: MlflowInstanceConfig[] = [];
  configs.forEach((config, index) => {
    const instanceKey = `${key}[${index}]`;
    const instance = readInstance(config, instanceKey);
    const earlier = instances.findIndex(i => i.name === instance.name);
    if (earlier >= 0) {
      throw configError(
        `${instanceKey}.name`,
        `the name '${instance.name}' is already used by ${key}[${earlier}]`,
      );
    }
    instances.push(instance);
  });
  return instances;
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
