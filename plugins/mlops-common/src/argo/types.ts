/**
 * Argo Workflows objects as the MLStack backend returns them: normalised from the
 * `argoproj.io/v1alpha1` Workflow and WorkflowTemplate custom resources (Argo Workflows v4).
 * Times are the RFC 3339 strings Kubernetes uses; durations are milliseconds. Nothing here
 * carries `metadata.managedFields`, pod specs or container commands.
 */

/**
 * `status.phase` of a Workflow; `Unknown` when the controller has not set one yet.
 *
 * @public
 */
export type ArgoWorkflowPhase =
  | 'Pending'
  | 'Running'
  | 'Succeeded'
  | 'Failed'
  | 'Error'
  | 'Unknown';

/**
 * `status.nodes[].phase`; `Unknown` when absent or not one Argo defines.
 *
 * @public
 */
export type ArgoNodePhase =
  | 'Pending'
  | 'Running'
  | 'Succeeded'
  | 'Skipped'
  | 'Failed'
  | 'Error'
  | 'Omitted'
  | 'Unknown';

/**
 * `status.nodes[].type`; `Unknown` for a type this version does not know.
 *
 * @public
 */
export type ArgoNodeType =
  | 'Pod'
  | 'Container'
  | 'Steps'
  | 'StepGroup'
  | 'DAG'
  | 'TaskGroup'
  | 'Retry'
  | 'Skipped'
  | 'Suspend'
  | 'HTTP'
  | 'Plugin'
  | 'Unknown';

/**
 * Argo's `progress` ("3/4"): done of total pods.
 *
 * @public
 */
export interface ArgoProgress {
  done: number;
  total: number;
}

/**
 * A Workflow as listed: no nodes.
 *
 * @public
 */
export interface ArgoWorkflowSummary {
  name: string;
  namespace: string;
  uid?: string;
  creationTimestamp?: string;
  phase: ArgoWorkflowPhase;
  /** Parsed from `status.progress`; absent before the first pod is counted. */
  progress?: ArgoProgress;
  startedAt?: string;
  finishedAt?: string;
  /** finishedAt - startedAt; absent while the workflow runs (use startedAt). */
  durationMs?: number;
  /** The controller's estimate from earlier runs of the same template (`status.estimatedDuration`). */
  estimatedDurationMs?: number;
  /** `status.message`, e.g. why the workflow failed. */
  message?: string;
  /**
   * The WorkflowTemplate (or ClusterWorkflowTemplate) it was submitted from:
   * `spec.workflowTemplateRef.name`, else the `workflows.argoproj.io/workflow-template`
   * (or `cluster-workflow-template`) label.
   */
  templateName?: string;
  /** True when templateName names a ClusterWorkflowTemplate. */
  clusterScopedTemplate?: boolean;
  /** `workflows.argoproj.io/cron-workflow` label: the CronWorkflow that scheduled it. */
  cronWorkflowName?: string;
  /** `workflows.argoproj.io/resubmitted-from-workflow` label. */
  resubmittedFrom?: string;
  /** `workflows.argoproj.io/creator` label (set by the Argo Server, or by MLStack on submit). */
  creator?: string;
  /** `workflows.argoproj.io/title` and `description` annotations, shown by the Argo UI. */
  title?: string;
  description?: string;
  entrypoint?: string;
  /** `spec.arguments.parameters`, name → value (values are always strings). */
  parameters: Record<string, string>;
  /** `spec.shutdown` while a stop or terminate is under way or done. */
  shutdown?: 'Stop' | 'Terminate';
  /** `spec.suspend`. */
  suspended: boolean;
  /**
   * The object's labels without Argo's bookkeeping ones (`workflows.argoproj.io/phase`,
   * `completed`, `workflow-archiving-status`); creator, template and user labels stay.
   */
  labels: Record<string, string>;
}

/**
 * A parameter of a node's inputs or outputs.
 *
 * @public
 */
export interface ArgoParameter {
  name: string;
  value?: string;
}

/**
 * Kinds of artifact storage an Argo artifact can name.
 *
 * @public
 */
export type ArgoArtifactStorage =
  | 's3'
  | 'gcs'
  | 'azure'
  | 'oss'
  | 'hdfs'
  | 'artifactory'
  | 'http'
  | 'git'
  | 'raw'
  | 'plugin';

/**
 * Where an artifact is stored; only non-secret coordinates.
 *
 * @public
 */
export interface ArgoArtifactLocation {
  storage: ArgoArtifactStorage;
  /** S3/GCS/OSS bucket or Azure container; for key-only S3/OSS artifacts, the workflow's repository bucket. */
  bucket?: string;
  /** Object key (S3/GCS/OSS), blob (Azure) or path (HDFS, Artifactory). */
  key?: string;
  /** S3/OSS endpoint (the repository's for key-only artifacts), Azure endpoint. */
  endpoint?: string;
  /** HTTP/Artifactory URL, or the git repository. */
  url?: string;
}

/**
 * An input or output artifact of a workflow node.
 *
 * @public
 */
export interface ArgoArtifact {
  name: string;
  /** Path inside the container. */
  path?: string;
  location?: ArgoArtifactLocation;
  optional?: boolean;
}

