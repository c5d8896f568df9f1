import type { ArgoGraphEdge, ArgoNode } from '@mlstack/plugin-mlops-common';

/**
 * Nodes in display order: breadth first from the root (the node named like the workflow),
 * following `children` in Argo's order; then the same from each node nobody lists as a child
 * (the onExit handler, …), by id; then whatever is left (broken references), by id.
 */
export function orderNodes(
  nodesById: Map<string, ArgoNode>,
  workflowName: string,
): ArgoNode[] {
  const listedAsChild = new Set<string>();
  for (const node of nodesById.values()) {
    node.children.forEach(child => listedAsChild.add(child));
  }
  const byId = Array.from(nodesById.keys()).sort();
  const root = Array.from(nodesById.values()).find(
    node => node.name === workflowName,
  );
  const seeds = [
    ...(root ? [root.id] : []),
    ...byId.filter(id => !listedAsChild.has(id) && id !== root?.id),
    ...byId,
  ];

  const ordered: ArgoNode[] = [];
  const visited = new Set<string>();
  for (const seed of seeds) {
    if (visited.has(seed)) {
      continue;
    }
    visited.add(seed);
    const queue = [seed];
    for (let head = 0; head < queue.length; head++) {
      const node = nodesById.get(queue[head])!;
      ordered.push(node);
      for (const child of node.children) {
        if (nodesById.has(child) && !visited.has(child)) {
          visited.add(child);
          queue.push(child);
        }
      }
    }
  }
  return ordered;
}

/**
 * The pods (or skipped nodes) a node ends with, following outboundNodes down through
 * Steps/DAG nodes, as the Argo UI's `getOutboundNodes` does.
 */
function outboundLeaves(
  nodesById: Map<string, ArgoNode>,
  nodeId: string,
  seen: Set<string> = new Set(),
): string[] {
  const node = nodesById.get(nodeId);
  if (!node || seen.has(nodeId)) {
    return [];
  }
  seen.add(nodeId);
  if (node.type === 'Pod' || node.type === 'Skipped') {
    return [node.id];
  }
  return node.outboundNodes.flatMap(id =>
    nodesById.get(id)?.type === 'Pod'
      ? [id]
      : outboundLeaves(nodesById, id, seen),
  );
}

/**
 * The edges the Argo UI draws: parent → child for every child that exists, and from the
 * workflow's last pods to its onExit node (`<workflow>.onExit`), which no node lists as a
 * child.
 */
export function workflowEdges(
  orderedNodes: ArgoNode[],
  nodesById: Map<string, ArgoNode>,
  workflowName: string,
): ArgoGraphEdge[] {
  const edges: ArgoGraphEdge[] = [];
  for (const node of orderedNodes) {
    for (const child of node.children) {
      if (nodesById.has(child)) {
        edges.push({ from: node.id, to: child });
      }
    }
  }
  const root = orderedNodes.find(node => node.name === workflowName);
  const onExit = orderedNodes.find(
    node => node.name === `${workflowName}.onExit`,
  );
  if (root && onExit) {
    for (const leaf of new Set(outboundLeaves(nodesById, root.id))) {
      edges.push({ from: leaf, to: onExit.id });
    }
  }
  return edges;
}
