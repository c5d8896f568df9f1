import { loadUpstreamFixtures } from '@internal/harness';
import { parseWorkflowDetail } from './parseWorkflowDetail';
import { parseWorkflowSummary } from './parseWorkflowSummary';
import { slimWorkflowForList } from './slimWorkflowForList';

const [dagDiamond] = loadUpstreamFixtures(
  'argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml',
);
const [stepsRunning] = loadUpstreamFixtures(
  'argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml',
);

const fromTemplate = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: {
    name: 'train-x7k2p',
    namespace: 'ml',
    uid: 'u-1',
    resourceVersion: '42',
    creationTimestamp: '2025-02-01T10:00:00Z',
    labels: { 'workflows.argoproj.io/workflow-template': 'train' },
    annotations: {
      'workflows.argoproj.io/pod-name-format': 'v2',
      'workflows.argoproj.io/title': 'Nightly',
      'kubectl.kubernetes.io/last-applied-configuration': '{"huge":"json"}',
    },
    managedFields: [{ manager: 'workflow-controller' }],
  },
  spec: {
    workflowTemplateRef: { name: 'train' },
    arguments: {
      parameters: [{ name: 'epochs', value: '3' }],
      artifacts: [{ name: 'data', raw: { data: 'x'.repeat(10000) } }],
    },
    shutdown: 'Terminate',
  },
  status: {
    phase: 'Failed',
    message: 'Stopped',
    progress: '1/2',
    startedAt: '2025-02-01T10:00:01Z',
    finishedAt: '2025-02-01T10:05:01Z',
    estimatedDuration: 300,
    storedWorkflowTemplateSpec: {
      entrypoint: 'main',
      arguments: {
        parameters: [
          { name: 'epochs', value: '10' },
          { name: 'lr', value: '0.1' },
        ],
      },
      templates: [{ name: 'main', container: { image: 'trainer' } }],
    },
    nodes: dagDiamond.status.nodes,
  },
};

describe('slimWorkflowForList', () => {
  it.each([
    ['dag-diamond', dagDiamond],
    ['steps-failed-retries (no apiVersion/kind)', stepsRunning],
    ['a workflow from a template', fromTemplate],
  ])('keeps what parseWorkflowSummary needs: %s', (_, workflow) => {
    expect(parseWorkflowSummary(slimWorkflowForList(workflow))).toEqual(
      parseWorkflowSummary(workflow),
    );
  });

  it('keeps exactly the list fields', () => {
    expect(slimWorkflowForList(fromTemplate)).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        name: 'train-x7k2p',
        namespace: 'ml',
        uid: 'u-1',
        resourceVersion: '42',
        creationTimestamp: '2025-02-01T10:00:00Z',
        labels: { 'workflows.argoproj.io/workflow-template': 'train' },
        annotations: {
          'workflows.argoproj.io/pod-name-format': 'v2',
          'workflows.argoproj.io/title': 'Nightly',
        },
      },
      spec: {
        workflowTemplateRef: { name: 'train' },
        arguments: { parameters: [{ name: 'epochs', value: '3' }] },
        shutdown: 'Terminate',
      },
      status: {
        phase: 'Failed',
        message: 'Stopped',
        progress: '1/2',
        startedAt: '2025-02-01T10:00:01Z',
        finishedAt: '2025-02-01T10:05:01Z',
        estimatedDuration: 300,
        storedWorkflowTemplateSpec: {
          arguments: {
            parameters: [
              { name: 'epochs', value: '10' },
              { name: 'lr', value: '0.1' },
            ],
          },
        },
      },
    });
  });

  it('drops the nodes: a page of 50 slim workflows stays under 100 KB', () => {
    const full = JSON.stringify(Array(50).fill(fromTemplate)).length;
    const slim = JSON.stringify(
      Array(50).fill(slimWorkflowForList(fromTemplate)),
    ).length;
    expect(full).toBeGreaterThan(500_000);
    expect(slim).toBeLessThan(100_000);
    expect(parseWorkflowDetail(slimWorkflowForList(dagDiamond)).nodes).toEqual(
      [],
    );
  });

  it('does not throw on an empty object', () => {
    expect(slimWorkflowForList(undefined)).toEqual({
      metadata: {},
      spec: {},
      status: {},
    });
  });
});
