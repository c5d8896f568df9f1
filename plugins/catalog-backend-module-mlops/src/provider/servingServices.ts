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

/**
 * The clusters the services are read from (`KubernetesClusters` of `-node` is one).
 *
 * @public
 */
export interface ClusterSource {
  get(name?: string): ServingCluster;
}

/**
 * What is read of a cluster: its name and one list call.
 *
 * @public
 */
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
/** The most claimer names one set-based label selector names (`kubernetes-id in (…)`). */
export const CLAIMERS_PER_LIST = 100;

function scopeKey(scope: ServingScope): string {
  return `${scope.cluster.name}\u0000${scope.namespace}`;
}

/**
 * The InferenceServices the portal deployed for claiming entities, read once per entity and
 * run: those labelled `backstage.io/kubernetes-id=<entity name>` in the entity's namespace on
 * its cluster whose `mlstack.io/entity-ref` names the entity (as the MLStack backend's Serving
 * view reads them). A service serves a model when its `mlstack.io/served-model` or
 * `mlstack.io/canary-model` record names the model's instance and name.
 *
 * Given the claimers of a page, the index lists the services of all of them that share a
 * cluster and namespace with one call (`backstage.io/kubernetes-id in (…)`, up to
 * CLAIMERS_PER_LIST names), made when the first of them is asked for: a pass over a thousand
 * claimers makes a list per namespace and page, not a thousand. (Entity names are valid label
 * values: the catalog checks names with the same rule.)
 */
export class ServingServiceIndex {
  readonly #byClaimer = new Map<string, Promise<InferenceServiceSummary[]>>();
  /** Scope key → the given claimers of that scope whose services are not listed yet. */
  readonly #unlisted = new Map<string, Entity[]>();

  constructor(
    private readonly clusters: ClusterSource,
    claimers: Entity[] = [],
  ) {
    const seen = new Set<string>();
    for (const claimer of claimers) {
      const ref = stringifyEntityRef(claimer);
      let scope: ServingScope | undefined;
      try {
        scope = this.scopeOf(claimer);
      } catch {
        // an unknown cluster: reported when the claimer's services are asked for
      }
      if (!scope || seen.has(ref)) {
        continue;
      }
      seen.add(ref);
      const key = scopeKey(scope);
      const group = this.#unlisted.get(key);
      if (group) {
        group.push(claimer);
      } else {
        this.#unlisted.set(key, [claimer]);
      }
    }
  }

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

  /**
   * The claimer's services: listed with the other unlisted claimers of its scope (the claimer
   * first, then up to CLAIMERS_PER_LIST in all), each of them keeping its own.
   */
  private servicesOf(
    claimer: Entity,
    scope: ServingScope,
  ): Promise<InferenceServiceSummary[]> {
    const claimerRef = stringifyEntityRef(claimer);
    const known = this.#byClaimer.get(claimerRef);
    if (known) {
      return known;
    }
    const key = scopeKey(scope);
    const others = (this.#unlisted.get(key) ?? []).filter(
      c => stringifyEntityRef(c) !== claimerRef,
    );
    const batch = [claimer, ...others.splice(0, CLAIMERS_PER_LIST - 1)];
    this.#unlisted.set(key, others);
    const listed = listLabelled(
      batch.map(c => c.metadata.name),
      scope,
    );
    for (const member of batch) {
      const ref = stringifyEntityRef(member);
      const services = listed.then(all =>
        all.filter(
          service =>
            service.labels[KUBERNETES_ID_LABEL] === member.metadata.name &&
            service.deployedFor === ref,
        ),
      );
      // A batch member whose services nobody asks for (its model was not found) must not
      // leave an unhandled rejection behind; those who ask still get the failure.
      services.catch(() => undefined);
      this.#byClaimer.set(ref, services);
    }
    return this.#byClaimer.get(claimerRef)!;
  }
}

/** The services labelled `backstage.io/kubernetes-id` = one of the names in the scope, by name. */
async function listLabelled(
  names: string[],
  scope: ServingScope,
): Promise<InferenceServiceSummary[]> {
  const unique = Array.from(new Set(names)).sort();
  const labelSelector =
    unique.length === 1
      ? `${KUBERNETES_ID_LABEL}=${unique[0]}`
      : `${KUBERNETES_ID_LABEL} in (${unique.join(',')})`;
  const services: InferenceServiceSummary[] = [];
  let continueToken: string | undefined;
  do {
    const page = await scope.cluster.listCustomObjects(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      scope.namespace,
      { labelSelector, limit: PAGE_SIZE, continueToken },
    );
    services.push(...page.items.map(item => parseInferenceService(item)));
    continueToken = page.continueToken;
  } while (continueToken);
  return services.sort((a, b) => a.name.localeCompare(b.name));
}
