/**
 * A custom resource type as the Kubernetes API addresses it.
 *
 * @public
 */
export interface CustomResourceType {
  group: string;
  version: string;
  /** The resource, as in the URL: `workflows`. */
  plural: string;
  kind: string;
  /** False for cluster-scoped types (ClusterWorkflowTemplate). */
  namespaced: boolean;
}

/**
 * Argo Workflows' `Workflow` (`argoproj.io/v1alpha1`).
 *
 * @public
 */
export const ARGO_WORKFLOW_RESOURCE: CustomResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'workflows',
  kind: 'Workflow',
  namespaced: true,
};

/**
 * Argo Workflows' `WorkflowTemplate` (`argoproj.io/v1alpha1`).
 *
 * @public
 */
export const ARGO_WORKFLOW_TEMPLATE_RESOURCE: CustomResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'workflowtemplates',
  kind: 'WorkflowTemplate',
  namespaced: true,
};

/**
 * Argo Workflows' cluster-scoped `ClusterWorkflowTemplate` (`argoproj.io/v1alpha1`).
 *
 * @public
 */
export const ARGO_CLUSTER_WORKFLOW_TEMPLATE_RESOURCE: CustomResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'clusterworkflowtemplates',
  kind: 'ClusterWorkflowTemplate',
  namespaced: false,
};

/**
 * KServe's `InferenceService` (`serving.kserve.io/v1beta1`).
 *
 * @public
 */
export const KSERVE_INFERENCE_SERVICE_RESOURCE: CustomResourceType = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
  plural: 'inferenceservices',
  kind: 'InferenceService',
  namespaced: true,
};
