/**
 * Frontend plugin of the MLStack plugins: the MLflow entity tab (runs, run
 * detail, comparison), the MLflow models card, the Pipelines tab (Argo
 * Workflows) and the Serving tab (KServe).
 *
 * @packageDocumentation
 */
export {
  mlopsPlugin,
  EntityMlflowContent,
  EntityMlflowModelsCard,
  EntityPipelinesContent,
  EntityServingContent,
} from './plugin';
export {
  isArgoWorkflowsAvailable,
  isKServeAvailable,
  isMlflowAvailable,
  isMlflowModelRegistryAvailable,
} from './conditions';
export type { ModelRegistryCardProps as EntityMlflowModelsCardProps } from './components/mlflow/ModelRegistryCard';
export { mlopsApiRef, MlopsClient } from './api';
export type {
  GetArgoNodeLogsOptions,
  GetInferenceServiceLogsOptions,
  GetLineageOptions,
  GetLogsOptions,
  GetMlflowLoggedModelsOptions,
  InferenceServiceAction,
  ListArgoWorkflowsOptions,
  ListMlflowArtifactsOptions,
  MlopsApi,
  MlopsEntityRef,
  SearchMlflowRunsOptions,
} from './api';
