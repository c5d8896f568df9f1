import { ConflictError, InputError } from '@backstage/errors';
import {
  PlainObject,
  arrayAt,
  cloneJson,
  numberAt,
  objectAt,
  readMetadata,
  stringAt,
  stringsAt,
} from '../kubernetes/objects';
import { ARGO_LABELS } from './constants';
import { labelActor } from './labels';
import { readNodeMap } from './nodeStatus';
import { argoPodName, podNameVersion } from './podName';
import { readWorkflowPhase } from './parseWorkflowSummary';
import { planRetry } from './retryPlan';

/**
 * Options of retryFailedWorkflow.
 *
 * @public
 */
export interface RetryFailedWorkflowOptions {
  /** Who retries; recorded as Argo's actor label with action Retry (see buildShutdownPatch). */
  actor?: string;
  /** The time written as the new startedAt; defaults to now. */
  now?: Date;
}

/**
 * What retryFailedWorkflow computed: the workflow to write back and the pods to delete first.
 *
 * @public
 */
export interface RetriedWorkflow {
  /**
   * The whole Workflow to write back with an update (PUT), keeping its resourceVersion so
   * that a concurrent change makes the update fail with 409 instead of being lost.
   */
  workflow: PlainObject;
  /** Pods of the deleted nodes; delete them (ignoring 404) before the update, as Argo does. */
  podsToDelete: string[];
}

/** Kubernetes' time format (metav1.Time): RFC 3339 in UTC, whole seconds. */
function kubernetesTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Argo's resetNode: the node runs again. */
function resetNode(node: PlainObject, now: string): PlainObject {
  const copy = cloneJson(node);
  if (copy.type === 'Suspend') {
    const outputs = objectAt(copy.outputs);
    if (Array.isArray(outputs.parameters)) {
      outputs.parameters = outputs.parameters.map(parameter => ({
        name: objectAt(parameter).name,
        valueFrom: { supplied: {} },
      }));
    }
  }
  if (copy.phase !== 'Skipped') {
    copy.phase = 'Running';
  }
  delete copy.message;
  copy.startedAt = now;
  copy.finishedAt = null;
  return copy;
}

/** Argo's createNewRetryWorkflow: the workflow no longer looks completed. */
function resetWorkflowState(workflow: PlainObject, now: string): PlainObject {
  const copy = cloneJson(workflow);
  const metadata = objectAt(copy.metadata);
  delete metadata.managedFields;
  const labels = { ...objectAt(metadata.labels) };
  delete labels[ARGO_LABELS.completed];
  delete labels[ARGO_LABELS.archivingStatus];
  metadata.labels = labels;
  copy.metadata = metadata;

  const spec = objectAt(copy.spec);
  delete spec.shutdown;
  if (numberAt(spec.activeDeadlineSeconds) === 0) {
    delete spec.activeDeadlineSeconds;
  }
  copy.spec = spec;

  const status = objectAt(copy.status);
  const completed = { type: 'Completed', status: 'False' };
  const conditions = arrayAt(status.conditions);
  const index = conditions.findIndex(c => objectAt(c).type === 'Completed');
  status.conditions =
    index >= 0
      ? conditions.map((c, i) => (i === index ? completed : c))
      : [...conditions, completed];
  delete status.phase;
  delete status.message;
  delete status.compressedNodes;
  delete status.persistentVolumeClaims;
  status.nodes = {};
  status.startedAt = now;
  status.finishedAt = null;
  const storedSpec = objectAt(status.storedWorkflowTemplateSpec);
  if (storedSpec.shutdown !== undefined) {
    delete storedSpec.shutdown;
  }
  copy.status = status;
  return copy;
}

/**
 * A retry of a Failed or Errored workflow, computed as the Argo Server's RetryWorkflow does it
 * (argo-workflows v4.1 `workflow/util/util.go`, `FormulateRetryWorkflow`, then
 * `creator.LabelActor(…, Retry)`), for the default case of `argo retry <name>`:
 *
 * - the `completed` and archiving labels go, the `Completed` condition becomes False, phase
 *   and message are cleared (the controller sets them again), startedAt is now, finishedAt is
 *   null, `spec.shutdown` and a terminate's `activeDeadlineSeconds: 0` go;
 * - each failed pod (container, HTTP, plugin) node that no later attempt made good is deleted
 *   from `status.nodes` with its descendants; its ancestors (Steps/DAG groups, boundaries,
 *   failed Retry nodes) are reset to Running; the other nodes (the succeeded ones) stay, so
 *   the controller runs only what failed; children/outboundNodes lists drop deleted ids;
 * - the onExit handler's nodes are deleted and their pods listed, so that it runs again.
 *
 * Not covered (use the Argo Server for these): `--restart-successful` with a node selector,
 * parameter overrides on retry, and workflows whose node status is offloaded to Argo's
 * database. A Succeeded, Running or Pending workflow is refused (InputError), as Argo does.
 *
 * @public
 */
