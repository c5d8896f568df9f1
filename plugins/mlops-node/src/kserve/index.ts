/** KServe: a pure parser of InferenceService objects. No Kubernetes client here. */
export {
  KSERVE_DEFAULT_DEPLOYMENT_MODE,
  KSERVE_DEPLOYMENT_MODE_ANNOTATION,
  normaliseDeploymentMode,
  parseInferenceService,
  type ParseInferenceServiceOptions,
} from './parseInferenceService';
export { KSERVE_LEGACY_FRAMEWORKS } from './predictor';
