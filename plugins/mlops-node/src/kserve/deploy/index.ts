export { DEPLOY_RUNTIMES, chooseRuntime, readMlmodelFlavors } from './runtimes';
export { kserveStorageUri } from './storageUri';
export { canaryRuleProblems } from './canaryRules';
export { planDeploy, canaryNameFor } from './deployPlan';
export type { DeployPlan, DeployPlanInput } from './deployPlan';
export { planPromote, planRollback, planStop } from './rolloutPlan';
export type { RolloutPlan } from './rolloutPlan';
export { INFERENCE_SERVICE_API_VERSION } from './manifest';
export { ModelDeployer, servingTagKey } from './ModelDeployer';
export type {
  DeployInput,
  DeployOutcome,
  ModelOrigin,
  RolloutOutcome,
} from './ModelDeployer';
export { DEPLOY_TARGETS_CONFIG_KEY, readDeployTargets } from './deployTargets';
export type { ConfiguredDeployTarget } from './deployTargets';
