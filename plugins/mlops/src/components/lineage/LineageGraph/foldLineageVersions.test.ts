import type { LineageEdge, LineageNode } from '@mlstack/plugin-mlops-common';
import { foldLineageVersions } from './foldLineageVersions';

const node = (id: string, kind: LineageNode['kind']): LineageNode => ({
  id,
  kind,
  label: id,
  fields: [],
  links: [],
});

/** 40 versions, each from its own run; runs 1..20 from workflow A, 21..40 from B; v5 served. */
function manyVersions() {
  const nodes: LineageNode[] = [
    node('workflow:a', 'workflow'),
    node('workflow:b', 'workflow'),
    node('service:s', 'inferenceService'),
    node('service:orphan', 'inferenceService'),
  ];
  const edges: LineageEdge[] = [];
  for (let v = 40; v >= 1; v--) {
    nodes.push(node(`version:m/${v}`, 'modelVersion'), node(`run:${v}`, 'run'));
    edges.push(
      { from: `run:${v}`, to: `version:m/${v}` },
      { from: v <= 20 ? 'workflow:a' : 'workflow:b', to: `run:${v}` },
    );
  }
  edges.push({ from: 'version:m/5', to: 'service:s' });
  return { nodes, edges };
}

describe('foldLineageVersions', () => {
  it('keeps the newest ten, the served and the aliased versions with their chains', () => {
    const { nodes, edges } = manyVersions();
    const folded = foldLineageVersions(nodes, edges, 'm', [
      { version: '12', aliases: ['champion'] },
      { version: '13', aliases: [] },
    ]);
    const ids = folded.nodes.map(n => n.id);
    const versions = ids.filter(id => id.startsWith('version:'));
    expect(versions).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `version:m/${40 - i}`),
      'version:m/12',
      'version:m/5',
    ]);
    expect(folded.foldedVersions).toBe(28);
    expect(ids).toEqual(
      expect.arrayContaining([
        'run:12',
        'run:5',
        'workflow:a',
        'workflow:b',
        'service:s',
        'service:orphan',
      ]),
    );
    expect(ids).not.toContain('run:13');
    expect(folded.edges).toContainEqual({
      from: 'version:m/5',
      to: 'service:s',
    });
    expect(
      folded.edges.every(e => ids.includes(e.from) && ids.includes(e.to)),
    ).toBe(true);
  });

  it('leaves a graph of 25 versions or fewer as it is', () => {
    const { nodes, edges } = manyVersions();
    const few = nodes.filter(
      n => n.kind !== 'modelVersion' || Number(n.id.split('/')[1]) <= 25,
    );
    const folded = foldLineageVersions(few, edges, 'm', []);
    expect(folded.nodes).toBe(few);
    expect(folded.foldedVersions).toBe(0);
  });
});
