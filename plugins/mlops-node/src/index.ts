/**
 * Node library of the MLStack plugins: a typed client of MLflow 3 tracking servers and model
 * registries and the `mlops.mlflow` configuration that names them; the Kubernetes clusters of
 * `mlops.kubernetes`; parsers and builders of Argo Workflows and KServe objects; the KServe
 * deploy core; and the builder of a model's lineage graph.
 *
 * @packageDocumentation
 */

// MLflow
export {
  MlflowInstances,
  MlflowClient,
  MlflowError,
  artifactPathProblem,
} from './mlflow';
export type {
  MlflowInstancesOptions,
  MlflowClientOptions,
  MlflowCreateExperimentRequest,
  MlflowCreateRegisteredModelRequest,
  MlflowSearchRunsRequest,
  MlflowGetMetricHistoryRequest,
  MlflowListArtifactsRequest,
  MlflowSearchLoggedModelsRequest,
  MlflowLoggedModelPage,
  MlflowCredentials,
} from './mlflow';

// Argo Workflows
export {
  ARGO_API_VERSION,
  ARGO_LABELS,
  parseWorkflowSummary,
  parseWorkflowDetail,
  parseWorkflowTemplate,
  slimWorkflowForList,
  buildWorkflowFromTemplate,
  assertWorkflowCanBeShutDown,
  buildShutdownPatch,
  buildResubmittedWorkflow,
  retryFailedWorkflow,
} from './argo';
export type {
  ArgoWorkflowFromTemplate,
  BuildWorkflowFromTemplateOptions,
  ArgoShutdownPatch,
  ArgoShutdownStrategy,
  ResubmitWorkflowOptions,
  RetriedWorkflow,
  RetryFailedWorkflowOptions,
} from './argo';

// KServe
export {
  parseInferenceService,
  DEPLOY_RUNTIMES,
  kserveStorageUri,
  ModelDeployer,
  DEPLOY_TARGETS_CONFIG_KEY,
  readDeployTargets,
} from './kserve';
export type {
  ParseInferenceServiceOptions,
  DeployPlan,
  DeployInput,
  DeployOutcome,
  ModelOrigin,
  RolloutOutcome,
  ConfiguredDeployTarget,
} from './kserve';

// Kubernetes
export {
  KubernetesClusters,
  KubernetesCluster,
  ARGO_CLUSTER_WORKFLOW_TEMPLATE_RESOURCE,
  ARGO_WORKFLOW_RESOURCE,
  ARGO_WORKFLOW_TEMPLATE_RESOURCE,
  KSERVE_INFERENCE_SERVICE_RESOURCE,
  KUBERNETES_CONFIG_KEY,
  readKubernetesClustersConfig,
  toKubernetesError,
} from './kubernetes';
export type {
  KubeConfigLoaders,
  KubernetesClustersOptions,
  CustomObjectListOptions,
  KubernetesClusterOptions,
  CustomObjectPage,
  WriteOptions,
  KubernetesClusterSource,
  CustomResourceType,
  KubernetesClusterConfig,
} from './kubernetes';
export type { PlainObject } from './kubernetes/objects';

// Lineage
export {
  buildLineageGraph,
  isValue,
  runLineageTags,
  selectLineageVersions,
} from './lineage';
export type {
  LineageGraph,
  LineageGraphInputs,
  Fetched,
  LineageFocus,
  VersionSelection,
} from './lineage';

// Configuration
export { configError, readServiceUrl } from './config/configReaders';
export {
  NamespaceOwnershipConfig,
  OWNERSHIP_CONFIG_KEY,
} from './config/ownershipConfig';
export type { NamespaceOwnershipEntry } from './config/ownershipConfig';
