import {
  configError,
  readConfigName,
  readNamedList,
  readServiceUrl,
} from '../config/configReaders';
import { type Config, readDurationFromConfig } from '@backstage/config';

/**
 * The config key of the clusters the plugins use.
 *
 * @public
 */
export const KUBERNETES_CONFIG_KEY = 'mlops.kubernetes';

/**
 * One entry of `mlops.kubernetes.clusters`, validated.
 *
 * @public
 */
export type KubernetesClusterConfig =
  | {
      name: string;
      /** A context of the backend's kubeconfig (KUBECONFIG, else ~/.kube/config). */
      kubeconfigContext: string;
    }
  | {
      name: string;
      /** API server URL, without trailing slash. */
      url: string;
      serviceAccountToken?: string;
      /** Base64 of the PEM CA bundle (a PEM given as is is encoded). */
      caData?: string;
      skipTLSVerify: boolean;
    };

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/** caData as the kubeconfig field wants it: base64 of PEM. A bare PEM is accepted too. */
function readCaData(value: string, key: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith(PEM_CERTIFICATE)) {
    return Buffer.from(trimmed, 'utf8').toString('base64');
  }
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  if (!decoded.includes(PEM_CERTIFICATE)) {
    throw configError(
      key,
      'must be a PEM CA certificate, or its base64 (as certificate-authority-data in a kubeconfig)',
    );
  }
  return trimmed;
}

function readCluster(cluster: Config, key: string): KubernetesClusterConfig {
  const name = readConfigName(cluster, key);
  const context = cluster.getOptionalString('kubeconfigContext');
  const url = cluster.getOptionalString('url');
  const token = cluster.getOptionalString('serviceAccountToken') || undefined;
  const caData = cluster.getOptionalString('caData') || undefined;
  const skipTLSVerify = cluster.getOptionalBoolean('skipTLSVerify');

  if (context && url) {
    throw configError(key, 'set either kubeconfigContext or url, not both');
  }
  if (context) {
    if (token || caData || skipTLSVerify !== undefined) {
      throw configError(
        key,
        'serviceAccountToken, caData and skipTLSVerify go with url; a kubeconfig context brings its own',
      );
    }
    return { name, kubeconfigContext: context };
  }
  if (!url) {
    throw configError(
      key,
      'set kubeconfigContext (a context of the backend kubeconfig) or url (the API server)',
    );
  }
  if (caData && skipTLSVerify) {
    throw configError(
      key,
      'caData and skipTLSVerify: true contradict each other',
    );
  }
  const result: KubernetesClusterConfig = {
    name,
    url: readServiceUrl(url, `${key}.url`, 'serviceAccountToken'),
    skipTLSVerify: skipTLSVerify ?? false,
  };
  if (token) {
    result.serviceAccountToken = token;
  }
  if (caData) {
    result.caData = readCaData(caData, `${key}.caData`);
  }
  return result;
}

/**
 * Reads and validates `mlops.kubernetes.clusters`. Undefined when nothing is configured (the
 * caller then uses the in-cluster or current kubeconfig context). Throws an error naming the
 * key for a bad name, a duplicate, both or neither of url/kubeconfigContext, TLS settings on a
 * kubeconfig context, or an empty list.
 *
 * @public
 */
export function readKubernetesClustersConfig(
  config: Config,
): KubernetesClusterConfig[] | undefined {
  const key = `${KUBERNETES_CONFIG_KEY}.clusters`;
  const configs = config
    .getOptionalConfig(KUBERNETES_CONFIG_KEY)
    ?.getOptionalConfigArray('clusters');
  if (configs === undefined) {
    return undefined;
  }
  return readNamedList(
    configs,
    key,
    `list at least one cluster, or leave ${key} out to use the backend's own kubeconfig context`,
    readCluster,
  );
}

/** The most `mlops.kubernetes.requestTimeout` may be: 10 minutes. */
const MAX_REQUEST_TIMEOUT_MS = 600_000;

const DURATION_MS: Record<string, number> = {
  years: 365 * 86_400_000,
  months: 30 * 86_400_000,
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
  milliseconds: 1,
};

/**
 * Reads `mlops.kubernetes.requestTimeout`, in milliseconds: a number of milliseconds, or a
 * Backstage duration (`5s`, `PT5S`, `{ seconds: 5 }`). Undefined when it is not set. Throws an
 * error naming the key for anything else, or for a timeout that is not above 0 and at most 10
 * minutes.
 */
export function readKubernetesRequestTimeoutMs(
  config: Config,
): number | undefined {
  const key = `${KUBERNETES_CONFIG_KEY}.requestTimeout`;
  const kubernetes = config.getOptionalConfig(KUBERNETES_CONFIG_KEY);
  const value = kubernetes?.getOptional('requestTimeout');
  if (kubernetes === undefined || value === undefined) {
    return undefined;
  }
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else {
    try {
      const duration = readDurationFromConfig(kubernetes, {
        key: 'requestTimeout',
      }) as Record<string, number | undefined>;
      ms = Object.entries(duration).reduce(
        (sum, [unit, amount]) => sum + (amount ?? 0) * (DURATION_MS[unit] ?? 0),
        0,
      );
    } catch (error) {
      throw configError(
        key,
        `a number of milliseconds or a duration such as '5s' or { seconds: 5 }: ${
          (error as Error).message
        }`,
      );
    }
  }
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_REQUEST_TIMEOUT_MS) {
    throw configError(
      key,
      `the timeout must be above 0 and at most 10 minutes, not ${JSON.stringify(
        value,
      )}`,
    );
  }
  return Math.round(ms);
}
