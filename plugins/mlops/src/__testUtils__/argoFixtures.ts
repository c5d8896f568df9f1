import type {
  ArgoNode,
  ArgoNodeLogs,
  ArgoWorkflowDetail,
  ArgoWorkflowPage,
  ArgoWorkflowSummary,
  ArgoWorkflowTemplatesResponse,
} from '@mlstack/plugin-mlops-common';

const NS = 'ml-projects';
const CLUSTER = 'harness';

function summary(
  partial: Partial<ArgoWorkflowSummary> & { name: string },
): ArgoWorkflowSummary {
  return {
    namespace: NS,
    phase: 'Succeeded',
    parameters: {},
    suspended: false,
    labels: {},
    templateName: 'fraud-detector-train',
    ...partial,
  };
}

function node(partial: Partial<ArgoNode> & { id: string }): ArgoNode {
  return {
    name: partial.id,
    displayName: partial.id,
    type: 'Pod',
    phase: 'Succeeded',
    children: [],
    outboundNodes: [],
    inputs: { parameters: [], artifacts: [] },
    outputs: { parameters: [], artifacts: [] },
    retries: 0,
    ...partial,
  };
}

/** A succeeded DAG run (Argo's dag-diamond example): A → B, C → D. */
export const diamondDetail: ArgoWorkflowDetail = {
  ...summary({
    name: 'train-diamond-82q7s',
    uid: 'dd3d2674-43d8-446a-afdf-17ec95afade2',
    creationTimestamp: '2024-10-01T04:27:23Z',
    phase: 'Succeeded',
    progress: { done: 4, total: 4 },
    startedAt: '2024-10-01T04:27:23Z',
    finishedAt: '2024-10-01T04:27:42Z',
    durationMs: 19_000,
    entrypoint: 'diamond',
    parameters: { 'learning-rate': '0.1', dataset: 'v3' },
  }),
  nodes: [
    node({
      id: 'train-diamond-82q7s',
      name: 'train-diamond-82q7s',
      displayName: 'train-diamond-82q7s',
      type: 'DAG',
      templateName: 'diamond',
      children: ['train-diamond-82q7s-1310542453'],
      outboundNodes: ['train-diamond-82q7s-1226654358'],
      progress: { done: 4, total: 4 },
      startedAt: '2024-10-01T04:27:23Z',
      finishedAt: '2024-10-01T04:27:42Z',
      durationMs: 19_000,
    }),
    node({
      id: 'train-diamond-82q7s-1310542453',
      name: 'train-diamond-82q7s.A',
      displayName: 'A',
      templateName: 'echo',
      boundaryId: 'train-diamond-82q7s',
      children: [
        'train-diamond-82q7s-1260209596',
        'train-diamond-82q7s-1276987215',
      ],
      startedAt: '2024-10-01T04:27:23Z',
      finishedAt: '2024-10-01T04:27:27Z',
      durationMs: 4_000,
      inputs: { parameters: [{ name: 'message', value: 'A' }], artifacts: [] },
      outputs: {
        parameters: [],
        artifacts: [
          {
            name: 'main-logs',
            location: {
              storage: 's3',
              bucket: 'my-bucket',
              key: 'train-diamond-82q7s/train-diamond-82q7s-echo-1310542453/main.log',
            },
          },
        ],
        exitCode: '0',
      },
      podName: 'train-diamond-82q7s-echo-1310542453',
      hostNodeName: 'k3d-k3s-default-server-0',
    }),
    node({
      id: 'train-diamond-82q7s-1260209596',
      name: 'train-diamond-82q7s.B',
      displayName: 'B',
      templateName: 'echo',
      boundaryId: 'train-diamond-82q7s',
      children: ['train-diamond-82q7s-1226654358'],
      startedAt: '2024-10-01T04:27:30Z',
      finishedAt: '2024-10-01T04:27:33Z',
      durationMs: 3_000,
      podName: 'train-diamond-82q7s-echo-1260209596',
    }),
    node({
      id: 'train-diamond-82q7s-1276987215',
      name: 'train-diamond-82q7s.C',
      displayName: 'C',
      templateName: 'echo',
      boundaryId: 'train-diamond-82q7s',
      children: ['train-diamond-82q7s-1226654358'],
      startedAt: '2024-10-01T04:27:30Z',
      finishedAt: '2024-10-01T04:27:33Z',
      durationMs: 3_000,
      podName: 'train-diamond-82q7s-echo-1276987215',
    }),
    node({
      id: 'train-diamond-82q7s-1226654358',
      name: 'train-diamond-82q7s.D',
      displayName: 'D',
      templateName: 'echo',
      boundaryId: 'train-diamond-82q7s',
      startedAt: '2024-10-01T04:27:36Z',
      finishedAt: '2024-10-01T04:27:39Z',
      durationMs: 3_000,
      podName: 'train-diamond-82q7s-echo-1226654358',
    }),
  ],
  edges: [
    {
      from: 'train-diamond-82q7s',
      to: 'train-diamond-82q7s-1310542453',
    },
    {
      from: 'train-diamond-82q7s-1310542453',
      to: 'train-diamond-82q7s-1260209596',
    },
    {
      from: 'train-diamond-82q7s-1310542453',
      to: 'train-diamond-82q7s-1276987215',
    },
    {
      from: 'train-diamond-82q7s-1260209596',
      to: 'train-diamond-82q7s-1226654358',
    },
    {
      from: 'train-diamond-82q7s-1276987215',
      to: 'train-diamond-82q7s-1226654358',
    },
  ],
  nodesOffloaded: false,
};

