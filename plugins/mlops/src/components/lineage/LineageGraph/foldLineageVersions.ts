import type {
  LineageEdge,
  LineageNode,
  LineageVersionOption,
} from '@mlstack/plugin-mlops-common';

/** Past this many versions in the graph, the unremarkable ones are folded. */
export const FOLD_VERSIONS_ABOVE = 25;
/** The newest versions always kept when folding. */
export const NEWEST_VERSIONS_KEPT = 10;

export interface FoldedLineage {
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** Version nodes left out (0: nothing folded). */
  foldedVersions: number;
}

/** Nodes reachable from `start` along the edges (`forward`) or against them. */
function reachable(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const id of next.get(queue.pop()!) ?? []) {
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return seen;
}

/**
 * A readable graph of a model of many versions: above FOLD_VERSIONS_ABOVE version nodes, only
 * the newest NEWEST_VERSIONS_KEPT, the served ones (an edge to a service) and the aliased ones
 * are kept, with what leads to them (run, workflow, data) and from them (services). A node that
 * belongs only to folded versions is folded with them; one tied to no version stays.
 */
export function foldLineageVersions(
  nodes: LineageNode[],
  edges: LineageEdge[],
  model: string,
  versions: LineageVersionOption[],
): FoldedLineage {
  const versionNodes = nodes.filter(n => n.kind === 'modelVersion');
  if (versionNodes.length <= FOLD_VERSIONS_ABOVE) {
    return { nodes, edges, foldedVersions: 0 };
  }
  const kindOf = new Map(nodes.map(n => [n.id, n.kind]));
  const downstream = new Map<string, string[]>();
  const upstream = new Map<string, string[]>();
  for (const edge of edges) {
    downstream.set(edge.from, [...(downstream.get(edge.from) ?? []), edge.to]);
    upstream.set(edge.to, [...(upstream.get(edge.to) ?? []), edge.from]);
  }
  const aliased = new Set(
    versions
      .filter(v => v.aliases.length > 0)
      .map(v => `version:${model}/${v.version}`),
  );
  const newestFirst = [...versionNodes].sort(
    (a, b) => versionNumber(b.id) - versionNumber(a.id),
  );
  const kept = new Set(
    newestFirst
      .filter(
        (node, i) =>
          i < NEWEST_VERSIONS_KEPT ||
          aliased.has(node.id) ||
          (downstream.get(node.id) ?? []).some(
            to => kindOf.get(to) === 'inferenceService',
          ),
      )
      .map(node => node.id),
  );
  // node → whether some version it belongs to is kept (absent: tied to no version).
  const belongsToKept = new Map<string, boolean>();
  for (const version of versionNodes) {
    const isKept = kept.has(version.id);
    const related = [
      ...reachable(version.id, upstream),
      ...reachable(version.id, downstream),
    ];
    for (const id of related) {
      belongsToKept.set(id, (belongsToKept.get(id) ?? false) || isKept);
    }
  }
  const shown = new Set(
    nodes.filter(n => belongsToKept.get(n.id) !== false).map(n => n.id),
  );
  return {
    nodes: nodes.filter(n => shown.has(n.id)),
    edges: edges.filter(e => shown.has(e.from) && shown.has(e.to)),
    foldedVersions: versionNodes.length - kept.size,
  };
}

/** The number of `version:<model>/<n>`. */
function versionNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf('/') + 1));
}
