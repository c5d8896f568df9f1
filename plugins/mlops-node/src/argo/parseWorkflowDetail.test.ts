import { loadUpstreamFixtures } from '@internal/harness';
import zlib from 'node:zlib';
import { parseWorkflowDetail } from './parseWorkflowDetail';
import { fnv32a } from './podName';
import { parseWorkflowSummary } from './parseWorkflowSummary';

const [dagDiamond] = loadUpstreamFixtures(
  'argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml',
);
const [stepsRunning] = loadUpstreamFixtures(
  'argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml',
);

describe('parseWorkflowDetail of the succeeded DAG (upstream dag-diamond)', () => {
  const detail = parseWorkflowDetail(dagDiamond);
  const byName = Object.fromEntries(detail.nodes.map(n => [n.displayName, n]));

  it('has the summary and every node, root first, breadth first', () => {
    expect(detail).toMatchObject(parseWorkflowSummary(dagDiamond));
    expect(detail.nodes.map(n => n.displayName)).toEqual([
      'dag-diamond-82q7s',
      'A',
      'B',
      'C',
      'D',
    ]);
    expect(detail.nodesOffloaded).toBe(false);
  });

  it('reads the DAG node', () => {
    expect(byName['dag-diamond-82q7s']).toEqual({
      id: 'dag-diamond-82q7s',
      name: 'dag-diamond-82q7s',
      displayName: 'dag-diamond-82q7s',
      type: 'DAG',
      phase: 'Succeeded',
      templateName: 'diamond',
      children: ['dag-diamond-82q7s-1310542453'],
      outboundNodes: ['dag-diamond-82q7s-1226654358'],
      startedAt: '2024-10-01T04:27:23Z',
      finishedAt: '2024-10-01T04:27:42Z',
      durationMs: 19000,
      progress: { done: 4, total: 4 },
      inputs: { parameters: [], artifacts: [] },
      outputs: { parameters: [], artifacts: [] },
      retries: 0,
    });
  });

  it('reads a pod node with inputs, outputs and the v2 pod name Argo gave it', () => {
    expect(byName.D).toEqual({
      id: 'dag-diamond-82q7s-1226654358',
      name: 'dag-diamond-82q7s.D',
      displayName: 'D',
      type: 'Pod',
      phase: 'Succeeded',
      templateName: 'echo',
      boundaryId: 'dag-diamond-82q7s',
      children: [],
      outboundNodes: [],
      startedAt: '2024-10-01T04:27:36Z',
      finishedAt: '2024-10-01T04:27:39Z',
      durationMs: 3000,
      progress: { done: 1, total: 1 },
      inputs: { parameters: [{ name: 'message', value: 'D' }], artifacts: [] },
      outputs: {
        parameters: [],
        artifacts: [
          {
            name: 'main-logs',
            // key-only in the node; bucket and endpoint come from status.artifactRepositoryRef
            location: {
              storage: 's3',
              bucket: 'my-bucket',
              key: 'dag-diamond-82q7s/dag-diamond-82q7s-echo-1226654358/main.log',
              endpoint: 'minio:9000',
            },
          },
        ],
        exitCode: '0',
      },
      retries: 0,
      podName: 'dag-diamond-82q7s-echo-1226654358',
      hostNodeName: 'k3d-k3s-default-server-0',
    });
  });

  it('names every pod as the controller did (the pod name is in each log key)', () => {
    for (const node of detail.nodes.filter(n => n.type === 'Pod')) {
      const logKey = node.outputs.artifacts[0].location?.key;
      expect(logKey).toBe(`dag-diamond-82q7s/${node.podName}/main.log`);
    }
  });

  it('has the diamond edges', () => {
    const edge = (from: string, to: string) => ({
      from: byName[from].id,
      to: byName[to].id,
    });
    expect(detail.edges).toEqual([
      edge('dag-diamond-82q7s', 'A'),
      edge('A', 'B'),
      edge('A', 'C'),
      edge('B', 'D'),
      edge('C', 'D'),
    ]);
  });

  it('reads the artifact repository without its secrets', () => {
    expect(detail.artifactRepository).toEqual({
      configMap: 'artifact-repositories',
      key: 'default-v1',
      storage: 's3',
      bucket: 'my-bucket',
      endpoint: 'minio:9000',
    });
    expect(JSON.stringify(detail)).not.toContain('my-minio-cred');
  });
});

