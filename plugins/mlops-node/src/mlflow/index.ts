export {
  MlflowInstances,
  type MlflowInstancesOptions,
} from './MlflowInstances';
export { MlflowClient } from './MlflowClient';
export type {
  MlflowClientOptions,
  MlflowCreateExperimentRequest,
  MlflowCreateRegisteredModelRequest,
  MlflowSearchRunsRequest,
  MlflowGetMetricHistoryRequest,
  MlflowListArtifactsRequest,
  MlflowSearchLoggedModelsRequest,
  MlflowLoggedModelPage,
} from './requests';
export { MlflowError } from './errors';
export { artifactPathProblem, assertArtifactPath } from './artifactPath';
export type { MlflowCredentials } from './transport';
