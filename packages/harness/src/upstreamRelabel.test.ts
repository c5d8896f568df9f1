import {
  upstreamDiamondWorkflow,
  upstreamFlowerSample,
} from './upstreamObjects';
import {
  relabelUpstreamObject,
  retimeStatus,
  rfc3339,
  withoutNulls,
} from './upstreamRelabel';

describe('relabelUpstreamObject', () => {
  it('keeps the upstream name, generateName, labels and annotations, without server-owned metadata', () => {
    const upstream = upstreamDiamondWorkflow();
    const placed = relabelUpstreamObject(upstream, {
      namespace: 'ml',
      labels: { 'app.kubernetes.io/part-of': 'fraud' },
    });
    expect(placed.metadata).toEqual({
      name: 'dag-diamond-82q7s',
      generateName: 'dag-diamond-',
      namespace: 'ml',
      labels: {
        'workflows.argoproj.io/completed': 'true',
        'workflows.argoproj.io/phase': 'Succeeded',
        'app.kubernetes.io/part-of': 'fraud',
      },
      annotations: { 'workflows.argoproj.io/pod-name-format': 'v2' },
    });
    expect(Object.keys(placed)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
      'status',
    ]);
    expect(placed.status).toEqual(upstream.status);
  });

  it('under a new name, renames the nodes made of the upstream name and drops generateName', () => {
    const relabelled = relabelUpstreamObject(upstreamDiamondWorkflow(), {
      namespace: 'ml',
      name: 'fraud-detector-dag-1',
    });
    expect(relabelled.metadata.name).toBe('fraud-detector-dag-1');
    expect(relabelled.metadata.generateName).toBeUndefined();
    const nodes = Object.values<any>(relabelled.status.nodes);
    expect(nodes).toHaveLength(5);
    expect(relabelled.status.nodes['fraud-detector-dag-1'].type).toBe('DAG');
    for (const node of nodes) {
      expect(node.id).toMatch(/^fraud-detector-dag-1/);
      expect(JSON.stringify(node)).not.toContain('dag-diamond-82q7s');
    }
  });

  it('replaces further strings everywhere, after the name', () => {
    const source = upstreamFlowerSample();
    expect(source.metadata.namespace).toBe('kserve-test');
    const service = relabelUpstreamObject(source, {
      namespace: 'ml-projects',
      name: 'fraud-detector',
      replace: { 'kserve-test': 'ml-projects' },
    });
    expect(service.status.url).toBe(
      'http://fraud-detector.ml-projects.example.com',
    );
    expect(JSON.stringify(service)).not.toMatch(/flower-sample|kserve-test/);
    expect(service.metadata.finalizers).toBeUndefined();
  });
});

describe('retimeStatus', () => {
  it('moves every time by the same amount, the earliest to the start', () => {
    const status = {
      startedAt: '2024-10-01T04:27:23Z',
      finishedAt: '2024-10-01T04:28:03Z',
      nodes: { a: { startedAt: '2024-10-01T04:27:33Z', finishedAt: null } },
      message: 'not a time',
    };
    const start = Date.UTC(2026, 4, 1, 12, 0, 0);
    expect(retimeStatus(status, start)).toEqual({
      startedAt: '2026-05-01T12:00:00Z',
      finishedAt: '2026-05-01T12:00:40Z',
      nodes: { a: { startedAt: '2026-05-01T12:00:10Z', finishedAt: null } },
      message: 'not a time',
    });
  });

  it('writes times as Kubernetes does, in whole seconds', () => {
    expect(rfc3339(Date.UTC(2026, 0, 1, 0, 0, 1, 999))).toBe(
      '2026-01-01T00:00:01Z',
    );
  });
});

describe('withoutNulls', () => {
  it('drops null fields at any depth and keeps the rest', () => {
    expect(
      withoutNulls({ a: null, b: { c: null, d: 0, e: '' }, f: [1] }),
    ).toEqual({ b: { d: 0, e: '' }, f: [1] });
  });
});
