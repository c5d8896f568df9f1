import {
  ARGO_WORKFLOW_TAG,
  ArgoWorkflowSummary,
  DVC_DATA_HASH_TAG,
  GIT_COMMIT_TAG,
  InferenceServiceView,
  LineageNode,
  LineageStatus,
  MlflowModelVersion,
  MlflowRunDetail,
} from '@mlstack/plugin-mlops-common';
import type { ServiceServing } from './servingsOf';

/** Params and metrics shown on a run node, at most each (by key). */
const MAX_KEY_VALUES = 8;

export const nodeIds = {
  data: (hash: string | undefined, commit: string | undefined) =>
    `data:${hash ?? '-'}@${commit ?? '-'}`,
  dataset: (name: string, digest: string) => `dataset:${name}@${digest}`,
  workflow: (name: string) => `workflow:${name}`,
  run: (runId: string) => `run:${runId}`,
  loggedModel: (modelId: string) => `logged-model:${modelId}`,
  version: (model: string, version: string) => `version:${model}/${version}`,
  service: (name: string) => `service:${name}`,
};

const short = (value: string, length: number) =>
  value.length > length ? value.slice(0, length) : value;

function field(label: string, value: string | number | undefined) {
  return value === undefined || value === ''
    ? []
    : [{ label, value: String(value) }];
}

function keyValues(prefix: string, values: Record<string, string | number>) {
  return Object.keys(values)
    .sort()
    .slice(0, MAX_KEY_VALUES)
    .map(key => ({ label: `${prefix} ${key}`, value: String(values[key]) }));
}

/**
 * The run tags the chain is read from.
 *
 * @public
 */
export function runLineageTags(run: MlflowRunDetail) {
  return {
    dataHash: run.tags[DVC_DATA_HASH_TAG]?.trim() || undefined,
    gitCommit:
      run.sourceCommit ?? (run.tags[GIT_COMMIT_TAG]?.trim() || undefined),
    workflow: run.tags[ARGO_WORKFLOW_TAG]?.trim() || undefined,
  };
}

export function dataNode(
  hash: string | undefined,
  commit: string | undefined,
  repositoryUrl: string | undefined,
): LineageNode {
  return {
    id: nodeIds.data(hash, commit),
    kind: 'data',
    label: hash ? `DVC ${short(hash, 12)}` : `git ${short(commit ?? '', 7)}`,
    fields: [...field('DVC data hash', hash), ...field('git commit', commit)],
    links: repositoryUrl
      ? [
          {
            title: `Repository at ${short(commit ?? '', 7)}`,
            url: repositoryUrl,
          },
        ]
      : [],
  };
}

export function datasetNode(
  dataset: MlflowRunDetail['datasets'][number],
): LineageNode {
  return {
    id: nodeIds.dataset(dataset.name, dataset.digest),
    kind: 'dataset',
    label: dataset.name,
    fields: [
      ...field('digest', dataset.digest),
      ...field('source', dataset.source),
      ...field('source type', dataset.sourceType),
      ...field('context', dataset.context),
    ],
    links: [],
  };
}

const WORKFLOW_LEVELS: Record<string, LineageStatus['level']> = {
  Succeeded: 'ok',
  Running: 'running',
  Pending: 'pending',
  Failed: 'error',
  Error: 'error',
};

export function workflowNode(workflow: ArgoWorkflowSummary): LineageNode {
  return {
    id: nodeIds.workflow(workflow.name),
    kind: 'workflow',
    label: workflow.name,
    status: {
      level: WORKFLOW_LEVELS[workflow.phase] ?? 'unknown',
      text: workflow.phase,
    },
    fields: [
      ...field('phase', workflow.phase),
      ...field('template', workflow.templateName),
      ...field('started', workflow.startedAt),
      ...field('finished', workflow.finishedAt),
      ...field('message', workflow.message),
    ],
    links: [
      {
        title: 'Run detail (Pipelines)',
        entityTab: { tab: 'pipelines', query: { workflow: workflow.name } },
      },
    ],
  };
}

