/**
 * Which nodes a retry resets and which it deletes: a port of the graph part of Argo's
 * `FormulateRetryWorkflow` (argo-workflows v4.1 `workflow/util/util.go`: newWorkflowsDag,
 * dagSortedNodes, resetPath, resetBoundaries, resetPod), for the default retry (no
 * restartSuccessful, no node selector, no parameter overrides). Function names follow Argo's
 * so the two can be read side by side.
 */
import {
  PlainObject,
  booleanAt,
  objectAt,
  stringAt,
  stringsAt,
} from '../kubernetes/objects';

interface DagNode {
  id: string;
  name: string;
  type?: string;
  phase?: string;
  boundaryId?: string;
  parent?: DagNode;
  children: DagNode[];
}

const GROUP_NODE_TYPES = ['DAG', 'TaskGroup', 'StepGroup', 'Steps'];
const EXECUTION_NODE_TYPES = ['Container', 'Pod', 'HTTP', 'Plugin'];

function failedOrError(phase: string | undefined): boolean {
  return phase === 'Failed' || phase === 'Error';
}

/**
 * Argo's newWorkflowsDag: one parent per node. A node listed as a child by several nodes
 * (a DAG task with several dependencies) gets the one with the greatest id, because Argo
 * walks the ids in sorted order and the last assignment wins.
 */
function newWorkflowsDag(
  nodes: Record<string, PlainObject>,
  workflowName: string,
): Map<string, DagNode> {
  const dag = new Map<string, DagNode>();
  const parentOf = new Map<string, string>();
  for (const id of Object.keys(nodes).sort()) {
    const raw = nodes[id];
    dag.set(id, {
      id,
      name: stringAt(raw.name) ?? id,
      type: stringAt(raw.type),
      phase: stringAt(raw.phase),
      boundaryId: stringAt(raw.boundaryID),
      children: [],
    });
    for (const child of stringsAt(raw.children)) {
      parentOf.set(child, id);
    }
  }
  for (const node of dag.values()) {
    const parentId = parentOf.get(node.id);
    if (
      parentId === undefined &&
      node.name !== workflowName &&
      !node.name.startsWith(`${workflowName}.onExit`)
    ) {
      throw new Error(`couldn't find parent node for ${node.id}`);
    }
    node.parent = parentId !== undefined ? dag.get(parentId) : undefined;
    node.children = stringsAt(nodes[node.id].children).map(childId => {
      const child = dag.get(childId);
      if (!child) {
        throw new Error(`couldn't obtain child ${childId}`);
      }
      return child;
    });
  }
  return dag;
}

/** Argo's dagSortedNodes: breadth first from the root; the onExit tree is not reached. */
function dagSortedNodes(
  dag: Map<string, DagNode>,
  rootName: string,
): DagNode[] {
  const root = Array.from(dag.values()).find(node => node.name === rootName);
  if (!root) {
    throw new Error(`couldn't find root node ${rootName}`);
  }
  const sorted: DagNode[] = [];
  const visited = new Set([root.id]);
  const queue = [root];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head];
    sorted.push(current);
    for (const child of current.children) {
      if (!visited.has(child.id)) {
        visited.add(child.id);
        queue.push(child);
      }
    }
  }
  return sorted;
}

/** Argo's getChildren: every descendant. */
function descendants(node: DagNode): Set<string> {
  const found = new Set<string>();
  const queue = [node];
  for (let head = 0; head < queue.length; head++) {
    for (const child of queue[head].children) {
      found.add(child.id);
      queue.push(child);
    }
  }
  return found;
}

/** Argo's resetUntil: the first of node and its ancestors that matches, marked for reset. */
function resetUntil(
  node: DagNode,
  matches: (candidate: DagNode) => boolean,
  reset: Set<string>,
): DagNode {
  for (
    let current: DagNode | undefined = node;
    current;
    current = current.parent
  ) {
    if (matches(current)) {
      reset.add(current.id);
      return current;
    }
  }
  throw new Error('was seeking node but ran out of nodes to explore');
}

/** Argo's resetBoundaries: resets the enclosing groups and boundaries up to the root. */
function resetBoundaries(
  node: DagNode,
  reset: Set<string>,
): DagNode | undefined {
  let current: DagNode | undefined = node;
  for (;;) {
    if (!current) {
      return undefined;
    }
    if (current.parent?.type === 'Retry') {
      reset.add(current.parent.id);
      current = current.parent;
    }
    if (current.parent?.type === 'StepGroup') {
      reset.add(current.parent.id);
    }
    if (current.parent?.type === 'TaskGroup') {
      reset.add(current.parent.id);
    }
    const boundaryId = current.boundaryId;
    if (!boundaryId) {
      return current.parent;
    }
    current = resetUntil(
      current,
      candidate => candidate.id === boundaryId,
      reset,
    );
  }
}

