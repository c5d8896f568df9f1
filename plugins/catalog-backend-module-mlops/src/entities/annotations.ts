/** The annotation that marks entities this module emitted, naming the entity that claimed them. */
export const CLAIMED_BY_ANNOTATION = 'mlstack.io/claimed-by';

/** `spec.type` of the model `Resource` entities. */
export const ML_MODEL_RESOURCE_TYPE = 'ml-model';

/**
 * Annotations of the claiming entity copied onto the model entity, so that the portal's
 * MLflow, Serving and Kubernetes views work on the model entity itself.
 */
export const COPIED_KUBERNETES_ANNOTATIONS = [
  'backstage.io/kubernetes-namespace',
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-label-selector',
  'mlstack.io/kubernetes-cluster',
  'mlstack.io/kserve-selector',
  'mlstack.io/kserve-service-account',
] as const;
