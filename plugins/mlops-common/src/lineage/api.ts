/**
 * The lineage of a registered model, read from MLflow, Argo Workflows and KServe:
 *
 *   GET /api/mlops/entities/:kind/:namespace/:name/lineage?model=<name>&version=<n>|alias=<a>
 *
 * | query   | meaning                                                                       |
 * |---------|-------------------------------------------------------------------------------|
 * | model   | one of the entity's `mlflow.org/registered-model-name` models (default: first) |
 * | version | focus on one version (digits)                                                 |
 * | alias   | focus on the version an alias points at (not with `version`)                  |
 *
 * Without `version` or `alias`, the model's newest LINEAGE_MAX_VERSIONS versions are shown.
 * The graph reads left to right: data (DVC hash, git commit, MLflow dataset inputs) → Argo
 * workflow → MLflow run → logged model → registered model version → InferenceService. A link
 * that cannot be made is not hidden: it is a `gap` that says which link and why. An upstream
 * that fails (MLflow, the cluster) is a gap too; the other parts still show.
 *
 * Everything is read as the calling user, within the entity's scope (its experiments, models,
 * workflows and services, as on the MLflow, Pipelines and Serving tabs). Errors: 400 naming
 * the bad query parameter; 404 for an entity the caller may not see, or a version or alias the
 * model does not have.
 */

/**
 * The route below the plugin's base URL, keyed by the entity.
 *
 * @public
 */
export const LINEAGE_ROUTE_PATH = '/entities/:kind/:namespace/:name/lineage';

/**
 * Versions shown at most when no version or alias is selected (newest first).
 *
 * @public
 */
export const LINEAGE_MAX_VERSIONS = 200;

/**
 * MLflow run tags the lineage is read from.
 *
 * @public
 */
export const DVC_DATA_HASH_TAG = 'mlstack.io/dvc-data-hash';
/**
 * The MLflow run tag naming the Argo workflow that ran it.
 *
 * @public
 */
export const ARGO_WORKFLOW_TAG = 'mlstack.io/argo-workflow';
/**
 * The MLflow run tag with the git commit of the code it ran (set by MLflow).
 *
 * @public
 */
export const GIT_COMMIT_TAG = 'mlflow.source.git.commit';

/**
 * What a lineage node stands for.
 *
 * @public
 */
export type LineageNodeKind =
  | 'data'
  | 'dataset'
  | 'workflow'
  | 'run'
  | 'loggedModel'
  | 'modelVersion'
  | 'inferenceService';

/**
 * A status in the words of its upstream (`Succeeded`, `FINISHED`, `READY`, `Ready`).
 *
 * @public
 */
export interface LineageStatus {
  level: 'ok' | 'pending' | 'running' | 'warning' | 'error' | 'unknown';
  text: string;
}

/**
 * The entity tab a node opens, with the query that selects the object there.
 *
 * @public
 */
export interface LineageTabLink {
  tab: 'mlflow' | 'pipelines' | 'serving';
  query: Record<string, string>;
}

/**
 * A link of a lineage node: an external page or a tab of the entity page.
 *
 * @public
 */
export interface LineageLink {
  title: string;
  /** An external page (MLflow UI, the repository at a commit). */
  url?: string;
  /** A tab of the same entity page. */
  entityTab?: LineageTabLink;
}

/**
 * One object in the lineage graph: data, dataset, workflow, run, logged model, model version or InferenceService.
 *
 * @public
 */
export interface LineageNode {
  /** Unique in the graph, e.g. `run:<runId>`, `version:<model>/<n>`, `service:<name>`. */
  id: string;
  kind: LineageNodeKind;
  label: string;
  status?: LineageStatus;
  /** What the node says, in reading order (label → value). */
  fields: Array<{ label: string; value: string }>;
  links: LineageLink[];
}

/**
 * A link between two lineage nodes, by node id.
 *
 * @public
 */
export interface LineageEdge {
  from: string;
  to: string;
  /** What ties them (`trained on`, `stable · 80%`, `canary · 20%`). */
  label?: string;
}

/**
 * Why a link of the lineage could not be made.
 *
 * @public
 */
export type LineageGapReason =
  /** The run has no `mlstack.io/dvc-data-hash` tag. */
  | 'no-data-hash-tag'
  /** The run has no `mlflow.source.git.commit` tag. */
  | 'no-git-commit-tag'
  /** The entity has no `backstage.io/source-location`: the commit cannot be linked. */
  | 'no-source-location'
  /** The run has no `mlstack.io/argo-workflow` tag. */
  | 'no-workflow-tag'
  /** No such workflow among the entity's (garbage-collected, or another team's). */
  | 'workflow-not-found'
  /** The registry has no model of that name (or it is another owner's). */
  | 'model-not-found'
  /** The version has no `run_id` (registered from a path). */
  | 'version-without-run'
  /** No such run in the entity's experiments. */
  | 'run-not-found'
  /** No InferenceService of the entity serves the version. */
  | 'not-served'
  /** A service's model is not a version the registry knows (no record, no storage URI match). */
  | 'service-model-unknown'
  /** Only the newest LINEAGE_MAX_VERSIONS versions are shown. */
  | 'versions-capped'
  /** An upstream failed; `upstream` names it and `message` carries its error. */
  | 'upstream-error';

/**
 * A link of the lineage that could not be made, and why.
 *
 * @public
 */
export interface LineageGap {
  reason: LineageGapReason;
  /** What was missed, in words: "run 1a2b… has no mlstack.io/argo-workflow tag". */
  message: string;
  /** The node the missing link starts from, when there is one. */
  nodeId?: string;
  /** For `upstream-error`: `mlflow`, `argo`, `kserve`. */
  upstream?: 'mlflow' | 'argo' | 'kserve';
}

/**
 * A version of the model for the lineage's version selector.
 *
 * @public
 */
export interface LineageVersionOption {
  version: string;
  aliases: string[];
}

/**
 * The lineage of one of the entity's registered models (`GET …/lineage`).
 *
 * @public
 */
export interface LineageResponse {
  /** The model shown, and the models the entity names (for the selector). */
  model: string;
  models: string[];
  /** What the graph is focused on, as asked. */
  focus: { version?: string; alias?: string };
  /** The model's versions (newest first) with their aliases, for the selector; empty when MLflow failed. */
  versions: LineageVersionOption[];
  nodes: LineageNode[];
  edges: LineageEdge[];
  gaps: LineageGap[];
}
