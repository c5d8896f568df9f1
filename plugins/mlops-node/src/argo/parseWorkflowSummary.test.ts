import { loadUpstreamFixtures } from '@internal/harness';
import { parseProgress, parseWorkflowSummary } from './parseWorkflowSummary';

const [dagDiamond] = loadUpstreamFixtures(
  'argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml',
);
const [stepsRunning] = loadUpstreamFixtures(
  'argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml',
);

describe('parseProgress', () => {
  it('reads done/total', () => {
    expect(parseProgress('3/4')).toEqual({ done: 3, total: 4 });
    expect(parseProgress('0/0')).toEqual({ done: 0, total: 0 });
  });

  it('ignores anything else', () => {
    expect(parseProgress(undefined)).toBeUndefined();
    expect(parseProgress('')).toBeUndefined();
    expect(parseProgress('3 of 4')).toBeUndefined();
    expect(parseProgress('-1/4')).toBeUndefined();
    expect(parseProgress(3)).toBeUndefined();
  });
});

describe('parseWorkflowSummary', () => {
  it('reads the succeeded DAG workflow (upstream dag-diamond)', () => {
    expect(parseWorkflowSummary(dagDiamond)).toEqual({
      name: 'dag-diamond-82q7s',
      namespace: 'argo',
      uid: 'dd3d2674-43d8-446a-afdf-17ec95afade2',
      creationTimestamp: '2024-10-01T04:27:23Z',
      phase: 'Succeeded',
      progress: { done: 4, total: 4 },
      startedAt: '2024-10-01T04:27:23Z',
      finishedAt: '2024-10-01T04:27:42Z',
      durationMs: 19000,
      entrypoint: 'diamond',
      parameters: {},
      suspended: false,
      // workflows.argoproj.io/completed and /phase are bookkeeping
      labels: {},
    });
  });

  it('reads the running Steps workflow without apiVersion/kind (finishedAt: null)', () => {
    expect(stepsRunning.apiVersion).toBeUndefined();
    expect(stepsRunning.kind).toBeUndefined();
    expect(parseWorkflowSummary(stepsRunning)).toEqual({
      name: 'failed-retries-tjjsc',
      namespace: 'default',
      uid: 'c18bba2a-0ad5-11e9-b44e-ea782c392741',
      creationTimestamp: '2018-12-28T19:21:20Z',
      phase: 'Running',
      startedAt: '2019-01-03T01:23:18Z',
      entrypoint: 'failed-retries',
      parameters: {},
      suspended: false,
      labels: {},
    });
  });

  it('reads a workflow submitted from a template, with its stored defaults', () => {
    const summary = parseWorkflowSummary({
      metadata: {
        name: 'train-x7k2p',
        namespace: 'ml',
        annotations: {
          'workflows.argoproj.io/title': 'Nightly training',
          'workflows.argoproj.io/description': 'Trains the fraud model',
        },
        labels: {
          'workflows.argoproj.io/workflow-template': 'train',
          'workflows.argoproj.io/creator': 'user-default-jane',
          'workflows.argoproj.io/resubmitted-from-workflow': 'train-abcde',
          'workflows.argoproj.io/phase': 'Failed',
          team: 'fraud',
        },
      },
      spec: {
        workflowTemplateRef: { name: 'train' },
        arguments: { parameters: [{ name: 'epochs', value: 3 }] },
        shutdown: 'Stop',
        suspend: true,
      },
      status: {
        phase: 'Failed',
        message: "Stopped with strategy 'Stop'",
        progress: '1/3',
        estimatedDuration: 90,
        storedWorkflowTemplateSpec: {
          arguments: {
            parameters: [
              { name: 'epochs', value: '10' },
              { name: 'lr', value: '0.01' },
              { name: 'dataset' },
            ],
          },
        },
      },
    });
    expect(summary).toMatchObject({
      phase: 'Failed',
      message: "Stopped with strategy 'Stop'",
      progress: { done: 1, total: 3 },
      estimatedDurationMs: 90000,
      templateName: 'train',
      clusterScopedTemplate: false,
      resubmittedFrom: 'train-abcde',
      creator: 'user-default-jane',
      title: 'Nightly training',
      description: 'Trains the fraud model',
      parameters: { epochs: '3', lr: '0.01' },
      shutdown: 'Stop',
      suspended: true,
      labels: {
        'workflows.argoproj.io/workflow-template': 'train',
        'workflows.argoproj.io/creator': 'user-default-jane',
        'workflows.argoproj.io/resubmitted-from-workflow': 'train-abcde',
        team: 'fraud',
      },
    });
    expect(summary.durationMs).toBeUndefined();
  });

  it('takes the template from the labels when there is no workflowTemplateRef', () => {
    expect(
      parseWorkflowSummary({
        metadata: {
          name: 'a',
          labels: {
            'workflows.argoproj.io/cluster-workflow-template': 'shared',
          },
        },
      }),
    ).toMatchObject({ templateName: 'shared', clusterScopedTemplate: true });
    expect(
      parseWorkflowSummary({
        metadata: {
          name: 'a',
          labels: { 'workflows.argoproj.io/cron-workflow': 'nightly' },
        },
        spec: { workflowTemplateRef: { name: 'shared', clusterScope: true } },
      }),
    ).toMatchObject({
      templateName: 'shared',
      clusterScopedTemplate: true,
      cronWorkflowName: 'nightly',
    });
  });

  it('does not throw on a just-created workflow or on garbage', () => {
    expect(
      parseWorkflowSummary({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { name: 'new-abcde', namespace: 'ml' },
        spec: { workflowTemplateRef: { name: 'train' } },
      }),
    ).toEqual({
      name: 'new-abcde',
      namespace: 'ml',
      phase: 'Unknown',
      templateName: 'train',
      clusterScopedTemplate: false,
      parameters: {},
      suspended: false,
      labels: {},
    });
    for (const garbage of [
      undefined,
      null,
      42,
      'x',
      [],
      { status: 'x', spec: [] },
    ]) {
      expect(parseWorkflowSummary(garbage)).toMatchObject({
        name: '',
        namespace: '',
        phase: 'Unknown',
      });
    }
  });

  it('never returns managedFields or the spec', () => {
    const summary = parseWorkflowSummary({
      ...dagDiamond,
      metadata: {
        ...dagDiamond.metadata,
        managedFields: [
          { manager: 'workflow-controller', operation: 'Update' },
        ],
      },
    });
    expect(JSON.stringify(summary)).not.toContain('managedFields');
    expect(JSON.stringify(summary)).not.toContain('workflow-controller');
  });
});
