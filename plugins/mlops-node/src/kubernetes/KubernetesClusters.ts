import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import {
  KUBERNETES_CONFIG_KEY,
  KubernetesClusterConfig,
  readKubernetesClustersConfig,
  readKubernetesRequestTimeoutMs,
} from './config';
import { KubernetesCluster } from './KubernetesCluster';

/** Name of the one cluster there is when `mlops.kubernetes.clusters` is not configured. */
export const DEFAULT_KUBERNETES_CLUSTER_NAME = 'default';

/**
 * How kubeconfigs are loaded; tests replace these.
 *
 * @public
 */
export interface KubeConfigLoaders {
  /** KUBECONFIG, else ~/.kube/config (`KubeConfig.loadFromDefault`). */
  fromDefault(): KubeConfig;
  /** The pod's service account (`KubeConfig.loadFromCluster`). */
  fromCluster(): KubeConfig;
}

/**
 * Options of KubernetesClusters.fromConfig.
 *
 * @public
 */
export interface KubernetesClustersOptions {
  /** Where KUBERNETES_SERVICE_HOST is read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  loaders?: KubeConfigLoaders;
}

const defaultLoaders: KubeConfigLoaders = {
  fromDefault() {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault();
    return kubeConfig;
  },
  fromCluster() {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromCluster();
    return kubeConfig;
  },
};

/** A KubeConfig with one cluster, user and context, from `url` and friends. */
function kubeConfigForUrl(
  cluster: Extract<KubernetesClusterConfig, { url: string }>,
): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    users: [{ name: cluster.name, token: cluster.serviceAccountToken }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: cluster.name },
    ],
    currentContext: cluster.name,
  });
  return kubeConfig;
}

function kubeConfigForContext(
  cluster: Extract<KubernetesClusterConfig, { kubeconfigContext: string }>,
  loaders: KubeConfigLoaders,
  key: string,
): KubeConfig {
  let kubeConfig: KubeConfig;
  try {
    kubeConfig = loaders.fromDefault();
  } catch (error) {
    throw new Error(
      `Invalid config at '${key}': cannot load the backend's kubeconfig: ${
        (error as Error).message
      }`,
    );
  }
  const contexts = kubeConfig.getContexts().map(c => c.name);
  if (!contexts.includes(cluster.kubeconfigContext)) {
    throw new Error(
      `Invalid config at '${key}.kubeconfigContext': the kubeconfig has no context '${
        cluster.kubeconfigContext
      }'; it has: ${contexts.join(', ') || 'none'}`,
    );
  }
  kubeConfig.setCurrentContext(cluster.kubeconfigContext);
  return kubeConfig;
}

/**
 * The Kubernetes clusters configured under `mlops.kubernetes.clusters`, each reached through
 * its own KubeConfig: an API server URL with a service-account token, or a context of the
 * backend's kubeconfig. Without that config there is one cluster, `default`: the pod's
 * service account when the backend runs in Kubernetes (KUBERNETES_SERVICE_HOST is set), else
 * the current context of the backend's kubeconfig. No other cluster is ever reachable.
 *
 * @public
 */
export class KubernetesClusters {
  /** The first configured cluster (or `default`). */
  readonly defaultName: string;
  readonly #clusters: Map<string, KubernetesCluster>;

  /**
   * Reads and validates the config and loads the kubeconfigs it needs; throws an error naming
   * the config key when something is wrong (including a kubeconfig context that does not exist).
   */
  static fromConfig(
    config: Config,
    options: KubernetesClustersOptions = {},
  ): KubernetesClusters {
    const loaders = options.loaders ?? defaultLoaders;
    const env = options.env ?? process.env;
    const configured = readKubernetesClustersConfig(config);
    const clusterOptions = {
      requestTimeoutMs: readKubernetesRequestTimeoutMs(config),
    };
    if (!configured) {
      const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST);
      return new KubernetesClusters([
        new KubernetesCluster(
          DEFAULT_KUBERNETES_CLUSTER_NAME,
          inCluster ? 'in-cluster' : 'kubeconfig',
          inCluster ? loaders.fromCluster() : loaders.fromDefault(),
          clusterOptions,
        ),
      ]);
    }
    return new KubernetesClusters(
      configured.map((cluster, index) => {
        const key = `${KUBERNETES_CONFIG_KEY}.clusters[${index}]`;
        return 'url' in cluster
          ? new KubernetesCluster(
              cluster.name,
              'config',
              kubeConfigForUrl(cluster),
              clusterOptions,
            )
          : new KubernetesCluster(
              cluster.name,
              'kubeconfig',
              kubeConfigForContext(cluster, loaders, key),
              clusterOptions,
            );
      }),
    );
  }

  private constructor(clusters: KubernetesCluster[]) {
    this.#clusters = new Map(clusters.map(c => [c.name, c]));
    this.defaultName = clusters[0].name;
  }

  /** The configured cluster names, in config order. */
  names(): string[] {
    return Array.from(this.#clusters.keys());
  }

  /**
   * The named cluster, or the default one when no name (or an empty one) is given. An unknown
   * name is an InputError that lists the configured clusters.
   */
  get(name?: string): KubernetesCluster {
    const wanted = name?.trim() || this.defaultName;
    const cluster = this.#clusters.get(wanted);
    if (!cluster) {
      throw new InputError(
        `Unknown Kubernetes cluster '${wanted}'; the configured clusters are: ${this.names().join(
          ', ',
        )}`,
      );
    }
    return cluster;
  }
}
