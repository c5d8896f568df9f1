import type {
  ArgoWorkflowDetail,
  ArgoWorkflowSummary,
  ArgoWorkflowTemplateSummary,
} from './types';

/**
 * Responses of the backend's Argo Workflows routes. Every route is keyed by the entity:
 *
 *   base = /api/mlops/entities/:kind/:namespace/:name/argo
 *
 * | route                                            | query / body                          | response                       |
 * |--------------------------------------------------|---------------------------------------|--------------------------------|
 * | GET  base/workflows                              | limit (1..200, default 25), continue  | ArgoWorkflowPage               |
 * | GET  base/workflows/:workflow                    |                                       | ArgoWorkflowDetail             |
 * | GET  base/workflows/:workflow/nodes/:nodeId/logs | container (default main), tailLines   | ArgoNodeLogs                   |
 * | GET  base/workflow-templates                     |                                       | ArgoWorkflowTemplatesResponse  |
 * | POST base/workflow-templates/:template/submit    | body ArgoSubmitRequest                | 201 ArgoWorkflowSummary        |
 * | POST base/workflows/:workflow/resubmit           | (memoized: true → 400, unsupported)   | 201 ArgoWorkflowSummary        |
 * | POST base/workflows/:workflow/retry              |                                       | ArgoWorkflowSummary            |
 * | POST base/workflows/:workflow/stop               |                                       | ArgoWorkflowSummary            |
 * | POST base/workflows/:workflow/terminate          |                                       | ArgoWorkflowSummary            |
 *
 * The entity's workflows are those matching its `argoworkflows.argoproj.io/workflow-selector`
 * or submitted from one of its `mlstack.io/argo-workflow-template` templates, in the namespace
 * of `backstage.io/kubernetes-namespace`, on the cluster of `mlstack.io/kubernetes-cluster`.
 * A workflow outside that scope is 404. Actions are 403 without their permission (see
 * permissions.ts) and are recorded by the auditor.
 *
 * Errors use Backstage's error body: 400 for an invalid annotation (selector, namespace) or
 * request, naming what was wrong; 403 when the cluster refuses the backend's account (the
 * message says which verb/resource); 404; 503 when the cluster is unreachable or rejects the
 * token.
 */

/**
 * Where the entity's objects are looked up.
 *
 * @public
 */
export interface KubernetesScope {
  /** Configured cluster name. */
  cluster: string;
  namespace: string;
}

/**
 * One page of the entity's workflows (`GET …/argo/workflows`).
 *
 * @public
 */
export interface ArgoWorkflowPage extends KubernetesScope {
  /**
   * Newest first across pages: by start time (`startedAt`, else creationTimestamp while not started) descending, then by name (the backend
   * pages a cache kept current by list + watch). Only when the backend cannot watch (RBAC
   * without `watch`, or the watch keeps failing) does it list page by page from the API
   * server, which lists by name: then the order is newest first within the page only.
   */
  items: ArgoWorkflowSummary[];
  /**
   * Pass as `continue` for the next page; absent on the last page. Opaque: for the cache, the
   * start time and name of this page's last item (each workflow is visited once, even when
   * workflows are created or deleted between pages); for the direct list, the selector and the
   * API server's token. 400 once the entity's selector or templates changed.
   */
  continue?: string;
  /** What is left after this page (from the cache: exact; else the API server's estimate). */
  remainingItemCount?: number;
}

/**
 * The entity's WorkflowTemplates (`GET …/argo/workflow-templates`).
 *
 * @public
 */
export interface ArgoWorkflowTemplatesResponse extends KubernetesScope {
  templates: ArgoWorkflowTemplateSummary[];
  /** Names from the template annotation that the cluster does not have. */
  missingTemplates: string[];
}

/**
 * The body of a submit from a WorkflowTemplate (`POST …/argo/workflow-templates/:template/submit`).
 *
 * @public
 */
export interface ArgoSubmitRequest {
  /** Parameter name → value; omitted parameters take the template's defaults. */
  parameters?: Record<string, string>;
}

/**
 * Logs of one node's pod container.
 *
 * @public
 */
export interface ArgoNodeLogs {
  workflow: string;
  nodeId: string;
  /** Absent when the node runs no pod (a Steps or DAG node). */
  podName?: string;
  container: string;
  /**
   * False when there is no pod to read (deleted by pod GC, node not a pod, or not started):
   * `reason` says which, in words for the page.
   */
  available: boolean;
  reason?: string;
  /** The log text (the last `tailLines` lines, default 1000). */
  text: string;
}

export type { ArgoWorkflowDetail, ArgoWorkflowSummary };
