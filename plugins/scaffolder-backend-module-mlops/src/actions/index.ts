export {
  createS3CreateBucketAction,
  S3_CREATE_BUCKET_ACTION_ID,
} from './s3CreateBucket';
export {
  createMlflowCreateExperimentAction,
  MLFLOW_CREATE_EXPERIMENT_ACTION_ID,
} from './mlflowCreateExperiment';
export {
  createMlflowCreateRegisteredModelAction,
  MLFLOW_CREATE_REGISTERED_MODEL_ACTION_ID,
} from './mlflowCreateRegisteredModel';
export {
  createKubernetesApplyAction,
  KUBERNETES_APPLY_ACTION_ID,
} from './kubernetesApply';
export { createPublishGitAction, PUBLISH_GIT_ACTION_ID } from './publishGit';
export {
  createKserveDeployAction,
  KSERVE_DEPLOY_ACTION_ID,
} from './kserveDeploy';
export type { KserveDeployer } from './kserveDeploy';