/** A workflow the run names but that could not be read: shown, marked, not linked. */
export function unreadWorkflowNode(name: string, text: string): LineageNode {
  return {
    id: nodeIds.workflow(name),
    kind: 'workflow',
    label: name,
    status: { level: 'warning', text },
    fields: [],
    links: [],
  };
}

const RUN_LEVELS: Record<string, LineageStatus['level']> = {
  FINISHED: 'ok',
  RUNNING: 'running',
  SCHEDULED: 'pending',
  FAILED: 'error',
  KILLED: 'error',
};

export function runNode(run: MlflowRunDetail): LineageNode {
  return {
    id: nodeIds.run(run.runId),
    kind: 'run',
    label: run.runName || run.runId,
    status: { level: RUN_LEVELS[run.status] ?? 'unknown', text: run.status },
    fields: [
      ...field('run id', run.runId),
      ...keyValues('param', run.params),
      ...keyValues('metric', run.metrics),
    ],
    links: [
      {
        title: 'Run detail (MLflow tab)',
        entityTab: { tab: 'mlflow', query: { run: run.runId } },
      },
      { title: 'Open in MLflow', url: run.uiUrl },
    ],
  };
}

export function loggedModelNode(modelId: string, runId?: string): LineageNode {
  return {
    id: nodeIds.loggedModel(modelId),
    kind: 'loggedModel',
    label: `logged model ${short(modelId, 14)}`,
    fields: [...field('model_id', modelId), ...field('source_run_id', runId)],
    links: [],
  };
}

const VERSION_LEVELS: Record<string, LineageStatus['level']> = {
  READY: 'ok',
  PENDING_REGISTRATION: 'pending',
  FAILED_REGISTRATION: 'error',
};

export function versionNode(
  model: string,
  version: MlflowModelVersion,
): LineageNode {
  return {
    id: nodeIds.version(model, version.version),
    kind: 'modelVersion',
    label: `${model} v${version.version}${
      version.aliases.length ? ` @${version.aliases.join(', @')}` : ''
    }`,
    status: {
      level: VERSION_LEVELS[version.status] ?? 'unknown',
      text: version.status,
    },
    fields: [
      ...field('aliases', version.aliases.join(', ')),
      ...field('status', version.status),
      ...field('model_id', version.modelId),
      ...field('run_id', version.runId),
    ],
    links: [{ title: 'Open in MLflow', url: version.uiUrl }],
  };
}

/** A version known only from a service's record (MLflow could not be read). */
export function recordedVersionNode(
  model: string,
  version: string,
): LineageNode {
  return {
    id: nodeIds.version(model, version),
    kind: 'modelVersion',
    label: `${model} v${version}`,
    status: { level: 'unknown', text: 'registry not read' },
    fields: [],
    links: [],
  };
}

function servingText(serving: ServiceServing) {
  const what = serving.version ? `v${serving.version}` : 'unknown model';
  const readiness: Record<string, string> = {
    true: ' · Ready',
    false: ' · not Ready',
    undefined: '',
  };
  const ready = readiness[String(serving.ready)];
  const revision = serving.revision ? ` · ${serving.revision}` : '';
  return `${what} · ${serving.trafficPercent}%${ready}${revision}`;
}

export function serviceNode(
  service: InferenceServiceView,
  servings: ServiceServing[],
): LineageNode {
  return {
    id: nodeIds.service(service.name),
    kind: 'inferenceService',
    label: service.name,
    status: service.ready
      ? { level: 'ok', text: 'Ready' }
      : { level: 'error', text: 'not Ready' },
    fields: [
      ...field('namespace', service.namespace),
      ...field('mode', service.deploymentMode),
      ...field('url', service.url),
      ...servings.map(s => ({ label: s.role, value: servingText(s) })),
    ],
    links: [{ title: 'Serving tab', entityTab: { tab: 'serving', query: {} } }],
  };
}
