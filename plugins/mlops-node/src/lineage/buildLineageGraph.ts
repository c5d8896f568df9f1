import {
  ARGO_WORKFLOW_TAG,
  ArgoWorkflowSummary,
  DVC_DATA_HASH_TAG,
  GIT_COMMIT_TAG,
  InferenceServiceView,
  LineageEdge,
  LineageGap,
  LineageNode,
  MlflowModelVersion,
  MlflowRunDetail,
} from '@mlstack/plugin-mlops-common';
import { Fetched, isValue } from './fetched';
import {
  dataNode,
  datasetNode,
  loggedModelNode,
  nodeIds,
  recordedVersionNode,
  runLineageTags,
  runNode,
  serviceNode,
  unreadWorkflowNode,
  versionNode,
  workflowNode,
} from './lineageNodes';
import { repositoryAtCommit } from './repositoryAtCommit';
import { servingsOf } from './servingsOf';

/**
 * Everything the lineage of one model is built from, already read (see LineageService).
 *
 * @public
 */
export interface LineageGraphInputs {
  model: string;
  /** The entity's `backstage.io/source-location`, for links to the repository at a commit. */
  sourceLocation?: string;
  /** The versions shown (newest first), or why the registry gave none. */
  versions: Fetched<MlflowModelVersion[]>;
  /** How many newer-first versions were left out by the cap, and the cap. */
  cappedVersions: number;
  maxVersions: number;
  /** Whether one version or alias was asked for: services of other versions are left out. */
  focused: boolean;
  /** run id → the run, for every run id of the versions shown. */
  runs: Map<string, Fetched<MlflowRunDetail>>;
  /** workflow name → the workflow, for every `mlstack.io/argo-workflow` tag of those runs. */
  workflows: Map<string, Fetched<ArgoWorkflowSummary>>;
  services: Fetched<InferenceServiceView[]>;
}

/**
 * A model's lineage graph: nodes, edges, and the links that could not be made.
 *
 * @public
 */
export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
  gaps: LineageGap[];
}

class GraphBuilder {
  readonly nodes = new Map<string, LineageNode>();
  readonly edges = new Map<string, LineageEdge>();
  readonly gaps: LineageGap[] = [];
  private readonly gapKeys = new Set<string>();

  node(node: LineageNode): string {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
    return node.id;
  }

  edge(from: string, to: string, label?: string) {
    const key = `${from}\u0000${to}\u0000${label ?? ''}`;
    if (!this.edges.has(key))
      this.edges.set(key, { from, to, ...(label ? { label } : {}) });
  }

  gap(gap: LineageGap) {
    const key = `${gap.reason}\u0000${gap.nodeId ?? ''}\u0000${gap.message}`;
    if (this.gapKeys.has(key)) return;
    this.gapKeys.add(key);
    this.gaps.push(gap);
  }
}

/** Data → workflow → run, for one run; returns the run's node id. */
function addRunChain(
  graph: GraphBuilder,
  run: MlflowRunDetail,
  inputs: LineageGraphInputs,
): string {
  const drawn = graph.nodes.has(runNode(run).id);
  const runId = graph.node(runNode(run));
  if (drawn) {
    return runId; // its chain is already drawn (two versions of one run)
  }
  const tags = runLineageTags(run);
  const runName = run.runName || run.runId;

  let upstreamOfRun = runId;
  if (!tags.workflow) {
    graph.gap({
      reason: 'no-workflow-tag',
      nodeId: runId,
      message: `Run ${runName} has no ${ARGO_WORKFLOW_TAG} tag: the pipeline run that made it is unknown`,
    });
  } else {
    const workflow = inputs.workflows.get(tags.workflow);
    let workflowId: string;
    if (isValue(workflow)) {
      workflowId = graph.node(workflowNode(workflow.value));
    } else if (workflow && 'error' in workflow) {
      workflowId = graph.node(unreadWorkflowNode(tags.workflow, 'not read'));
      graph.gap({
        reason: 'upstream-error',
        upstream: 'argo',
        nodeId: workflowId,
        message: `Workflow ${tags.workflow} could not be read from the cluster: ${workflow.error}`,
      });
    } else {
      workflowId = graph.node(unreadWorkflowNode(tags.workflow, 'not found'));
      graph.gap({
        reason: 'workflow-not-found',
        nodeId: workflowId,
        message: `Workflow ${tags.workflow} (tagged on run ${runName}) not found among the entity's Argo workflows (garbage-collected?)`,
      });
    }
    graph.edge(workflowId, runId, 'ran');
    upstreamOfRun = workflowId;
  }

  if (!tags.dataHash) {
    graph.gap({
      reason: 'no-data-hash-tag',
      nodeId: runId,
      message: `Run ${runName} has no ${DVC_DATA_HASH_TAG} tag: the data version is unknown`,
    });
  }
  if (!tags.gitCommit) {
    graph.gap({
      reason: 'no-git-commit-tag',
      nodeId: runId,
      message: `Run ${runName} has no ${GIT_COMMIT_TAG} tag: the code version is unknown`,
    });
  }
  if (tags.dataHash || tags.gitCommit) {
    const repositoryUrl =
      tags.gitCommit &&
      repositoryAtCommit(inputs.sourceLocation, tags.gitCommit);
    const dataId = graph.node(
      dataNode(tags.dataHash, tags.gitCommit, repositoryUrl),
    );
    if (tags.gitCommit && !repositoryUrl) {
      graph.gap({
        reason: 'no-source-location',
        nodeId: dataId,
        message: inputs.sourceLocation
          ? `Commit ${tags.gitCommit} is not linked: ${inputs.sourceLocation} is not a repository URL`
          : `Commit ${tags.gitCommit} is not linked: the entity has no backstage.io/source-location`,
      });
    }
    graph.edge(dataId, upstreamOfRun, 'trained on');
  }
  for (const dataset of run.datasets) {
    graph.edge(graph.node(datasetNode(dataset)), runId, 'dataset input');
  }
  return runId;
}

