export { mlopsApiRef } from './MlopsApi';
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
} from './MlopsApi';
export { MlopsClient } from './MlopsClient';