const RETRIES = 'failed-retries-tjjsc';

/** A failed steps run with retries (Argo's failed-retries example, finished). */
export const failedDetail: ArgoWorkflowDetail = {
  ...summary({
    name: RETRIES,
    phase: 'Failed',
    progress: { done: 4, total: 4 },
    startedAt: '2019-01-03T01:23:18Z',
    finishedAt: '2019-01-03T01:23:33Z',
    durationMs: 15_000,
    message: 'child failed-retries-tjjsc-20069324 failed',
    entrypoint: 'failed-retries',
    templateName: 'fraud-detector-train',
  }),
  nodes: [
    node({
      id: RETRIES,
      name: RETRIES,
      displayName: RETRIES,
      type: 'Steps',
      phase: 'Failed',
      children: [`${RETRIES}-2095973878`],
    }),
    node({
      id: `${RETRIES}-2095973878`,
      name: `${RETRIES}[0]`,
      displayName: '[0]',
      type: 'StepGroup',
      phase: 'Failed',
      boundaryId: RETRIES,
      children: [`${RETRIES}-20069324`, `${RETRIES}-1574533273`],
    }),
    node({
      id: `${RETRIES}-20069324`,
      name: `${RETRIES}[0].fail`,
      displayName: 'fail',
      type: 'Retry',
      phase: 'Failed',
      message: 'No more retries left',
      boundaryId: RETRIES,
      retries: 1,
      children: [`${RETRIES}-1229492679`, `${RETRIES}-759866442`],
    }),
    node({
      id: `${RETRIES}-1574533273`,
      name: `${RETRIES}[0].delayed-fail`,
      displayName: 'delayed-fail',
      type: 'Retry',
      phase: 'Failed',
      boundaryId: RETRIES,
      retries: 1,
      children: [`${RETRIES}-1375221696`, `${RETRIES}-2113289837`],
    }),
    node({
      id: `${RETRIES}-1229492679`,
      name: `${RETRIES}[0].fail(0)`,
      displayName: 'fail(0)',
      phase: 'Failed',
      templateName: 'fail',
      message: 'failed with exit code 1',
      boundaryId: RETRIES,
      podName: `${RETRIES}-fail-1229492679`,
      outputs: { parameters: [], artifacts: [], exitCode: '1' },
    }),
    node({
      id: `${RETRIES}-759866442`,
      name: `${RETRIES}[0].fail(1)`,
      displayName: 'fail(1)',
      phase: 'Failed',
      templateName: 'fail',
      message: 'failed with exit code 1',
      boundaryId: RETRIES,
      podName: `${RETRIES}-fail-759866442`,
    }),
    node({
      id: `${RETRIES}-1375221696`,
      name: `${RETRIES}[0].delayed-fail(0)`,
      displayName: 'delayed-fail(0)',
      phase: 'Failed',
      templateName: 'delayed-fail',
      message: 'failed with exit code 1',
      boundaryId: RETRIES,
      podName: `${RETRIES}-delayed-fail-1375221696`,
    }),
    node({
      id: `${RETRIES}-2113289837`,
      name: `${RETRIES}[0].delayed-fail(1)`,
      displayName: 'delayed-fail(1)',
      phase: 'Failed',
      templateName: 'delayed-fail',
      message: 'failed with exit code 1',
      boundaryId: RETRIES,
      podName: `${RETRIES}-delayed-fail-2113289837`,
    }),
  ],
  edges: [
    { from: RETRIES, to: `${RETRIES}-2095973878` },
    { from: `${RETRIES}-2095973878`, to: `${RETRIES}-20069324` },
    { from: `${RETRIES}-2095973878`, to: `${RETRIES}-1574533273` },
    { from: `${RETRIES}-20069324`, to: `${RETRIES}-1229492679` },
    { from: `${RETRIES}-20069324`, to: `${RETRIES}-759866442` },
    { from: `${RETRIES}-1574533273`, to: `${RETRIES}-1375221696` },
    { from: `${RETRIES}-1574533273`, to: `${RETRIES}-2113289837` },
  ],
  nodesOffloaded: false,
};

