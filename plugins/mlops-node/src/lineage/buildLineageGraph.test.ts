import type { LineageGraphInputs } from './buildLineageGraph';
import { buildLineageGraph } from './buildLineageGraph';
import {
  COMMIT,
  MODEL,
  aRun,
  aService,
  aVersion,
  aWorkflow,
  fullTags,
  record,
} from './__testUtils__/lineageFixtures';

const SOURCE = 'url:https://github.com/acme/fraud-detector/tree/main/';

function inputs(more: Partial<LineageGraphInputs> = {}): LineageGraphInputs {
  return {
    model: MODEL,
    sourceLocation: SOURCE,
    versions: { value: [aVersion('3', { aliases: ['champion'] })] },
    cappedVersions: 0,
    maxVersions: 20,
    focused: false,
    runs: new Map([
      [
        'run-3',
        {
          value: aRun('run-3', fullTags('fraud-train-abc12'), {
            datasets: [
              {
                name: 'transactions',
                digest: 'a1b2c3d4',
                sourceType: 's3',
                source: 's3://dvc/fraud/files/md5/a1/b2c3d4.dir',
                context: 'training',
              },
            ],
          }),
        },
      ],
    ]),
    workflows: new Map([
      ['fraud-train-abc12', { value: aWorkflow('fraud-train-abc12') }],
    ]),
    services: {
      value: [aService('fraud-detector', { servedModel: record('3') })],
    },
    ...more,
  };
}

const edgesOf = (graph: ReturnType<typeof buildLineageGraph>) =>
  graph.edges.map(e => `${e.from} -> ${e.to}${e.label ? ` [${e.label}]` : ''}`);
const reasonsOf = (graph: ReturnType<typeof buildLineageGraph>) =>
  graph.gaps.map(g => g.reason);

