/**
 * Argo Workflows: pure parsers of Workflow and WorkflowTemplate objects, and builders of the
 * objects and patches Argo's own CLI and server send. No Kubernetes client here.
 */
export { ARGO_ANNOTATIONS, ARGO_API_VERSION, ARGO_LABELS } from './constants';
export { parseWorkflowSummary, parseProgress } from './parseWorkflowSummary';
export { parseWorkflowDetail } from './parseWorkflowDetail';
export { parseWorkflowTemplate } from './parseWorkflowTemplate';
export { slimWorkflowForList } from './slimWorkflowForList';
export { argoPodName, fnv32a, type ArgoPodNameVersion } from './podName';
export {
  buildWorkflowFromTemplate,
  type ArgoWorkflowFromTemplate,
  type BuildWorkflowFromTemplateOptions,
} from './buildWorkflowFromTemplate';
export {
  ARGO_SHUTDOWN_PATCH_CONTENT_TYPE,
  assertWorkflowCanBeShutDown,
  buildShutdownPatch,
  type ArgoShutdownPatch,
  type ArgoShutdownStrategy,
} from './shutdownWorkflow';
export {
  buildResubmittedWorkflow,
  type ResubmitWorkflowOptions,
} from './resubmitWorkflow';
export {
  retryFailedWorkflow,
  type RetriedWorkflow,
  type RetryFailedWorkflowOptions,
} from './retryFailedWorkflow';
export { toLabelValue } from './labels';
export {
  readSubmittableParameters,
  type SubmittableParameters,
  type SubmittablePattern,
} from './submittableParameters';
