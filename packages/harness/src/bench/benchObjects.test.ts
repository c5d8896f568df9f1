import { claimerEntities, claimerServices } from './catalogModelsObjects';
import { lineageObjects } from './lineageObjects';
import {
  benchWorkflow,
  upstreamWorkflowsWithStatus,
} from './seedArgoWorkflows';

describe('the Argo bench workflows', () => {
  const examples = upstreamWorkflowsWithStatus();
  const labels = { 'app.kubernetes.io/part-of': 'bench-project' };

  it('are the upstream examples in turn, relabelled and numbered after their generateName', () => {
    expect(examples.map(e => e.metadata.name)).toEqual([
      'dag-diamond-82q7s',
      'failed-retries-tjjsc',
    ]);
    const first = benchWorkflow(examples, 0, 'bench-argo', labels);
    const second = benchWorkflow(examples, 1, 'bench-argo', labels);
    expect(first.metadata.name).toBe('dag-diamond-00000');
    expect(second.metadata.name).toBe('failed-retries-00001');
    expect(second.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(second.kind).toBe('Workflow');
    expect(first.metadata.namespace).toBe('bench-argo');
    expect(first.metadata.labels).toMatchObject(labels);
    expect(first.status.nodes['dag-diamond-00000'].type).toBe('DAG');
    expect(JSON.stringify(second)).not.toContain('tjjsc');
    expect(JSON.stringify(second)).not.toContain('null');
  });

  it('start a minute apart from 2026-01-01 and last 95 s', () => {
    const workflow = benchWorkflow(examples, 3, 'bench-argo', labels);
    expect(workflow.status.startedAt).toBe('2026-01-01T00:03:00Z');
    expect(workflow.status.finishedAt).toBe('2026-01-01T00:04:35Z');
  });
});

describe('the lineage bench objects', () => {
  const list = lineageObjects({
    namespace: 'bench-lineage',
    labels: { 'app.kubernetes.io/part-of': 'bench-lineage-project' },
    instance: 'bench-lineage',
    model: 'bench-lineage',
    latest: 200,
    services: 20,
    storagePrefix: 's3://mlflow-artifacts/bench-lineage',
    workflows: Array.from({ length: 40 }, (_, i) => `train-${i}`),
  });
  const byKind = (kind: string) =>
    list.items.filter((o: any) => o.kind === kind);

  it('leave out every tenth workflow, as if garbage-collected', () => {
    expect(byKind('Namespace')).toHaveLength(1);
    const names = byKind('Workflow').map((w: any) => w.metadata.name);
    expect(names).toHaveLength(36);
    expect(names).not.toContain('train-9');
  });

  it('serve the newest versions, five of them with a canary', () => {
    const services = byKind('InferenceService');
    expect(services).toHaveLength(20);
    const served = (s: any) =>
      JSON.parse(s.metadata.annotations['mlstack.io/served-model']).version;
    expect(served(services[0])).toBe('200');
    expect(served(services[10])).toBe('200');
    const canaries = services.filter(
      (s: any) => s.spec.predictor.canaryTrafficPercent === 20,
    );
    expect(canaries.map((s: any) => s.metadata.name)).toEqual([
      'bench-lineage-10',
      'bench-lineage-11',
      'bench-lineage-12',
      'bench-lineage-13',
      'bench-lineage-14',
    ]);
    expect(canaries[0].spec.predictor.model.storageUri).toBe(
      's3://mlflow-artifacts/bench-lineage/v170',
    );
  });
});

describe('the catalog-models bench objects', () => {
  const options = {
    claimers: 100,
    services: 20,
    claimerPrefix: 'c-',
    modelPrefix: 'm-',
    instance: 'bench-models',
    cluster: 'bench-models',
    namespace: 'bench-catalog-models',
    owner: 'group:default/ml-team',
  };

  it('claim one model each', () => {
    const entities = claimerEntities(options);
    expect(entities).toHaveLength(100);
    expect(entities[7].metadata).toMatchObject({
      name: 'c-0007',
      annotations: { 'mlflow.org/registered-model-name': 'm-0007' },
    });
  });

  it('deploy every (claimers / services)th claimer', () => {
    const [namespace, ...services] = claimerServices(options).items;
    expect(namespace.metadata.annotations['mlstack.io/owner']).toBe(
      options.owner,
    );
    expect(services.map((s: any) => s.metadata.name).slice(0, 3)).toEqual([
      'c-0000',
      'c-0005',
      'c-0010',
    ]);
    expect(services).toHaveLength(20);
  });
});
