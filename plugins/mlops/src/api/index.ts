export { mlopsApiRef } from './MlopsApi';
export type {
  GetMlflowLoggedModelsOptions,
  ListMlflowArtifactsOptions,
  MlopsApi,
  MlopsEntityRef,
  SearchMlflowRunsOptions,
} from './MlopsApi';
export { MlopsClient } from './MlopsClient';
