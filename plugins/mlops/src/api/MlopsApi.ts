import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ArgoNodeLogs,
  ArgoSubmitRequest,
  ArgoWorkflowDetail,
  ArgoWorkflowPage,
  ArgoWorkflowSummary,
  ArgoWorkflowTemplatesResponse,
  DeployPreview,
  DeployRequest,
  DeployTargetsResponse,
  InferenceServiceEvents,
  InferenceServiceLogs,
  InferenceServicesResponse,
  LineageResponse,
  MlflowArtifactPage,
  MlflowExperimentsResponse,
  MlflowLoggedModelsResponse,
  MlflowMetricHistory,
  MlflowModelsResponse,
  MlflowRunDetail,
  MlflowRunPage,
  RolloutRequest,
  RolloutResult,
} from '@mlstack/plugin-mlops-common';

/**
 * The entity the MLflow data belongs to: a compound ref or a string ref
 * (`component:default/fraud-detector`).
 *
 * @public
 */
export type MlopsEntityRef = CompoundEntityRef | string;

/**
 * Options of MlopsApi.searchMlflowRuns: which runs, in which order, and which page.
 *
 * @public
 */
export interface SearchMlflowRunsOptions {
  /** Restrict to these experiments; all of the entity's experiments if absent. */
  experimentIds?: string[];
  /** MLflow search syntax, e.g. `metrics.accuracy > 0.9 and params.lr = "0.01"`. */
  filter?: string;
  /** MLflow order clauses, e.g. metrics.\`accuracy\` DESC. */
  orderBy?: string[];
  pageToken?: string;
  /** 1..500; the backend defaults to 25. */
  maxResults?: number;
}

/**
 * Options of MlopsApi.listMlflowArtifacts: the folder and the page.
 *
 * @public
 */
export interface ListMlflowArtifactsOptions {
  /** Folder below the run's artifact root; the root if absent. */
  path?: string;
  pageToken?: string;
}

/**
 * Options of MlopsApi.getMlflowLoggedModels: the experiments and the page.
 *
 * @public
 */
export interface GetMlflowLoggedModelsOptions {
  experimentIds?: string[];
  pageToken?: string;
}

/**
 * Options of MlopsApi.listArgoWorkflows: the page size and the page.
 *
 * @public
 */
export interface ListArgoWorkflowsOptions {
  /** 1..200; the backend defaults to 25. */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
}

/**
 * Options of the log reads: how much of the log.
 *
 * @public
 */
export interface GetLogsOptions {
  /** How many lines from the end; the backend defaults to 1000. */
  tailLines?: number;
}

/**
 * Options of MlopsApi.getArgoNodeLogs: the container, and how much of its log.
 *
 * @public
 */
export interface GetArgoNodeLogsOptions extends GetLogsOptions {
  /** The pod's container; the backend defaults to `main`. */
  container?: string;
}

/**
 * Options of MlopsApi.getInferenceServiceLogs: the component, and how much of its log.
 *
 * @public
 */
export interface GetInferenceServiceLogsOptions extends GetLogsOptions {
  /** The backend defaults to `predictor`. */
  component?: InferenceServiceLogs['component'];
}

/**
 * Options of MlopsApi.getLineage: the model, and the version or alias to focus on.
 *
 * @public
 */
export interface GetLineageOptions {
  /** One of the entity's registered models; the backend defaults to the first. */
  model?: string;
  /** Focus on one version (not with `alias`). */
  version?: string;
  /** Focus on the version an alias points at (not with `version`). */
  alias?: string;
}

/**
 * Client of the MLStack backend's MLflow, Argo Workflows and KServe routes,
 * scoped to an entity.
 *
 * @public
 */
export interface MlopsApi {
  getMlflowExperiments(
    entityRef: MlopsEntityRef,
  ): Promise<MlflowExperimentsResponse>;
  searchMlflowRuns(
    entityRef: MlopsEntityRef,
    options?: SearchMlflowRunsOptions,
  ): Promise<MlflowRunPage>;
  getMlflowRun(
    entityRef: MlopsEntityRef,
    runId: string,
  ): Promise<MlflowRunDetail>;
  getMlflowMetricHistory(
    entityRef: MlopsEntityRef,
    runId: string,
    key: string,
  ): Promise<MlflowMetricHistory>;
  listMlflowArtifacts(
    entityRef: MlopsEntityRef,
    runId: string,
    options?: ListMlflowArtifactsOptions,
  ): Promise<MlflowArtifactPage>;
  getMlflowModels(entityRef: MlopsEntityRef): Promise<MlflowModelsResponse>;
  getMlflowLoggedModels(
    entityRef: MlopsEntityRef,
    options?: GetMlflowLoggedModelsOptions,
  ): Promise<MlflowLoggedModelsResponse>;

