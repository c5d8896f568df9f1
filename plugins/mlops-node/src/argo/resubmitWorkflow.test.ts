import { InputError } from '@backstage/errors';
import { loadUpstreamFixtures } from '@internal/harness';
import { buildResubmittedWorkflow } from './resubmitWorkflow';

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
    generateName: 'train-',
    namespace: 'ml',
    uid: 'u-1',
    resourceVersion: '42',
    labels: {
      'workflows.argoproj.io/workflow-template': 'train',
      'workflows.argoproj.io/creator': 'user-default-jane',
      'workflows.argoproj.io/phase': 'Failed',
      'workflows.argoproj.io/completed': 'true',
      'workflows.argoproj.io/workflow-archiving-status': 'Archived',
      team: 'fraud',
    },
    annotations: { 'workflows.argoproj.io/pod-name-format': 'v2' },
    ownerReferences: [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'CronWorkflow',
        name: 'nightly',
        uid: 'c-1',
      },
    ],
    managedFields: [{ manager: 'workflow-controller' }],
  },
  spec: {
    workflowTemplateRef: { name: 'train' },
    arguments: { parameters: [{ name: 'dataset', value: 'a.parquet' }] },
    shutdown: 'Terminate',
    activeDeadlineSeconds: 0,
  },
  status: {
    phase: 'Failed',
    storedWorkflowTemplateSpec: {
      arguments: {
        parameters: [
          { name: 'dataset' },
          { name: 'model', value: 'xgboost', enum: ['xgboost', 'lightgbm'] },
        ],
      },
    },
  },
};

describe('buildResubmittedWorkflow', () => {
  it('copies the spec and metadata as `argo resubmit` does (upstream dag-diamond)', () => {
    expect(buildResubmittedWorkflow(dagDiamond)).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: 'dag-diamond-',
        namespace: 'argo',
        labels: {
          'workflows.argoproj.io/resubmitted-from-workflow':
            'dag-diamond-82q7s',
        },
        annotations: { 'workflows.argoproj.io/pod-name-format': 'v2' },
      },
      spec: dagDiamond.spec,
    });
  });

  it('names it <name>- and fills apiVersion/kind when the original lacks them', () => {
    const { generateName, ...metadata } = stepsRunning.metadata;
    expect(generateName).toBe('failed-retries-');
    const resubmitted = buildResubmittedWorkflow({ ...stepsRunning, metadata });
    expect(resubmitted).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { generateName: 'failed-retries-tjjsc-', namespace: 'default' },
    });
    expect(resubmitted).not.toHaveProperty('status');
  });

  it('drops shutdown, a zero deadline, bookkeeping and creator labels; sets the new creator', () => {
    expect(
      buildResubmittedWorkflow(fromTemplate, {
        creator: 'user:default/sam',
        parameters: { model: 'lightgbm' },
      }),
    ).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: 'train-',
        namespace: 'ml',
        labels: {
          'workflows.argoproj.io/workflow-template': 'train',
          'workflows.argoproj.io/creator': 'user-default-sam',
          'workflows.argoproj.io/resubmitted-from-workflow': 'train-x7k2p',
          team: 'fraud',
        },
        annotations: { 'workflows.argoproj.io/pod-name-format': 'v2' },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'CronWorkflow',
            name: 'nightly',
            uid: 'c-1',
          },
        ],
      },
      spec: {
        workflowTemplateRef: { name: 'train' },
        arguments: {
          parameters: [
            { name: 'model', value: 'lightgbm' },
            { name: 'dataset', value: 'a.parquet' },
          ],
        },
      },
    });
  });

  it('does not change the original', () => {
    const before = JSON.stringify(fromTemplate);
    buildResubmittedWorkflow(fromTemplate, { parameters: { dataset: 'b' } });
    expect(JSON.stringify(fromTemplate)).toBe(before);
  });

  it('validates new parameter values against what the workflow declares', () => {
    expect(() =>
      buildResubmittedWorkflow(fromTemplate, {
        parameters: { model: 'catboost' },
      }),
    ).toThrow(
      "Parameter 'model' of Workflow 'train-x7k2p' must be one of 'xgboost', 'lightgbm'; got 'catboost'",
    );
    expect(() =>
      buildResubmittedWorkflow(dagDiamond, { parameters: { message: 'x' } }),
    ).toThrow(InputError);
    expect(() => buildResubmittedWorkflow({ spec: {} })).toThrow(
      'The workflow to resubmit has no metadata.name',
    );
  });
});