/**
 * The parameters and artifacts a workflow node takes.
 *
 * @public
 */
export interface ArgoNodeInputs {
  parameters: ArgoParameter[];
  artifacts: ArgoArtifact[];
}

/**
 * The parameters and artifacts a workflow node produced, with its exit code and result.
 *
 * @public
 */
export interface ArgoNodeOutputs extends ArgoNodeInputs {
  /** The main container's exit code, as Argo reports it ("0"). */
  exitCode?: string;
  /** `outputs.result` of a script or container template. */
  result?: string;
}

/**
 * One node of `status.nodes`.
 *
 * @public
 */
export interface ArgoNode {
  id: string;
  /** Full node name, e.g. `dag-diamond-82q7s.B` or `wf[0].step(1)`. */
  name: string;
  displayName: string;
  type: ArgoNodeType;
  phase: ArgoNodePhase;
  /** The template it runs (`templateRef.template` when it refers to a WorkflowTemplate). */
  templateName?: string;
  /** Set when the node runs a template of another (Cluster)WorkflowTemplate. */
  templateRef?: { name: string; template: string; clusterScope: boolean };
  /** Id of the Steps/DAG node that contains it. */
  boundaryId?: string;
  /** Ids of the nodes it leads to, in Argo's order. */
  children: string[];
  /** Ids of a Steps/DAG node's last nodes. */
  outboundNodes: string[];
  startedAt?: string;
  finishedAt?: string;
  /** finishedAt - startedAt; absent while the node runs. */
  durationMs?: number;
  message?: string;
  progress?: ArgoProgress;
  inputs: ArgoNodeInputs;
  outputs: ArgoNodeOutputs;
  /** For a Retry node: how many attempts followed the first one (its children minus one); 0 otherwise. */
  retries: number;
  /**
   * Pod of a Pod node (or of a Container node's pod), named as the Argo controller names it:
   * v2 names `<workflow>-<template>-<fnv32a(node name)>` unless the workflow's
   * `workflows.argoproj.io/pod-name-format` annotation says v1, which uses the node id.
   */
  podName?: string;
  /** Kubernetes node the pod ran on. */
  hostNodeName?: string;
}

/**
 * An edge of the workflow graph as the Argo UI draws it.
 *
 * @public
 */
export interface ArgoGraphEdge {
  from: string;
  to: string;
}

/**
 * The default artifact repository recorded in `status.artifactRepositoryRef` (no secrets).
 *
 * @public
 */
export interface ArgoArtifactRepository {
  configMap?: string;
  key?: string;
  storage?: ArgoArtifactStorage;
  bucket?: string;
  endpoint?: string;
  keyFormat?: string;
}

/**
 * A Workflow with its nodes and graph.
 *
 * @public
 */
export interface ArgoWorkflowDetail extends ArgoWorkflowSummary {
  /**
   * All nodes: breadth first from the root following Argo's order of children, then the
   * trees of nodes nobody lists as a child (the onExit handler, …) by id, then any rest by id.
   */
  nodes: ArgoNode[];
  /** parent → child, plus the workflow's last nodes → its onExit node. */
  edges: ArgoGraphEdge[];
  artifactRepository?: ArgoArtifactRepository;
  /**
   * True when the controller moved the node status to its database
   * (`status.offloadNodeStatusVersion`): nodes are then only readable through the Argo Server.
   */
  nodesOffloaded: boolean;
}

/**
 * A parameter a WorkflowTemplate takes (`spec.arguments.parameters`).
 *
 * @public
 */
export interface ArgoTemplateParameter {
  name: string;
  /** The value used when the submitter gives none (`value`, else `default`). */
  defaultValue?: string;
  /** The only values allowed, when the template restricts them. */
  enum?: string[];
  description?: string;
  /** No value, default or valueFrom: the submitter must give one. */
  required: boolean;
  /**
   * Whether a portal user may set it: it has an `enum`, or the template's
   * `mlstack.io/submittable-parameters` annotation lists it. Others keep the template's value.
   */
  submittable: boolean;
  /** The regular expression the whole value must match (from that annotation). */
  pattern?: string;
}

/**
 * A WorkflowTemplate or ClusterWorkflowTemplate.
 *
 * @public
 */
export interface ArgoWorkflowTemplateSummary {
  name: string;
  /** Absent for a ClusterWorkflowTemplate. */
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  clusterScoped: boolean;
  /** `workflows.argoproj.io/title` and `description` annotations. */
  title?: string;
  description?: string;
  /** `spec.entrypoint`; without one the template only offers templates to others. */
  entrypoint?: string;
  /** Whether it can be submitted as is: it has an entrypoint. */
  submittable: boolean;
  /** Why the `mlstack.io/submittable-parameters` annotation was ignored, when it is invalid. */
  submittableParametersError?: string;
  parameters: ArgoTemplateParameter[];
  /** Names of `spec.arguments.artifacts`. */
  artifactNames: string[];
  /** The templates it defines, with what each is (`container`, `steps`, `dag`, …). */
  templates: Array<{ name: string; kind: string }>;
  labels: Record<string, string>;
}