/** Argo's resetPod: a failed container restarts its whole pod. */
function resetPod(
  node: DagNode,
  reset: Set<string>,
  deleted: Set<string>,
): DagNode {
  const pod = resetUntil(node, candidate => candidate.type === 'Pod', reset);
  deleted.add(pod.id);
  descendants(pod).forEach(id => deleted.add(id));
  return pod;
}

/** Argo's singularPath: root … node. */
function singularPath(sorted: DagNode[], nodeId: string): DagNode[] {
  const leaf = sorted.find(node => node.id === nodeId);
  const root = [...sorted].reverse().find(node => node.parent === undefined);
  if (!root) {
    throw new Error('was unable to find root');
  }
  if (!leaf) {
    throw new Error(`was unable to find ${nodeId}`);
  }
  const path: DagNode[] = [];
  for (let current: DagNode | undefined = leaf; ; current = current.parent) {
    if (!current) {
      throw new Error('parent was nil but curr is not the root node');
    }
    path.unshift(current);
    if (current.id === root.id) {
      return path;
    }
  }
}

/** Argo's resetPath: delete the failed node and its descendants, reset its ancestors. */
function resetPath(
  sorted: DagNode[],
  nodeId: string,
): { reset: Set<string>; deleted: Set<string> } {
  const path = singularPath(sorted, nodeId);
  let current: DagNode | undefined = path[path.length - 1];
  const deleted = descendants(current);
  deleted.add(current.id);
  const reset = new Set<string>();
  if (path.length <= 1) {
    return { reset, deleted };
  }
  while (current) {
    if (current.type && GROUP_NODE_TYPES.includes(current.type)) {
      reset.add(current.id);
      current = resetBoundaries(current, reset);
      continue;
    }
    if (current.type === 'Retry' && failedOrError(current.phase)) {
      reset.add(current.id);
    } else if (current.type === 'Container') {
      current = resetPod(current, reset, deleted);
      continue;
    }
    current = current.parent;
  }
  return { reset, deleted };
}

/** Argo's isDescendantNodeSucceeded (with nothing selected for reset). */
function isDescendantNodeSucceeded(
  nodes: Record<string, PlainObject>,
  node: PlainObject,
  seen: Set<string> = new Set(),
): boolean {
  return stringsAt(node.children).some(childId => {
    const child = nodes[childId];
    if (!child || seen.has(childId)) {
      return false;
    }
    seen.add(childId);
    return (
      stringAt(child.phase) === 'Succeeded' ||
      isDescendantNodeSucceeded(nodes, child, seen)
    );
  });
}

/** The Retry node that has childId as an attempt (Argo's FindRetryNodeByChild). */
function retryNodeOf(
  nodes: Record<string, PlainObject>,
  childId: string,
): PlainObject | undefined {
  return Object.values(nodes).find(
    node =>
      stringAt(node.type) === 'Retry' &&
      stringsAt(node.children).includes(childId),
  );
}

/**
 * The failed execution nodes (pods, containers, HTTP and plugin nodes) that nothing retried
 * successfully since: for an attempt of a Retry node, the Retry node must have no succeeded
 * descendant.
 */
function failedNodesToRetry(nodes: Record<string, PlainObject>): Set<string> {
  const failed = new Set<string>();
  for (const [id, raw] of Object.entries(nodes)) {
    const type = stringAt(raw.type);
    if (
      !failedOrError(stringAt(raw.phase)) ||
      !type ||
      !EXECUTION_NODE_TYPES.includes(type)
    ) {
      continue;
    }
    const retried = booleanAt(objectAt(raw.nodeFlag).retried) === true;
    const judged = (retried && retryNodeOf(nodes, id)) || raw;
    if (!isDescendantNodeSucceeded(nodes, judged)) {
      failed.add(id);
    }
  }
  return failed;
}

export interface RetryPlan {
  /** Nodes to keep but set Running again (their ancestors: groups, boundaries, Retry nodes). */
  reset: Set<string>;
  /** Nodes to drop from the status (the failed nodes and their descendants). */
  deleted: Set<string>;
}

/** What a default retry of this node map resets and deletes. Throws on a broken node map. */
export function planRetry(
  nodes: Record<string, PlainObject>,
  workflowName: string,
): RetryPlan {
  const toRetry = failedNodesToRetry(nodes);
  const sorted = dagSortedNodes(
    newWorkflowsDag(nodes, workflowName),
    workflowName,
  );
  const reset = new Set<string>();
  const deleted = new Set<string>();
  // Topological order matters: a node already deleted with an ancestor is not reset again.
  for (const node of sorted) {
    if (!toRetry.has(node.id) || deleted.has(node.id)) {
      continue;
    }
    const path = resetPath(sorted, node.id);
    path.reset.forEach(id => reset.add(id));
    path.deleted.forEach(id => deleted.add(id));
  }
  return { reset, deleted };
}
