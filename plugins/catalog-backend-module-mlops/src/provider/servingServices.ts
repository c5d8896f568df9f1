import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InferenceServiceSummary,
  KUBERNETES_CLUSTER_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import {
  KSERVE_INFERENCE_SERVICE_RESOURCE,
  KubernetesCluster,
  parseInferenceService,
} from '@mlstack/plugin-mlops-node';

/** The clusters the services are read from (`KubernetesClusters` of `-node` is one). */
export interface ClusterSource {
  get(name?: string): ServingCluster;
}

/** What is read of a cluster: its name and one list call. */
export type ServingCluster = Pick<
  KubernetesCluster,
  'name' | 'listCustomObjects'
>;

/** Where a claiming entity's services are: its cluster and namespace. */
export interface ServingScope {
  cluster: ServingCluster;
  namespace: string;
}

const PAGE_SIZE = 100;

/**
 * The InferenceServices the portal deployed for claiming entities, read once per entity and
 * run: those labelled `backstage.io/kubernetes-id=<entity name>` in the entity's namespace on
 * its cluster whose `mlstack.io/entity-ref` names the entity (as the MLOps backend's Serving
 * view reads them). A service serves a model when its `mlstack.io/served-model` or
 * `mlstack.io/canary-model` record names the model's instance and name.
 */
export class ServingServiceIndex {
  readonly #byClaimer = new Map<string, Promise<InferenceServiceSummary[]>>();

  constructor(private readonly clusters: ClusterSource) {}

  /** The claimer's cluster and namespace, or undefined when it names no namespace. */
  scopeOf(claimer: Entity): ServingScope | undefined {
    const annotations = claimer.metadata.annotations ?? {};
    const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
    if (!namespace) {
      return undefined;
    }
    return {
      cluster: this.clusters.get(annotations[KUBERNETES_CLUSTER_ANNOTATION]),
      namespace,
    };
  }

  /** The services serving the model, sorted by name; rejects when the cluster cannot be read. */
  async servicesServing(
    claimer: Entity,
    scope: ServingScope,
    model: { instance: string; modelName: string },
  ): Promise<InferenceServiceSummary[]> {
    const all = await this.servicesOf(claimer, scope);
    return all.filter(service =>
      [service.servedModel, service.canaryModel].some(
        record =>
          record?.instance === model.instance &&
          record.modelName === model.modelName,
      ),
    );
  }

  private servicesOf(
    claimer: Entity,
    scope: ServingScope,
  ): Promise<InferenceServiceSummary[]> {
    const claimerRef = stringifyEntityRef(claimer);
    let services = this.#byClaimer.get(claimerRef);
    if (!services) {
      services = listDeployedFor(claimer, claimerRef, scope);
      this.#byClaimer.set(claimerRef, services);
    }
    return services;
  }
}

async function listDeployedFor(
  claimer: Entity,
  claimerRef: string,
  scope: ServingScope,
): Promise<InferenceServiceSummary[]> {
  const services: InferenceServiceSummary[] = [];
  let continueToken: string | undefined;
  do {
    const page = await scope.cluster.listCustomObjects(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      scope.namespace,
      {
        labelSelector: `${KUBERNETES_ID_LABEL}=${claimer.metadata.name}`,
        limit: PAGE_SIZE,
        continueToken,
      },
    );
    services.push(
      ...page.items
        .map(item => parseInferenceService(item))
        .filter(service => service.deployedFor === claimerRef),
    );
    continueToken = page.continueToken;
  } while (continueToken);
  return services.sort((a, b) => a.name.localeCompare(b.name));
}