export function retryFailedWorkflow(
  workflow: unknown,
  options: RetryFailedWorkflowOptions = {},
): RetriedWorkflow {
  const original = objectAt(workflow);
  const { name, annotations } = readMetadata(original);
  const status = objectAt(original.status);
  const phase = readWorkflowPhase(status.phase);
  if (!name) {
    throw new InputError('The workflow to retry has no metadata.name');
  }
  if (phase !== 'Failed' && phase !== 'Error') {
    throw new InputError(
      phase === 'Succeeded'
        ? `Workflow '${name}' succeeded; retrying succeeded nodes is not supported here`
        : `Cannot retry workflow '${name}' in phase ${phase}; only Failed or Error workflows can be retried`,
    );
  }
  const { nodes, offloaded } = readNodeMap(status);
  if (offloaded) {
    throw new InputError(
      `Workflow '${name}' keeps its node status in Argo's database; retry it through the Argo Server`,
    );
  }

  const now = kubernetesTime(options.now ?? new Date());
  const retried = resetWorkflowState(original, now);
  let plan: ReturnType<typeof planRetry>;
  try {
    plan = planRetry(nodes, name);
  } catch (error) {
    // Argo's own words for a node tree that does not hang together (e.g. a workflow copied
    // under another name): the workflow, not the request, is at fault.
    throw new ConflictError(
      `Workflow '${name}' cannot be retried: its node status is inconsistent (${
        (error as Error).message
      })`,
    );
  }
  const { reset, deleted } = plan;
  const onExitName = `${name}.onExit`;
  const version = podNameVersion(annotations);
  const podsToDelete = new Set<string>();
  const podOf = (id: string) => {
    const node = nodes[id];
    const refTemplate = stringAt(objectAt(node.templateRef).template);
    return argoPodName(
      name,
      {
        id,
        name: stringAt(node.name) ?? id,
        type: stringAt(node.type),
        templateName: refTemplate ?? stringAt(node.templateName),
      },
      version,
    );
  };

  const newNodes: Record<string, PlainObject> = {};
  for (const id of reset) {
    if (!deleted.has(id)) {
      newNodes[id] = resetNode(nodes[id], now);
    }
  }
  for (const id of deleted) {
    if (stringAt(nodes[id]?.type) === 'Pod') {
      podsToDelete.add(podOf(id));
    }
  }
  for (const [id, node] of Object.entries(nodes)) {
    const nodeName = stringAt(node.name) ?? id;
    if (!newNodes[id] && !deleted.has(id) && !nodeName.startsWith(onExitName)) {
      newNodes[id] = cloneJson(node);
    }
    if (nodeName === onExitName) {
      // Argo lists the pod name of every node of the exit handler's tree, whatever its type.
      const queue = [id];
      for (let head = 0; head < queue.length; head++) {
        const current = nodes[queue[head]];
        if (!current) {
          throw new Error(`couldn't obtain node ${queue[head]}`);
        }
        podsToDelete.add(podOf(queue[head]));
        queue.push(...stringsAt(current.children));
      }
    }
  }
  for (const node of Object.values(newNodes)) {
    for (const field of ['children', 'outboundNodes']) {
      const kept = stringsAt(node[field]).filter(id => !deleted.has(id));
      if (kept.length > 0) {
        node[field] = kept;
      } else {
        delete node[field];
      }
    }
  }

  const retriedStatus = objectAt(retried.status);
  retriedStatus.nodes = newNodes;
  const metadata = objectAt(retried.metadata);
  metadata.labels = labelActor(
    objectAt(metadata.labels) as Record<string, string>,
    options.actor,
    'Retry',
  );
  return { workflow: retried, podsToDelete: Array.from(podsToDelete) };
}