describe('buildLineageGraph', () => {
  it('draws every link from data to the serving service, with no gap', () => {
    const graph = buildLineageGraph(inputs());
    expect(edgesOf(graph)).toEqual([
      'logged-model:m-30 -> version:fraud-detector/3 [registered as]',
      'workflow:fraud-train-abc12 -> run:run-3 [ran]',
      `data:a1b2c3d4e5f60718@${COMMIT} -> workflow:fraud-train-abc12 [trained on]`,
      'dataset:transactions@a1b2c3d4 -> run:run-3 [dataset input]',
      'run:run-3 -> logged-model:m-30 [logged]',
      'version:fraud-detector/3 -> service:fraud-detector [stable · 100%]',
    ]);
    expect(graph.gaps).toEqual([]);

    const byId = new Map(graph.nodes.map(n => [n.id, n]));
    expect(byId.get(`data:a1b2c3d4e5f60718@${COMMIT}`)!.links).toEqual([
      {
        title: 'Repository at 3f2a9c1',
        url: `https://github.com/acme/fraud-detector/tree/${COMMIT}`,
      },
    ]);
    expect(byId.get('workflow:fraud-train-abc12')!.links[0].entityTab).toEqual({
      tab: 'pipelines',
      query: { workflow: 'fraud-train-abc12' },
    });
    expect(byId.get('workflow:fraud-train-abc12')!.status).toEqual({
      level: 'ok',
      text: 'Succeeded',
    });
    const run = byId.get('run:run-3')!;
    expect(run.links[0].entityTab).toEqual({
      tab: 'mlflow',
      query: { run: 'run-3' },
    });
    expect(run.fields).toEqual(
      expect.arrayContaining([
        { label: 'param max_depth', value: '6' },
        { label: 'metric accuracy', value: '0.93' },
      ]),
    );
    expect(byId.get('dataset:transactions@a1b2c3d4')!.fields).toEqual([
      { label: 'digest', value: 'a1b2c3d4' },
      { label: 'source', value: 's3://dvc/fraud/files/md5/a1/b2c3d4.dir' },
      { label: 'source type', value: 's3' },
      { label: 'context', value: 'training' },
    ]);
    const version = byId.get('version:fraud-detector/3')!;
    expect(version.label).toBe('fraud-detector v3 @champion');
    expect(version.fields).toEqual(
      expect.arrayContaining([
        { label: 'model_id', value: 'm-30' },
        { label: 'run_id', value: 'run-3' },
      ]),
    );
    expect(byId.get('service:fraud-detector')!.status).toEqual({
      level: 'ok',
      text: 'Ready',
    });
  });

  it('links a version served by two services to both', () => {
    const graph = buildLineageGraph(
      inputs({
        services: {
          value: [
            aService('fraud-detector', { servedModel: record('3') }),
            aService('fraud-detector-eu', { servedModel: record('3') }),
          ],
        },
      }),
    );
    expect(edgesOf(graph).filter(e => e.includes('service:'))).toEqual([
      'version:fraud-detector/3 -> service:fraud-detector [stable · 100%]',
      'version:fraud-detector/3 -> service:fraud-detector-eu [stable · 100%]',
    ]);
  });

  it('shows a canary: two versions on one service with their traffic', () => {
    const graph = buildLineageGraph(
      inputs({
        versions: { value: [aVersion('4', { runId: 'run-3' }), aVersion('3')] },
        services: {
          value: [
            aService('fraud-detector', {
              servedModel: record('3'),
              canaryModel: record('4'),
              canaries: [
                {
                  name: 'fraud-detector-v4',
                  trafficPercent: 25,
                  predictor: {},
                  ready: true,
                },
              ],
            }),
          ],
        },
      }),
    );
    expect(edgesOf(graph).filter(e => e.includes('service:'))).toEqual([
      'version:fraud-detector/3 -> service:fraud-detector [stable · 75%]',
      'version:fraud-detector/4 -> service:fraud-detector [canary · 25%]',
    ]);
    const service = graph.nodes.find(n => n.id === 'service:fraud-detector')!;
    expect(service.fields).toEqual(
      expect.arrayContaining([
        { label: 'stable', value: 'v3 · 75% · Ready' },
        { label: 'canary', value: 'v4 · 25% · Ready · fraud-detector-v4' },
      ]),
    );
    // One run behind both versions: its chain is drawn once.
    expect(graph.nodes.filter(n => n.kind === 'run')).toHaveLength(1);
  });

  it('names the run without a workflow tag and links its data straight to the run', () => {
    const tags = fullTags('x');
    delete (tags as Record<string, string>)['mlstack.io/argo-workflow'];
    const graph = buildLineageGraph(
      inputs({ runs: new Map([['run-3', { value: aRun('run-3', tags) }]]) }),
    );
    expect(graph.gaps).toEqual([
      {
        reason: 'no-workflow-tag',
        nodeId: 'run:run-3',
        message:
          'Run train-run-3 has no mlstack.io/argo-workflow tag: the pipeline run that made it is unknown',
      },
    ]);
    expect(edgesOf(graph)).toContain(
      `data:a1b2c3d4e5f60718@${COMMIT} -> run:run-3 [trained on]`,
    );
  });

  it('keeps a garbage-collected workflow in the chain, marked, with a gap', () => {
    const graph = buildLineageGraph(
      inputs({
        workflows: new Map([['fraud-train-abc12', { missing: true }]]),
      }),
    );
    expect(graph.gaps).toEqual([
      {
        reason: 'workflow-not-found',
        nodeId: 'workflow:fraud-train-abc12',
        message:
          "Workflow fraud-train-abc12 (tagged on run train-run-3) not found among the entity's Argo workflows (garbage-collected?)",
      },
    ]);
    const workflow = graph.nodes.find(
      n => n.id === 'workflow:fraud-train-abc12',
    )!;
    expect(workflow.status).toEqual({ level: 'warning', text: 'not found' });
    expect(workflow.links).toEqual([]);
  });

  it('says which tags and which location are missing', () => {
    const graph = buildLineageGraph(
      inputs({
        sourceLocation: undefined,
        runs: new Map([
          [
            'run-3',
            {
              value: aRun('run-3', {
                'mlstack.io/argo-workflow': 'fraud-train-abc12',
                'mlflow.source.git.commit': COMMIT,
              }),
            },
          ],
        ]),
      }),
    );
    expect(reasonsOf(graph)).toEqual([
      'no-data-hash-tag',
      'no-source-location',
    ]);
    expect(graph.gaps[1].message).toBe(
      `Commit ${COMMIT} is not linked: the entity has no backstage.io/source-location`,
    );

    const noCommit = buildLineageGraph(
      inputs({
        runs: new Map([
          [
            'run-3',
            { value: aRun('run-3', { 'mlstack.io/dvc-data-hash': 'abc' }) },
          ],
        ]),
      }),
    );
    expect(reasonsOf(noCommit)).toEqual([
      'no-workflow-tag',
      'no-git-commit-tag',
    ]);
  });

  it('says a version has no run, and a run is not among the entity runs', () => {
    const graph = buildLineageGraph(
      inputs({
        versions: {
          value: [
            aVersion('3'),
            aVersion('2', { runId: undefined, modelId: undefined }),
          ],
        },
        runs: new Map([['run-3', { missing: true }]]),
        services: { value: [] },
      }),
    );
    expect(graph.gaps.map(g => [g.reason, g.nodeId, g.message])).toEqual([
      [
        'run-not-found',
        'version:fraud-detector/3',
        "Run run-3 of version fraud-detector v3 not found in the entity's MLflow experiments",
      ],
      [
        'version-without-run',
        'version:fraud-detector/2',
        'Version fraud-detector v2 has no run_id (registered from a path): its run and data are unknown',
      ],
      [
        'not-served',
        'version:fraud-detector/3',
        'Version fraud-detector v3 is not served anywhere (no InferenceService of the entity serves it)',
      ],
      [
        'not-served',
        'version:fraud-detector/2',
        'Version fraud-detector v2 is not served anywhere (no InferenceService of the entity serves it)',
      ],
    ]);
  });

  it('shows the services when MLflow is down, and MLflow when the cluster is', () => {
    const mlflowDown = buildLineageGraph(
      inputs({ versions: { error: 'MLflow is unavailable (503)' } }),
    );
    expect(mlflowDown.gaps).toEqual([
      {
        reason: 'upstream-error',
        upstream: 'mlflow',
        message:
          'The versions of fraud-detector could not be read from MLflow: MLflow is unavailable (503)',
      },
    ]);
    expect(edgesOf(mlflowDown)).toEqual([
      'version:fraud-detector/3 -> service:fraud-detector [stable · 100%]',
    ]);
    expect(
      mlflowDown.nodes.find(n => n.kind === 'modelVersion')!.status,
    ).toEqual({
      level: 'unknown',
      text: 'registry not read',
    });

    const clusterDown = buildLineageGraph(
      inputs({ services: { error: 'connect ECONNREFUSED' } }),
    );
    expect(clusterDown.gaps).toEqual([
      {
        reason: 'upstream-error',
        upstream: 'kserve',
        message:
          'The InferenceServices could not be read from the cluster: connect ECONNREFUSED',
      },
    ]);
    expect(clusterDown.nodes.map(n => n.kind)).toContain('run');
  });

  it('names the upstream when a run or a workflow could not be read', () => {
    const graph = buildLineageGraph(
      inputs({
        workflows: new Map([
          ['fraud-train-abc12', { error: 'the cluster refused: 403' }],
        ]),
      }),
    );
    expect(graph.gaps.map(g => [g.reason, g.upstream])).toEqual([
      ['upstream-error', 'argo'],
    ]);

    const runDown = buildLineageGraph(
      inputs({ runs: new Map([['run-3', { error: 'timeout' }]]) }),
    );
    expect(runDown.gaps.map(g => [g.reason, g.upstream])).toEqual([
      ['upstream-error', 'mlflow'],
    ]);
  });

  it('names the cap, a missing model and a service whose model is unknown', () => {
    const graph = buildLineageGraph(
      inputs({
        cappedVersions: 7,
        services: {
          value: [
            aService('fraud-detector', { servedModel: record('3') }),
            aService('mystery'),
          ],
        },
      }),
    );
    expect(reasonsOf(graph)).toEqual([
      'versions-capped',
      'service-model-unknown',
    ]);
    expect(graph.gaps[0].message).toBe(
      'Showing the newest 20 versions; 7 older ones are left out (select a version or alias to see one)',
    );

    const noModel = buildLineageGraph(
      inputs({ versions: { missing: true }, services: { value: [] } }),
    );
    expect(reasonsOf(noModel)).toEqual(['model-not-found']);
  });

  it('leaves services of other versions out when one version is focused', () => {
    const graph = buildLineageGraph(
      inputs({
        focused: true,
        services: {
          value: [
            aService('fraud-detector', { servedModel: record('2') }),
            aService('mystery'),
          ],
        },
      }),
    );
    expect(graph.nodes.some(n => n.kind === 'inferenceService')).toBe(false);
    expect(reasonsOf(graph)).toEqual(['not-served']);
  });
});
