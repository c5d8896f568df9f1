/** KServe: a pure parser of InferenceService objects, and the deploy core (plans, rules). No Kubernetes client here. */
export {
  KSERVE_DEFAULT_DEPLOYMENT_MODE,
  KSERVE_DEPLOYMENT_MODE_ANNOTATION,
  KSERVE_STOP_ANNOTATION,
  normaliseDeploymentMode,
  parseInferenceService,
  readServedModelRecord,
  type ParseInferenceServiceOptions,
} from './parseInferenceService';
export { KSERVE_LEGACY_FRAMEWORKS } from './predictor';
export * from './deploy';
