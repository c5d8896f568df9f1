import {
  ARGO_WORKFLOW_SELECTOR_ANNOTATION,
  ARGO_WORKFLOW_TEMPLATE_ANNOTATION,
  KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION,
  KSERVE_SERVICE_ACCOUNT_ANNOTATION,
  KUBERNETES_CLUSTER_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  MLFLOW_EXPERIMENT_NAME_ANNOTATION,
} from '@mlstack/plugin-mlops-common';

/**
 * The annotation that marks entities this module emitted, naming the entity that claimed them.
 *
 * @public
 */
export const CLAIMED_BY_ANNOTATION = 'mlstack.io/claimed-by';

/**
 * `spec.type` of the model `Resource` entities.
 *
 * @public
 */
export const ML_MODEL_RESOURCE_TYPE = 'ml-model';

/**
 * Annotations of the claiming entity copied onto the model entity, so that the portal's
 * MLflow, Pipelines, Serving and Lineage views work on the model entity itself, in the
 * claimer's scope: its experiments (where the model's runs are), its workflows (which trained
 * them), its namespace and services.
 */
export const COPIED_SCOPE_ANNOTATIONS = [
  MLFLOW_EXPERIMENT_NAME_ANNOTATION,
  ARGO_WORKFLOW_SELECTOR_ANNOTATION,
  ARGO_WORKFLOW_TEMPLATE_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-label-selector',
  KUBERNETES_CLUSTER_ANNOTATION,
  KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION,
  KSERVE_SERVICE_ACCOUNT_ANNOTATION,
] as const;
