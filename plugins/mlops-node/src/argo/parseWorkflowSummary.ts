import type {
  ArgoProgress,
  ArgoWorkflowPhase,
  ArgoWorkflowSummary,
} from '@mlstack/plugin-mlops-common';
import {
  PlainObject,
  booleanAt,
  durationBetween,
  numberAt,
  objectAt,
  readMetadata,
  stringAt,
  timeAt,
  withoutUndefined,
} from '../kubernetes/objects';
import { readParameters } from './inputsAndOutputs';
import {
  ARGO_ANNOTATIONS,
  ARGO_BOOKKEEPING_LABELS,
  ARGO_LABELS,
} from './constants';

const WORKFLOW_PHASES: readonly ArgoWorkflowPhase[] = [
  'Pending',
  'Running',
  'Succeeded',
  'Failed',
  'Error',
];

export function readWorkflowPhase(value: unknown): ArgoWorkflowPhase {
  return WORKFLOW_PHASES.find(phase => phase === value) ?? 'Unknown';
}

/** Argo's progress string, "done/total" (e.g. "3/4"); undefined if absent or malformed. */
export function parseProgress(value: unknown): ArgoProgress | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(stringAt(value)?.trim() ?? '');
  if (!match) {
    return undefined;
  }
  return { done: Number(match[1]), total: Number(match[2]) };
}

/**
 * The workflow's arguments: those the controller stored with the template it resolved
 * (`status.storedWorkflowTemplateSpec`, which has the template's defaults), overridden by the
 * workflow's own `spec.arguments`.
 */
function readArguments(spec: PlainObject, status: PlainObject) {
  const parameters: Record<string, string> = {};
  const stored = objectAt(
    objectAt(status.storedWorkflowTemplateSpec).arguments,
  ).parameters;
  for (const source of [stored, objectAt(spec.arguments).parameters]) {
    for (const { name, value } of readParameters(source)) {
      if (value !== undefined) {
        parameters[name] = value;
      }
    }
  }
  return parameters;
}

function readTemplateReference(
  spec: PlainObject,
  labels: Record<string, string>,
): { templateName?: string; clusterScopedTemplate?: boolean } {
  const ref = objectAt(spec.workflowTemplateRef);
  const refName = stringAt(ref.name);
  if (refName) {
    return {
      templateName: refName,
      clusterScopedTemplate: booleanAt(ref.clusterScope) === true,
    };
  }
  if (labels[ARGO_LABELS.workflowTemplate]) {
    return {
      templateName: labels[ARGO_LABELS.workflowTemplate],
      clusterScopedTemplate: false,
    };
  }
  if (labels[ARGO_LABELS.clusterWorkflowTemplate]) {
    return {
      templateName: labels[ARGO_LABELS.clusterWorkflowTemplate],
      clusterScopedTemplate: true,
    };
  }
  return {};
}

function readShutdown(value: unknown): ArgoWorkflowSummary['shutdown'] {
  return value === 'Stop' || value === 'Terminate' ? value : undefined;
}

/**
 * A Workflow as a list row. Works on a full object, on what slimWorkflowForList keeps, and on
 * a Workflow without status (just created) or without apiVersion/kind. Never throws: a
 * missing name or namespace reads as "".
 *
 * @public
 */
export function parseWorkflowSummary(object: unknown): ArgoWorkflowSummary {
  const metadata = readMetadata(object);
  const spec = objectAt(objectAt(object).spec);
  const status = objectAt(objectAt(object).status);
  const startedAt = timeAt(status.startedAt);
  const finishedAt = timeAt(status.finishedAt);
  const estimatedSeconds = numberAt(status.estimatedDuration);
  const labels = Object.fromEntries(
    Object.entries(metadata.labels).filter(
      ([key]) => !ARGO_BOOKKEEPING_LABELS.includes(key),
    ),
  );
  const summary: ArgoWorkflowSummary = {
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    uid: metadata.uid,
    creationTimestamp: metadata.creationTimestamp,
    phase: readWorkflowPhase(status.phase),
    progress: parseProgress(status.progress),
    startedAt,
    finishedAt,
    durationMs: durationBetween(startedAt, finishedAt),
    estimatedDurationMs:
      estimatedSeconds !== undefined ? estimatedSeconds * 1000 : undefined,
    message: stringAt(status.message),
    ...readTemplateReference(spec, metadata.labels),
    cronWorkflowName: metadata.labels[ARGO_LABELS.cronWorkflow],
    resubmittedFrom: metadata.labels[ARGO_LABELS.resubmittedFrom],
    creator: metadata.labels[ARGO_LABELS.creator],
    title: metadata.annotations[ARGO_ANNOTATIONS.title],
    description: metadata.annotations[ARGO_ANNOTATIONS.description],
    entrypoint: stringAt(spec.entrypoint),
    parameters: readArguments(spec, status),
    shutdown: readShutdown(spec.shutdown),
    suspended: booleanAt(spec.suspend) === true,
    labels,
  };
  return withoutUndefined(summary);
}