  /** One page of the entity's workflows, newest first. */
  listArgoWorkflows(
    entityRef: MlopsEntityRef,
    options?: ListArgoWorkflowsOptions,
  ): Promise<ArgoWorkflowPage>;
  /** One workflow with its nodes and graph. */
  getArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowDetail>;
  /** The logs of one node's pod container. */
  getArgoNodeLogs(
    entityRef: MlopsEntityRef,
    workflow: string,
    nodeId: string,
    options?: GetArgoNodeLogsOptions,
  ): Promise<ArgoNodeLogs>;
  /** The entity's WorkflowTemplates, with the names the cluster lacks. */
  getArgoWorkflowTemplates(
    entityRef: MlopsEntityRef,
  ): Promise<ArgoWorkflowTemplatesResponse>;
  /** Submits a workflow from one of the entity's templates. */
  submitArgoWorkflow(
    entityRef: MlopsEntityRef,
    template: string,
    request?: ArgoSubmitRequest,
  ): Promise<ArgoWorkflowSummary>;
  /** Resubmits a workflow as a new one. */
  resubmitArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowSummary>;
  /** Retries the failed nodes of a failed or errored workflow. */
  retryArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowSummary>;
  /** Stops a running workflow; exit handlers still run. */
  stopArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowSummary>;
  /** Terminates a running workflow; no exit handlers run. */
  terminateArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowSummary>;

  /** A registered model's lineage: data → workflow → run → version → services, with its gaps. */
  getLineage(
    entityRef: MlopsEntityRef,
    options?: GetLineageOptions,
  ): Promise<LineageResponse>;

  /** The entity's KServe InferenceServices. */
  getInferenceServices(
    entityRef: MlopsEntityRef,
  ): Promise<InferenceServicesResponse>;
  /** The logs of the newest pod of a service component. */
  getInferenceServiceLogs(
    entityRef: MlopsEntityRef,
    service: string,
    options?: GetInferenceServiceLogsOptions,
  ): Promise<InferenceServiceLogs>;

  /** The events of a service and of its predictor (and canaries') objects, newest first. */
  getInferenceServiceEvents(
    entityRef: MlopsEntityRef,
    service: string,
  ): Promise<InferenceServiceEvents>;

  /** Where the entity may deploy models, and the runtimes a deploy may choose. */
  getDeployTargets(entityRef: MlopsEntityRef): Promise<DeployTargetsResponse>;
  /** What a deploy would do (a server-side dry run); nothing is applied. */
  previewDeploy(
    entityRef: MlopsEntityRef,
    request: DeployRequest,
  ): Promise<DeployPreview>;
  /** Deploys a model: creates or replaces the service, or starts a canary. */
  deployModel(
    entityRef: MlopsEntityRef,
    request: DeployRequest,
  ): Promise<RolloutResult>;
  /** Sends all traffic to the canary's model. */
  promoteInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request?: RolloutRequest,
  ): Promise<RolloutResult>;
  /** Removes the canary; the served model keeps all traffic. */
  rollbackInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request?: RolloutRequest,
  ): Promise<RolloutResult>;
  /** Scales the service away (`serving.kserve.io/stop`); the object stays. */
  stopInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request?: RolloutRequest,
  ): Promise<RolloutResult>;
  /** Starts a stopped service again. */
  startInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request?: RolloutRequest,
  ): Promise<RolloutResult>;
  /** Deletes the InferenceService. */
  deleteInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request?: RolloutRequest,
  ): Promise<RolloutResult>;
}

/**
 * The service actions of the Serving tab (besides deploy).
 *
 * @public
 */
export type InferenceServiceAction =
  | 'promote'
  | 'rollback'
  | 'stop'
  | 'start'
  | 'delete';

/**
 * The API reference of the MlopsApi; the plugin provides MlopsClient for it.
 *
 * @public
 */
export const mlopsApiRef = createApiRef<MlopsApi>({
  id: 'plugin.mlops.api',
});
