/** A custom resource type as the Kubernetes API addresses it. */
export interface CustomResourceType {
  group: string;
  version: string;
  /** The resource, as in the URL: `workflows`. */
  plural: string;
  kind: string;
  /** False for cluster-scoped types (ClusterWorkflowTemplate). */
  namespaced: boolean;
}

export const ARGO_WORKFLOW_RESOURCE: CustomResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'workflows',
  kind: 'Workflow',
  namespaced: true,
};

export const ARGO_WORKFLOW_TEMPLATE_RESOURCE: CustomResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'workflowtemplates',
  kind: 'WorkflowTemplate',
  namespaced: true,
};

export const ARGO_CLUSTER_WORKFLOW_TEMPLATE_RESOURCE: CustomResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'clusterworkflowtemplates',
  kind: 'ClusterWorkflowTemplate',
  namespaced: false,
};

export const KSERVE_INFERENCE_SERVICE_RESOURCE: CustomResourceType = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
  plural: 'inferenceservices',
  kind: 'InferenceService',
  namespaced: true,
};
