import {
  configError,
  readConfigName,
  readNamedList,
  readServiceUrl,
} from '../config/configReaders';
import type { Config } from '@backstage/config';

export const KUBERNETES_CONFIG_KEY = 'mlops.kubernetes';

/** One entry of `mlops.kubernetes.clusters`, validated. */
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
