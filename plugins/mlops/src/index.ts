/**
 * Frontend plugin of the MLStack plugins: the MLflow entity tab (runs, run
 * detail, comparison) and the MLflow models card.
 *
 * @packageDocumentation
 */
export {
  mlopsPlugin,
  EntityMlflowContent,
  EntityMlflowModelsCard,
} from './plugin';
export {
  isMlflowAvailable,
  isMlflowModelRegistryAvailable,
} from './conditions';
export { mlopsApiRef, MlopsClient } from './api';
export type {
  GetMlflowLoggedModelsOptions,
  ListMlflowArtifactsOptions,
  MlopsApi,
  MlopsEntityRef,
  SearchMlflowRunsOptions,
} from './api';
