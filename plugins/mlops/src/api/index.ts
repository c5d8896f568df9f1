export { mlopsApiRef } from './MlopsApi';
export type {
  GetArgoNodeLogsOptions,
  GetInferenceServiceLogsOptions,
  GetLogsOptions,
  GetMlflowLoggedModelsOptions,
  ListArgoWorkflowsOptions,
  ListMlflowArtifactsOptions,
  MlopsApi,
  MlopsEntityRef,
  SearchMlflowRunsOptions,
} from './MlopsApi';
export { MlopsClient } from './MlopsClient';