function addVersion(
  graph: GraphBuilder,
  version: MlflowModelVersion,
  inputs: LineageGraphInputs,
): void {
  const versionId = graph.node(versionNode(inputs.model, version));
  let upstreamOfVersion = versionId;
  if (version.modelId) {
    const loggedId = graph.node(
      loggedModelNode(version.modelId, version.runId),
    );
    graph.edge(loggedId, versionId, 'registered as');
    upstreamOfVersion = loggedId;
  }
  const label = `${inputs.model} v${version.version}`;
  if (!version.runId) {
    graph.gap({
      reason: 'version-without-run',
      nodeId: versionId,
      message: `Version ${label} has no run_id (registered from a path): its run and data are unknown`,
    });
    return;
  }
  const run = inputs.runs.get(version.runId);
  if (isValue(run)) {
    graph.edge(
      addRunChain(graph, run.value, inputs),
      upstreamOfVersion,
      'logged',
    );
  } else if (run && 'error' in run) {
    graph.gap({
      reason: 'upstream-error',
      upstream: 'mlflow',
      nodeId: versionId,
      message: `Run ${version.runId} of version ${label} could not be read from MLflow: ${run.error}`,
    });
  } else {
    graph.gap({
      reason: 'run-not-found',
      nodeId: versionId,
      message: `Run ${version.runId} of version ${label} not found in the entity's MLflow experiments`,
    });
  }
}

/** Version → service edges, with each role's traffic; the ids of versions served. */
function addServices(
  graph: GraphBuilder,
  services: InferenceServiceView[],
  inputs: LineageGraphInputs,
  shown: Set<string> | undefined,
): Set<string> {
  const served = new Set<string>();
  for (const service of services) {
    const servings = servingsOf(service);
    const ours = servings.filter(
      s => s.modelName === inputs.model && s.version !== undefined,
    );
    const unknown = servings.filter(s => s.modelName === undefined);
    if (!inputs.focused && unknown.length > 0) {
      graph.gap({
        reason: 'service-model-unknown',
        nodeId: nodeIds.service(service.name),
        message: `InferenceService ${service.name} serves a model that is not a known version (no mlstack.io/served-model record, and its storage URI matches no version)`,
      });
    }
    const linked = ours.filter(s => !shown || shown.has(s.version!));
    if (linked.length === 0) {
      if (!inputs.focused && unknown.length > 0)
        graph.node(serviceNode(service, servings));
      continue;
    }
    const serviceId = graph.node(serviceNode(service, servings));
    for (const serving of linked) {
      const versionId = nodeIds.version(inputs.model, serving.version!);
      if (!shown)
        graph.node(recordedVersionNode(inputs.model, serving.version!));
      graph.edge(
        versionId,
        serviceId,
        `${serving.role} · ${serving.trafficPercent}%`,
      );
      served.add(versionId);
    }
  }
  return served;
}

/**
 * The lineage graph of one model from what was read: every link that can be made, and a gap
 * for every one that cannot (with its reason). Pure: no upstream is called here.
 *
 * @public
 */
export function buildLineageGraph(inputs: LineageGraphInputs): LineageGraph {
  const graph = new GraphBuilder();
  const versions = isValue(inputs.versions) ? inputs.versions.value : undefined;
  if (versions) {
    versions.forEach(version => addVersion(graph, version, inputs));
  } else if ('error' in inputs.versions) {
    graph.gap({
      reason: 'upstream-error',
      upstream: 'mlflow',
      message: `The versions of ${inputs.model} could not be read from MLflow: ${inputs.versions.error}`,
    });
  } else {
    graph.gap({
      reason: 'model-not-found',
      message: `The MLflow registry has no model ${inputs.model} that the entity may read`,
    });
  }
  if (inputs.cappedVersions > 0) {
    graph.gap({
      reason: 'versions-capped',
      message: `Showing the newest ${inputs.maxVersions} versions; ${inputs.cappedVersions} older ones are left out (select a version or alias to see one)`,
    });
  }

  if (isValue(inputs.services)) {
    const shown = versions && new Set(versions.map(v => v.version));
    const served = addServices(graph, inputs.services.value, inputs, shown);
    for (const version of versions ?? []) {
      const id = nodeIds.version(inputs.model, version.version);
      if (!served.has(id)) {
        graph.gap({
          reason: 'not-served',
          nodeId: id,
          message: `Version ${inputs.model} v${version.version} is not served anywhere (no InferenceService of the entity serves it)`,
        });
      }
    }
  } else {
    graph.gap({
      reason: 'upstream-error',
      upstream: 'kserve',
      message:
        'error' in inputs.services
          ? `The InferenceServices could not be read from the cluster: ${inputs.services.error}`
          : 'The entity has no InferenceServices to read',
    });
  }
  return {
    nodes: [...graph.nodes.values()],
    edges: [...graph.edges.values()],
    gaps: graph.gaps,
  };
}
