import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  KubernetesCluster,
  KubernetesClusters,
  NamespaceOwnershipConfig,
  readKubernetesClustersConfig,
} from '@mlstack/plugin-mlops-node';
import type { Entity } from '@backstage/catalog-model';
import { NamespaceOwnership } from './NamespaceOwnership';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ClusterProviderOptions {
  config: Config;
  logger: LoggerService;
  /** Where KUBERNETES_SERVICE_HOST and KUBECONFIG are read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Whether a file exists; tests replace it. */
  fileExists?: (file: string) => boolean;
  /** Builds the clusters; tests replace it. */
  build?: (config: Config) => KubernetesClusters;
}

/**
 * The configured Kubernetes clusters, built on first use so that a backend without any
 * cluster (no `mlops.kubernetes`, no kubeconfig, not in a pod) still starts and serves its
 * MLflow routes. While the clusters cannot be built, every Kubernetes route answers 503 with
 * the reason; the build is tried again on the next request, so a kubeconfig that appears
 * later is picked up. The reason is logged once.
 */
export class ClusterProvider {
  #clusters?: KubernetesClusters;
  #loggedReason?: string;
  readonly #options: ClusterProviderOptions;
  readonly #namespaces: NamespaceOwnership;

  /** Reads `mlops.ownership.namespaces` now: a bad entry fails the start, naming the key. */
  constructor(options: ClusterProviderOptions) {
    this.#options = options;
    this.#namespaces = new NamespaceOwnership({
      config: NamespaceOwnershipConfig.fromConfig(options.config),
    });
  }

  /**
   * NotAllowedError unless the namespace belongs to the entity's owner (see
   * NamespaceOwnership).
   */
  assertNamespaceUsable(
    entity: Entity,
    cluster: KubernetesCluster,
    namespace: string,
  ): Promise<void> {
    return this.#namespaces.assertUsable(entity, cluster, namespace);
  }

  /** The named cluster, else the default one; InputError naming the configured ones. */
  get(name?: string): KubernetesCluster {
    return this.clusters().get(name);
  }

  /** Builds the clusters now and logs why it cannot; never throws. */
  check(): void {
    try {
      const clusters = this.clusters();
      this.#options.logger.info(
        `Kubernetes clusters of the MLStack views: ${clusters
          .names()
          .join(', ')}`,
      );
    } catch {
      // logged by clusters()
    }
  }

  private clusters(): KubernetesClusters {
    if (this.#clusters) {
      return this.#clusters;
    }
    try {
      this.assertSomethingToLoad();
      this.#clusters = (this.#options.build ?? KubernetesClusters.fromConfig)(
        this.#options.config,
      );
      return this.#clusters;
    } catch (error) {
      const reason = (error as Error).message;
      if (this.#loggedReason !== reason) {
        this.#loggedReason = reason;
        this.#options.logger.warn(
          `The Argo Workflows and KServe views are unavailable: ${reason}`,
        );
      }
      throw error instanceof ServiceUnavailableError
        ? error
        : new ServiceUnavailableError(
            `Kubernetes is not available to the MLStack backend: ${reason}`,
          );
    }
  }

  /**
   * Without config, KubeConfig.loadFromDefault falls back to http://localhost:8080 when there
   * is no kubeconfig: every call would then fail with a puzzling ECONNREFUSED. Say why instead.
   */
  private assertSomethingToLoad(): void {
    const { config } = this.#options;
    const env = this.#options.env ?? process.env;
    const exists = this.#options.fileExists ?? fs.existsSync;
    if (readKubernetesClustersConfig(config) || env.KUBERNETES_SERVICE_HOST) {
      return;
    }
    const files = env.KUBECONFIG
      ? env.KUBECONFIG.split(path.delimiter).filter(Boolean)
      : [path.join(os.homedir(), '.kube', 'config')];
    if (!files.some(file => exists(file))) {
      throw new ServiceUnavailableError(
        'No Kubernetes cluster is configured for the MLStack backend: list clusters under ' +
          'mlops.kubernetes.clusters, or give the backend a kubeconfig (KUBECONFIG or ~/.kube/config)',
      );
    }
  }
}
