import type {
  ArgoArtifactRepository,
  ArgoNode,
  ArgoNodePhase,
  ArgoNodeType,
  ArgoWorkflowDetail,
} from '@mlstack/plugin-mlops-common';
import {
  PlainObject,
  booleanAt,
  durationBetween,
  objectAt,
  readMetadata,
  scalarAsString,
  stringAt,
  stringsAt,
  timeAt,
  withoutUndefined,
} from '../kubernetes/objects';
import {
  readArtifactRepository,
  readArtifacts,
  readParameters,
} from './inputsAndOutputs';
import { readNodeMap } from './nodeStatus';
import { ArgoPodNameVersion, argoPodName, podNameVersion } from './podName';
import { parseProgress, parseWorkflowSummary } from './parseWorkflowSummary';
import { orderNodes, workflowEdges } from './workflowGraph';

const NODE_PHASES: readonly ArgoNodePhase[] = [
  'Pending',
  'Running',
  'Succeeded',
  'Skipped',
  'Failed',
  'Error',
  'Omitted',
];

const NODE_TYPES: readonly ArgoNodeType[] = [
  'Pod',
  'Container',
  'Steps',
  'StepGroup',
  'DAG',
  'TaskGroup',
  'Retry',
  'Skipped',
  'Suspend',
  'HTTP',
  'Plugin',
];

export function readNodePhase(value: unknown): ArgoNodePhase {
  return NODE_PHASES.find(phase => phase === value) ?? 'Unknown';
}

export function readNodeType(value: unknown): ArgoNodeType {
  return NODE_TYPES.find(type => type === value) ?? 'Unknown';
}

/** Attempts of a Retry node beyond the first; lifecycle-hook children are not attempts. */
function countRetries(
  type: ArgoNodeType,
  childIds: string[],
  rawNodes: Record<string, PlainObject>,
): number {
  if (type !== 'Retry') {
    return 0;
  }
  const attempts = childIds.filter(
    id => booleanAt(objectAt(rawNodes[id]?.nodeFlag).hooked) !== true,
  ).length;
  return Math.max(attempts - 1, 0);
}

interface NodeContext {
  workflowName: string;
  podNameVersion: ArgoPodNameVersion;
  repository?: ArgoArtifactRepository;
  rawNodes: Record<string, PlainObject>;
}

function parseNode(
  id: string,
  raw: PlainObject,
  context: NodeContext,
): ArgoNode {
  const type = readNodeType(raw.type);
  const name = stringAt(raw.name) ?? id;
  const ref = objectAt(raw.templateRef);
  const refName = stringAt(ref.name);
  const refTemplate = stringAt(ref.template);
  const templateRef =
    refName && refTemplate
      ? {
          name: refName,
          template: refTemplate,
          clusterScope: booleanAt(ref.clusterScope) === true,
        }
      : undefined;
  const templateName = refTemplate ?? stringAt(raw.templateName);
  const startedAt = timeAt(raw.startedAt);
  const finishedAt = timeAt(raw.finishedAt);
  const children = stringsAt(raw.children);
  const inputs = objectAt(raw.inputs);
  const outputs = objectAt(raw.outputs);
  const hasPod = type === 'Pod' || type === 'Container';
  return withoutUndefined<ArgoNode>({
    id,
    name,
    displayName: stringAt(raw.displayName) ?? name,
    type,
    phase: readNodePhase(raw.phase),
    templateName,
    templateRef,
    boundaryId: stringAt(raw.boundaryID),
    children,
    outboundNodes: stringsAt(raw.outboundNodes),
    startedAt,
    finishedAt,
    durationMs: durationBetween(startedAt, finishedAt),
    message: stringAt(raw.message),
    progress: parseProgress(raw.progress),
    inputs: {
      parameters: readParameters(inputs.parameters),
      artifacts: readArtifacts(inputs.artifacts, context.repository),
    },
    outputs: withoutUndefined({
      parameters: readParameters(outputs.parameters),
      artifacts: readArtifacts(outputs.artifacts, context.repository),
      exitCode: scalarAsString(outputs.exitCode),
      result: scalarAsString(outputs.result),
    }),
    retries: countRetries(type, children, context.rawNodes),
    podName: hasPod
      ? argoPodName(
          context.workflowName,
          { id, name, type, templateName },
          context.podNameVersion,
        )
      : undefined,
    hostNodeName: stringAt(raw.hostNodeName),
  });
}

/**
 * A Workflow with every node of `status.nodes` (or of `status.compressedNodes`), the graph
 * edges the Argo UI draws, and the artifact repository. Never throws; a Workflow without
 * status has no nodes.
 *
 * @public
 */
export function parseWorkflowDetail(object: unknown): ArgoWorkflowDetail {
  const summary = parseWorkflowSummary(object);
  const metadata = readMetadata(object);
  const status = objectAt(objectAt(object).status);
  const { nodes: rawNodes, offloaded } = readNodeMap(status);
  const repository = readArtifactRepository(status);
  const context: NodeContext = {
    workflowName: summary.name,
    podNameVersion: podNameVersion(metadata.annotations),
    repository,
    rawNodes,
  };
  const nodesById = new Map<string, ArgoNode>();
  for (const [key, raw] of Object.entries(rawNodes)) {
    const id = stringAt(raw.id) ?? key;
    nodesById.set(id, parseNode(id, raw, context));
  }
  const nodes = orderNodes(nodesById, summary.name);
  return withoutUndefined<ArgoWorkflowDetail>({
    ...summary,
    nodes,
    edges: workflowEdges(nodes, nodesById, summary.name),
    artifactRepository: repository,
    nodesOffloaded: offloaded,
  });
}