describe('parseWorkflowDetail of the running Steps workflow with retries', () => {
  const detail = parseWorkflowDetail(stepsRunning);
  const byName = Object.fromEntries(detail.nodes.map(n => [n.displayName, n]));

  it('has all 8 nodes in graph order', () => {
    expect(detail.phase).toBe('Running');
    expect(
      detail.nodes.map(n => `${n.displayName}:${n.type}:${n.phase}`),
    ).toEqual([
      'failed-retries-tjjsc:Steps:Running',
      '[0]:StepGroup:Running',
      'fail:Retry:Failed',
      'delayed-fail:Retry:Running',
      'fail(0):Pod:Failed',
      'fail(1):Pod:Failed',
      'delayed-fail(0):Pod:Failed',
      'delayed-fail(1):Pod:Failed',
    ]);
    expect(detail.edges).toHaveLength(7);
  });

  it('counts the retries of Retry nodes', () => {
    expect(byName.fail.retries).toBe(1);
    expect(byName.fail.message).toBe('No more retries left');
    expect(byName['delayed-fail'].retries).toBe(1);
    expect(byName['[0]'].retries).toBe(0);
    expect(byName['fail(0)'].retries).toBe(0);
  });

  it('reads unfinished nodes (finishedAt: null) and pod names (no annotation: v2)', () => {
    expect(byName['[0]'].finishedAt).toBeUndefined();
    expect(byName['[0]'].durationMs).toBeUndefined();
    expect(byName['[0]'].podName).toBeUndefined();
    expect(byName['fail(1)']).toMatchObject({
      message: 'failed with exit code 1',
      templateName: 'fail',
      podName: 'failed-retries-tjjsc-fail-759866442',
    });
  });

  it('names pods by node id when the workflow uses v1 pod names', () => {
    const v1 = parseWorkflowDetail({
      ...stepsRunning,
      metadata: {
        ...stepsRunning.metadata,
        annotations: { 'workflows.argoproj.io/pod-name-format': 'v1' },
      },
    });
    expect(v1.nodes.find(n => n.displayName === 'fail(1)')?.podName).toBe(
      'failed-retries-tjjsc-759866442',
    );
  });
});