/** A run still going: started a minute before `runningStartedAt()`. */
export function runningDetail(
  startedAt = new Date(Date.now() - 60_000).toISOString(),
): ArgoWorkflowDetail {
  return {
    ...summary({
      name: 'train-live-x7k2p',
      phase: 'Running',
      progress: { done: 1, total: 3 },
      startedAt,
      estimatedDurationMs: 300_000,
      parameters: { 'learning-rate': '0.3' },
    }),
    nodes: [
      node({
        id: 'train-live-x7k2p',
        displayName: 'train-live-x7k2p',
        type: 'DAG',
        phase: 'Running',
        children: ['train-live-x7k2p-1'],
      }),
      node({
        id: 'train-live-x7k2p-1',
        displayName: 'prepare',
        phase: 'Succeeded',
        children: ['train-live-x7k2p-2'],
        podName: 'train-live-x7k2p-prepare-1',
      }),
      node({
        id: 'train-live-x7k2p-2',
        displayName: 'train',
        phase: 'Running',
        startedAt,
        podName: 'train-live-x7k2p-train-2',
      }),
    ],
    edges: [
      { from: 'train-live-x7k2p', to: 'train-live-x7k2p-1' },
      { from: 'train-live-x7k2p-1', to: 'train-live-x7k2p-2' },
    ],
    nodesOffloaded: false,
  };
}

/** Strips a detail down to what the list route returns. */
export function toSummary(detail: ArgoWorkflowDetail): ArgoWorkflowSummary {
  const { nodes, edges, artifactRepository, nodesOffloaded, ...rest } = detail;
  return rest;
}

export const workflowPage: ArgoWorkflowPage = {
  cluster: CLUSTER,
  namespace: NS,
  items: [toSummary(diamondDetail), toSummary(failedDetail)],
  continue: 'page-2-token',
};

export const workflowPage2: ArgoWorkflowPage = {
  cluster: CLUSTER,
  namespace: NS,
  items: [
    toSummary({
      ...diamondDetail,
      name: 'train-old-1',
      phase: 'Error',
      message: 'pod deleted',
    }),
  ],
};

export const workflowDetails: ArgoWorkflowDetail[] = [
  diamondDetail,
  failedDetail,
];

export const templatesResponse: ArgoWorkflowTemplatesResponse = {
  cluster: CLUSTER,
  namespace: NS,
  templates: [
    {
      name: 'fraud-detector-train',
      namespace: NS,
      clusterScoped: false,
      title: 'Train the fraud detector',
      entrypoint: 'main',
      submittable: true,
      parameters: [
        {
          name: 'learning-rate',
          defaultValue: '0.1',
          required: false,
          description: 'Step size of the optimiser',
          submittable: true,
          pattern: '[0-9.]+',
        },
        {
          name: 'dataset',
          defaultValue: 'v3',
          enum: ['v2', 'v3', 'v4'],
          required: false,
          submittable: true,
        },
        {
          name: 'run-name',
          required: true,
          description: 'MLflow run name',
          submittable: true,
        },
        {
          name: 'image',
          defaultValue: 'registry.local/fraud-trainer:1.4.0',
          required: false,
          submittable: false,
        },
      ],
      artifactNames: [],
      templates: [{ name: 'main', kind: 'dag' }],
      labels: {},
    },
  ],
  missingTemplates: [],
};

export function nodeLogs(
  workflow: string,
  nodeId: string,
  text = 'epoch 1 loss=0.52\nepoch 2 loss=0.31\n',
): ArgoNodeLogs {
  return {
    workflow,
    nodeId,
    podName: `${workflow}-pod-${nodeId}`,
    container: 'main',
    available: true,
    text,
  };
}

/**
 * A generated DAG of `count` nodes: a root DAG node fanning out into layers of
 * Pod nodes, each node of a layer leading to one of the next, some failed.
 */
export function bigDetail(count = 500): ArgoWorkflowDetail {
  const name = 'train-big';
  const width = 20;
  const nodes: ArgoNode[] = [
    node({ id: name, displayName: name, type: 'DAG', phase: 'Failed' }),
  ];
  const edges: ArgoWorkflowDetail['edges'] = [];
  for (let i = 1; i < count; i++) {
    const id = `${name}-${i}`;
    nodes.push(
      node({
        id,
        name: `${name}.task-${i}`,
        displayName: `task-${i}`,
        phase: i % 97 === 0 ? 'Failed' : 'Succeeded',
        boundaryId: name,
        podName: `${name}-task-${i}`,
      }),
    );
    const from = i <= width ? name : `${name}-${i - width}`;
    edges.push({ from, to: id });
  }
  return {
    ...summary({
      name,
      phase: 'Failed',
      progress: { done: count - 1, total: count - 1 },
    }),
    nodes,
    edges,
    nodesOffloaded: false,
  };
}
