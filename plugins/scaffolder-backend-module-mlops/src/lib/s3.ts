import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { readServiceUrl } from '@mlstack/plugin-mlops-node';

export const S3_CONFIG_KEY = 'mlops.s3';
export const DEFAULT_S3_REGION = 'us-east-1';

/** `mlops.s3`, validated. */
export interface S3Settings {
  /** e.g. `http://localhost:9000`, without a trailing slash. */
  endpoint: string;
  /** The endpoint as pods in the cluster reach it (KServe's annotations); defaults to endpoint. */
  clusterEndpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/** An http(s) URL without credentials, query or fragment, without trailing slashes. */
function readEndpoint(value: string, field: string): string {
  return readServiceUrl(
    value,
    `${S3_CONFIG_KEY}.${field}`,
    'accessKeyId and secretAccessKey',
  );
}

/**
 * The keys of `mlops.s3` that are missing, e.g. when the environment variables its
 * credentials come from are not set; empty when it is complete or absent altogether.
 */
export function missingS3Keys(config: Config): string[] {
  const s3 = config.getOptionalConfig(S3_CONFIG_KEY);
  if (!s3) {
    return [];
  }
  return ['endpoint', 'accessKeyId', 'secretAccessKey']
    .filter(key => !s3.getOptionalString(key))
    .map(key => `${S3_CONFIG_KEY}.${key}`);
}

/**
 * Reads and validates `mlops.s3`. Undefined when it is absent or incomplete (see
 * missingS3Keys): the actions that need it then fail with an error saying so, while the
 * backend still starts. Throws an error naming the key when a value is invalid.
 */
export function readS3Settings(config: Config): S3Settings | undefined {
  const s3 = config.getOptionalConfig(S3_CONFIG_KEY);
  if (!s3 || missingS3Keys(config).length > 0) {
    return undefined;
  }
  const endpoint = readEndpoint(s3.getString('endpoint'), 'endpoint');
  const clusterEndpoint = s3.getOptionalString('clusterEndpoint');
  return {
    endpoint,
    ...(clusterEndpoint && {
      clusterEndpoint: readEndpoint(clusterEndpoint, 'clusterEndpoint'),
    }),
    region: s3.getOptionalString('region') || DEFAULT_S3_REGION,
    accessKeyId: s3.getString('accessKeyId'),
    secretAccessKey: s3.getString('secretAccessKey'),
    forcePathStyle: s3.getOptionalBoolean('forcePathStyle') ?? true,
  };
}

/** The settings, or an InputError telling the template author that S3 is not set up. */
export function requireS3Settings(
  settings: S3Settings | undefined,
  what: string,
): S3Settings {
  if (!settings) {
    throw new InputError(
      `${what} needs S3, but '${S3_CONFIG_KEY}' is not configured in the backend (endpoint, accessKeyId, secretAccessKey)`,
    );
  }
  return settings;
}

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: {
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
    },
    maxAttempts: 2,
  });
}

/** What the KServe storage initializer reads from a Secret's annotations. */
export function kserveS3Annotations(
  settings: S3Settings,
): Record<string, string> {
  const url = new URL(settings.clusterEndpoint ?? settings.endpoint);
  const https = url.protocol === 'https:';
  const port = url.port || (https ? '443' : '80');
  return {
    'serving.kserve.io/s3-endpoint': `${url.hostname}:${port}`,
    'serving.kserve.io/s3-usehttps': https ? '1' : '0',
    'serving.kserve.io/s3-region': settings.region,
  };
}

interface S3ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
  errors?: unknown[];
}

const NETWORK_CODES =
  /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EPIPE)\b/;

/** `ECONNREFUSED`, `ENOTFOUND`, … of a network failure, if that is what the error is. */
function networkCode(error: unknown): string | undefined {
  const e = error as S3ErrorShape | undefined;
  if (!e || typeof e !== 'object') {
    return undefined;
  }
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    return e.code;
  }
  if (e.name === 'TimeoutError') {
    return 'timed out';
  }
  // The SDK may wrap the socket error into one that keeps only its message.
  const inMessage = NETWORK_CODES.exec(
    typeof e.message === 'string' ? e.message : '',
  );
  if (inMessage) {
    return inMessage[1];
  }
  return (
    networkCode(e.cause) ??
    (Array.isArray(e.errors)
      ? e.errors.map(networkCode).find(Boolean)
      : undefined)
  );
}

export function s3StatusCode(error: unknown): number | undefined {
  return (error as S3ErrorShape | undefined)?.$metadata?.httpStatusCode;
}

export function s3ErrorName(error: unknown): string | undefined {
  return (error as S3ErrorShape | undefined)?.name;
}

/**
 * An S3 failure as a Backstage error whose message names the endpoint (never the credentials):
 * network failures and 5xx → ServiceUnavailableError, 403 and rejected credentials →
 * NotAllowedError, 409 → ConflictError, other 4xx → InputError.
 */
export function toS3Error(
  error: unknown,
  settings: S3Settings,
  action: string,
): Error {
  const where = `S3 at ${settings.endpoint}`;
  const network = networkCode(error);
  const status = s3StatusCode(error);
  if (network && status === undefined) {
    return new ServiceUnavailableError(`${where}: ${network} (${action})`);
  }
  const name = s3ErrorName(error) ?? 'Error';
  const message = (error as S3ErrorShape | undefined)?.message;
  const detail = `${where}: ${action} failed${
    status ? ` (HTTP ${status} ${name})` : ` (${name})`
  }${
    message && message !== name && message !== 'UnknownError'
      ? `: ${message}`
      : ''
  }`;
  if (
    status === 403 ||
    name === 'InvalidAccessKeyId' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'AccessDenied'
  ) {
    return new NotAllowedError(detail);
  }
  if (status === 409) {
    return new ConflictError(detail);
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new InputError(detail);
  }
  return new ServiceUnavailableError(detail);
}