describe('parseWorkflowDetail of other shapes', () => {
  it('gives a workflow without status no nodes', () => {
    const detail = parseWorkflowDetail({
      metadata: { name: 'new', namespace: 'ml' },
      spec: { entrypoint: 'main' },
    });
    expect(detail).toMatchObject({ phase: 'Unknown', nodes: [], edges: [] });
    expect(detail.nodesOffloaded).toBe(false);
  });

  it.each([
    ['gzip', zlib.gzipSync],
    ['brotli', zlib.brotliCompressSync],
    ['zstd', zlib.zstdCompressSync],
  ])('reads %s-compressed nodes', (_, compress) => {
    const { nodes, ...status } = dagDiamond.status;
    const compressedNodes = compress(
      Buffer.from(JSON.stringify(nodes)),
    ).toString('base64');
    const detail = parseWorkflowDetail({
      ...dagDiamond,
      status: { ...status, compressedNodes },
    });
    expect(detail.nodes).toEqual(parseWorkflowDetail(dagDiamond).nodes);
  });

  it('reads unreadable compressed nodes as none, and says when nodes are offloaded', () => {
    const { nodes, ...status } = dagDiamond.status;
    expect(
      parseWorkflowDetail({
        ...dagDiamond,
        status: { ...status, compressedNodes: 'bm9wZQ==' },
      }).nodes,
    ).toEqual([]);
    const offloaded = parseWorkflowDetail({
      ...dagDiamond,
      status: { ...status, offloadNodeStatusVersion: 'fnv:1234' },
    });
    expect(offloaded.nodesOffloaded).toBe(true);
    expect(offloaded.nodes).toEqual([]);
  });

  it('links the last pods to the onExit handler and reads templateRef nodes', () => {
    const detail = parseWorkflowDetail({
      metadata: {
        name: 'wf',
        annotations: { 'workflows.argoproj.io/pod-name-format': 'v2' },
      },
      status: {
        phase: 'Failed',
        nodes: {
          wf: {
            id: 'wf',
            name: 'wf',
            type: 'Steps',
            phase: 'Failed',
            children: ['wf-1'],
            outboundNodes: ['wf-2'],
          },
          'wf-1': {
            id: 'wf-1',
            name: 'wf[0]',
            type: 'StepGroup',
            children: ['wf-2'],
            boundaryID: 'wf',
          },
          'wf-2': {
            id: 'wf-2',
            name: 'wf[0].train',
            type: 'Pod',
            phase: 'Failed',
            boundaryID: 'wf',
            templateName: 'ignored-when-templateRef',
            templateRef: {
              name: 'shared-steps',
              template: 'train',
              clusterScope: true,
            },
            outputs: {
              parameters: [{ name: 'accuracy', value: 0.93 }],
              artifacts: [
                {
                  name: 'model',
                  path: '/tmp/model',
                  gcs: { bucket: 'b', key: 'k' },
                },
              ],
              result: 'done',
            },
          },
          'wf-9': {
            id: 'wf-9',
            name: 'wf.onExit',
            type: 'Pod',
            phase: 'Succeeded',
            templateName: 'notify',
          },
          'wf-7': {
            id: 'wf-7',
            name: 'wf.dangling',
            type: 'Mystery',
            phase: 'Weird',
          },
        },
      },
    });
    expect(detail.nodes.map(n => n.id)).toEqual([
      'wf',
      'wf-1',
      'wf-2',
      'wf-7',
      'wf-9',
    ]);
    expect(detail.edges).toEqual([
      { from: 'wf', to: 'wf-1' },
      { from: 'wf-1', to: 'wf-2' },
      { from: 'wf-2', to: 'wf-9' },
    ]);
    const train = detail.nodes[2];
    expect(train).toMatchObject({
      templateName: 'train',
      templateRef: {
        name: 'shared-steps',
        template: 'train',
        clusterScope: true,
      },
      podName: `wf-train-${fnv32a('wf[0].train')}`,
      outputs: {
        parameters: [{ name: 'accuracy', value: '0.93' }],
        artifacts: [
          {
            name: 'model',
            path: '/tmp/model',
            location: { storage: 'gcs', bucket: 'b', key: 'k' },
          },
        ],
        result: 'done',
      },
    });
    expect(detail.nodes[3]).toMatchObject({
      type: 'Unknown',
      phase: 'Unknown',
    });
  });

  it('does not count lifecycle-hook children of a Retry node as attempts', () => {
    const detail = parseWorkflowDetail({
      metadata: { name: 'wf' },
      status: {
        nodes: {
          r: { id: 'r', name: 'wf', type: 'Retry', children: ['a', 'b', 'h'] },
          a: {
            id: 'a',
            name: 'wf(0)',
            type: 'Pod',
            nodeFlag: { retried: true },
          },
          b: {
            id: 'b',
            name: 'wf(1)',
            type: 'Pod',
            nodeFlag: { retried: true },
          },
          h: {
            id: 'h',
            name: 'wf.hooks.running',
            type: 'Pod',
            nodeFlag: { hooked: true },
          },
        },
      },
    });
    expect(detail.nodes.find(n => n.id === 'r')?.retries).toBe(1);
  });

  it('parses a synthetic 500-node DAG correctly', () => {
    const workflowName = 'big-dag';
    const nodes: Record<string, unknown> = {
      [workflowName]: {
        id: workflowName,
        name: workflowName,
        type: 'DAG',
        phase: 'Running',
        templateName: 'main',
        children: [] as string[],
      },
    };
    const root = nodes[workflowName] as { children: string[] };
    for (let i = 1; i < 500; i++) {
      const id = `${workflowName}-${i}`;
      // task i depends on task i-10 (the first ten start from the root)
      const parentId = i <= 10 ? workflowName : `${workflowName}-${i - 10}`;
      nodes[id] = {
        id,
        name: `${workflowName}.task-${i}`,
        displayName: `task-${i}`,
        type: 'Pod',
        phase: i < 400 ? 'Succeeded' : 'Pending',
        templateName: 'step',
        boundaryID: workflowName,
        startedAt: '2025-01-01T00:00:00Z',
        finishedAt: i < 400 ? '2025-01-01T00:00:05Z' : null,
        children: [],
        inputs: { parameters: [{ name: 'i', value: String(i) }] },
      };
      if (parentId === workflowName) {
        root.children.push(id);
      } else {
        (nodes[parentId] as { children: string[] }).children.push(id);
      }
    }
    const detail = parseWorkflowDetail({
      metadata: { name: workflowName, namespace: 'ml' },
      status: { phase: 'Running', progress: '399/499', nodes },
    });
    expect(detail.nodes).toHaveLength(500);
    expect(detail.edges).toHaveLength(499);
    expect(detail.progress).toEqual({ done: 399, total: 499 });
    expect(detail.nodes[0].id).toBe(workflowName);
    expect(detail.nodes.slice(1, 11).map(n => n.displayName)).toEqual(
      Array.from({ length: 10 }, (_, i) => `task-${i + 1}`),
    );
    expect(detail.nodes.filter(n => n.phase === 'Succeeded')).toHaveLength(399);
    expect(detail.nodes.filter(n => n.durationMs === 5000)).toHaveLength(399);
    const last = detail.nodes[499];
    expect(last).toMatchObject({
      displayName: 'task-499',
      phase: 'Pending',
      inputs: { parameters: [{ name: 'i', value: '499' }] },
      podName: `big-dag-step-${fnv32a('big-dag.task-499')}`,
    });
    expect(new Set(detail.nodes.map(n => n.podName)).size).toBe(500);
  });
});
