import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KUBERNETES_CLUSTER_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  isDns1123Label,
  isDns1123Subdomain,
  readAnnotation,
} from '@mlstack/plugin-mlops-common';
import type { KubernetesCluster } from '@mlstack/plugin-mlops-node';
import type { ClusterProvider } from './ClusterProvider';
import {
  LabelRequirement,
  LabelSelectorSyntaxError,
  parseLabelSelector,
} from './labelSelector';

/** Where an entity's Kubernetes objects are: a configured cluster and a namespace. */
export interface EntityKubernetesScope {
  entityRef: string;
  cluster: KubernetesCluster;
  namespace: string;
}

/** A label selector read from an annotation: the text sent to the API server, and its parts. */
export interface AnnotatedSelector {
  text: string;
  requirements: LabelRequirement[];
}

/**
 * The entity's cluster (`mlstack.io/kubernetes-cluster`, else the default one) and namespace
 * (`backstage.io/kubernetes-namespace`, required). InputError naming the annotation when the
 * namespace is missing or not a namespace name, or naming the configured clusters for an
 * unknown cluster; NotAllowedError when the namespace does not belong to the entity's owner
 * (see NamespaceOwnership).
 */
export async function resolveEntityScope(
  entity: Entity,
  clusters: ClusterProvider,
): Promise<EntityKubernetesScope> {
  const entityRef = stringifyEntityRef(entity);
  const namespace = readAnnotation(entity, KUBERNETES_NAMESPACE_ANNOTATION);
  if (!namespace) {
    throw new InputError(
      `${entityRef} has no ${KUBERNETES_NAMESPACE_ANNOTATION} annotation: it does not say which namespace its workflows and services are in`,
    );
  }
  if (!isDns1123Label(namespace)) {
    throw new InputError(
      `The ${KUBERNETES_NAMESPACE_ANNOTATION} annotation of ${entityRef} is '${namespace}', which is not a namespace name`,
    );
  }
  const cluster = clusters.get(
    readAnnotation(entity, KUBERNETES_CLUSTER_ANNOTATION),
  );
  await clusters.assertNamespaceUsable(entity, cluster, namespace);
  return { entityRef, cluster, namespace };
}

/** The label selector of an annotation, checked; undefined when the annotation is absent. */
export function readSelectorAnnotation(
  entity: Entity,
  key: string,
): AnnotatedSelector | undefined {
  const text = readAnnotation(entity, key);
  if (!text) {
    return undefined;
  }
  try {
    const requirements = parseLabelSelector(text);
    // `!x`, `x notin (a)`, `x`, `x>1`: each matches objects of any team that merely lack or
    // carry a label; a selector must name at least one label value.
    if (!requirements.some(r => r.operator === 'in')) {
      throw new InputError(
        `The ${key} annotation of ${stringifyEntityRef(
          entity,
        )} is '${text}', which selects too much: name at least one label value (e.g. app.kubernetes.io/part-of=my-project)`,
      );
    }
    return { text, requirements };
  } catch (error) {
    if (error instanceof LabelSelectorSyntaxError) {
      throw new InputError(
        `The ${key} annotation of ${stringifyEntityRef(
          entity,
        )} is not a valid label selector: '${text}': ${error.message}`,
      );
    }
    throw error;
  }
}

/** Object names (of templates, services) are DNS subdomains; anything else is refused. */
export function assertObjectName(name: string, what: string): void {
  if (!isDns1123Subdomain(name)) {
    throw new InputError(`'${name}' is not a valid ${what} name`);
  }
}
