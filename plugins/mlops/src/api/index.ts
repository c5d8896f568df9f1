export { mlopsApiRef } from './MlopsApi';
export type {
  GetArgoNodeLogsOptions,
  GetInferenceServiceLogsOptions,
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
