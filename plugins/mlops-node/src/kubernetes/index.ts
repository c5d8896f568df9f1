/**
 * Kubernetes access: the clusters configured under `mlops.kubernetes`, each through its own
 * KubeConfig (needs the `@kubernetes/client-node` dependency), and the custom resource types
 * the views read.
 */
export {
  DEFAULT_KUBERNETES_CLUSTER_NAME,
  KubernetesClusters,
  type KubeConfigLoaders,
  type KubernetesClustersOptions,
} from './KubernetesClusters';
export {
  DEFAULT_KUBERNETES_REQUEST_TIMEOUT_MS,
  KubernetesCluster,
  type CustomObjectListOptions,
  type KubernetesClusterOptions,
  type CustomObjectPage,
  type WriteOptions,
  type KubernetesClusterSource,
} from './KubernetesCluster';
export {
  ARGO_CLUSTER_WORKFLOW_TEMPLATE_RESOURCE,
  ARGO_WORKFLOW_RESOURCE,
  ARGO_WORKFLOW_TEMPLATE_RESOURCE,
  KSERVE_INFERENCE_SERVICE_RESOURCE,
  type CustomResourceType,
} from './customResources';
export {
  KUBERNETES_CONFIG_KEY,
  readKubernetesClustersConfig,
  readKubernetesRequestTimeoutMs,
  type KubernetesClusterConfig,
} from './config';
export {
  kubernetesTimeoutError,
  toKubernetesError,
  withoutAccountName,
} from './kubernetesErrors';
