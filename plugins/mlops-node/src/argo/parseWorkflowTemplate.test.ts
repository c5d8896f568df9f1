import { loadUpstreamFixtures } from '@internal/harness';
import { parseWorkflowTemplate } from './parseWorkflowTemplate';

const templates = [
  ...loadUpstreamFixtures(
    'argo-workflows/examples/workflowtemplates/templates-steps-and-dag.yaml',
  ),
  ...loadUpstreamFixtures(
    'argo-workflows/examples/workflowtemplates/artifacts-workflowtemplate-s3-outputs.yaml',
  ),
  ...loadUpstreamFixtures(
    'argo-workflows/examples/workflowtemplates/input-artifacts-s3.yaml',
  ),
];

describe('parseWorkflowTemplate on the upstream examples', () => {
  it('reads all seven templates', () => {
    expect(
      templates.map(t => {
        const s = parseWorkflowTemplate(t);
        return [
          s.name,
          s.entrypoint ?? null,
          s.submittable,
          s.templates.map(x => `${x.name}:${x.kind}`),
        ];
      }),
    ).toEqual([
      [
        'workflow-template-print-message',
        'print-message',
        true,
        ['print-message:container'],
      ],
      [
        'workflow-template-random-fail-template',
        null,
        false,
        ['random-fail-template:container'],
      ],
      [
        'workflow-template-inner-steps',
        null,
        false,
        ['print-message:container', 'inner-steps:steps'],
      ],
      [
        'workflow-template-inner-dag',
        null,
        false,
        ['print-message:container', 'inner-diamond:dag'],
      ],
      [
        'workflow-template-submittable',
        'print-message',
        true,
        ['print-message:container'],
      ],
      ['artifacts', 'main', true, ['main:containerSet']],
      [
        'workflow-template-input-artifacts',
        'argosay',
        true,
        ['argosay:container'],
      ],
    ]);
  });

  it('reads the parameter default of the submittable template', () => {
    expect(parseWorkflowTemplate(templates[4])).toEqual({
      name: 'workflow-template-submittable',
      clusterScoped: false,
      entrypoint: 'print-message',
      submittable: true,
      parameters: [
        {
          name: 'message',
          defaultValue: 'hello world',
          required: false,
          submittable: false,
        },
      ],
      artifactNames: [],
      templates: [{ name: 'print-message', kind: 'container' }],
      labels: {},
    });
  });

  it('reads the description annotation and the artifact arguments', () => {
    expect(parseWorkflowTemplate(templates[5]).description).toBe(
      'This example shows how to produce different types of artifact.',
    );
    expect(parseWorkflowTemplate(templates[6]).artifactNames).toEqual([
      'input-file',
    ]);
  });
});

describe('parseWorkflowTemplate', () => {
  it('reads enum, description, valueFrom and required parameters', () => {
    const summary = parseWorkflowTemplate({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: {
        name: 'train',
        namespace: 'ml',
        uid: 'u-1',
        creationTimestamp: '2025-02-01T10:00:00Z',
        annotations: {
          'workflows.argoproj.io/title': 'Train a model',
          'mlstack.io/submittable-parameters':
            '{"epochs": "[0-9]+", "model": "x", "unknown": ".*"}',
        },
        labels: { team: 'fraud' },
        managedFields: [{ manager: 'kubectl' }],
      },
      spec: {
        entrypoint: 'main',
        arguments: {
          parameters: [
            {
              name: 'model',
              enum: ['xgboost', 'lightgbm'],
              value: 'xgboost',
              description: 'Which learner',
            },
            { name: 'epochs', default: 10 },
            { name: 'dataset' },
            {
              name: 'bucket',
              valueFrom: { configMapKeyRef: { name: 'cfg', key: 'bucket' } },
            },
            { description: 'no name: ignored' },
          ],
        },
        templates: [{ name: 'main', dag: { tasks: [] } }, { name: 'odd' }],
      },
    });
    expect(summary).toEqual({
      name: 'train',
      namespace: 'ml',
      uid: 'u-1',
      creationTimestamp: '2025-02-01T10:00:00Z',
      clusterScoped: false,
      title: 'Train a model',
      entrypoint: 'main',
      submittable: true,
      parameters: [
        {
          name: 'model',
          defaultValue: 'xgboost',
          enum: ['xgboost', 'lightgbm'],
          description: 'Which learner',
          required: false,
          // An enum decides: the annotation's pattern for it is not used.
          submittable: true,
        },
        {
          name: 'epochs',
          defaultValue: '10',
          required: false,
          submittable: true,
          pattern: '[0-9]+',
        },
        { name: 'dataset', required: true, submittable: false },
        { name: 'bucket', required: false, submittable: false },
      ],
      artifactNames: [],
      templates: [
        { name: 'main', kind: 'dag' },
        { name: 'odd', kind: 'unknown' },
      ],
      labels: { team: 'fraud' },
    });
  });

  it('tells a ClusterWorkflowTemplate by kind, or by the missing namespace without kind', () => {
    expect(
      parseWorkflowTemplate({
        kind: 'ClusterWorkflowTemplate',
        metadata: { name: 'c', namespace: 'x' },
      }),
    ).toMatchObject({ name: 'c', clusterScoped: true });
    expect(
      parseWorkflowTemplate({
        kind: 'ClusterWorkflowTemplate',
        metadata: { name: 'c' },
      }).namespace,
    ).toBeUndefined();
    expect(
      parseWorkflowTemplate({ metadata: { name: 'c' } }).clusterScoped,
    ).toBe(true);
    expect(
      parseWorkflowTemplate({ metadata: { name: 'c', namespace: 'ml' } })
        .clusterScoped,
    ).toBe(false);
  });

  it('does not throw on garbage', () => {
    expect(parseWorkflowTemplate(null)).toMatchObject({
      name: '',
      parameters: [],
      templates: [],
    });
  });
});
