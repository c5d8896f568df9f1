/**
 * The `apiVersion` of Argo Workflows' custom resources.
 *
 * @public
 */
export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

/**
 * Labels the Argo Workflows controller and server read and write (argo-workflows v4 `workflow/common/common.go`).
 *
 * @public
 */
export const ARGO_LABELS = {
  /** Set by the Argo Server on a Workflow submitted from a WorkflowTemplate. */
  workflowTemplate: 'workflows.argoproj.io/workflow-template',
  /** Same, from a ClusterWorkflowTemplate. */
  clusterWorkflowTemplate: 'workflows.argoproj.io/cluster-workflow-template',
  cronWorkflow: 'workflows.argoproj.io/cron-workflow',
  /** Set on a resubmitted Workflow: the name of the original. */
  resubmittedFrom: 'workflows.argoproj.io/resubmitted-from-workflow',
  creator: 'workflows.argoproj.io/creator',
  creatorEmail: 'workflows.argoproj.io/creator-email',
  creatorPreferredUsername: 'workflows.argoproj.io/creator-preferred-username',
  actor: 'workflows.argoproj.io/actor',
  actorEmail: 'workflows.argoproj.io/actor-email',
  actorPreferredUsername: 'workflows.argoproj.io/actor-preferred-username',
  /** The last action an actor took: Stop, Terminate, Retry, … */
  action: 'workflows.argoproj.io/action',
  controllerInstanceId: 'workflows.argoproj.io/controller-instanceid',
  /** Bookkeeping of the controller. */
  phase: 'workflows.argoproj.io/phase',
  completed: 'workflows.argoproj.io/completed',
  archivingStatus: 'workflows.argoproj.io/workflow-archiving-status',
} as const;

export const ARGO_ANNOTATIONS = {
  /** `v1` (pods named by node id) or `v2` (workflow-template-hash). */
  podNameFormat: 'workflows.argoproj.io/pod-name-format',
  title: 'workflows.argoproj.io/title',
  description: 'workflows.argoproj.io/description',
} as const;

/** Labels the controller maintains; a list view has no use for them. */
export const ARGO_BOOKKEEPING_LABELS: readonly string[] = [
  ARGO_LABELS.phase,
  ARGO_LABELS.completed,
  ARGO_LABELS.archivingStatus,
];
