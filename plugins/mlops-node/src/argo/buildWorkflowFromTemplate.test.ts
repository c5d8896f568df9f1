import { InputError } from '@backstage/errors';
import { loadUpstreamFixtures } from '@internal/harness';
import { buildWorkflowFromTemplate } from './buildWorkflowFromTemplate';

const upstream = loadUpstreamFixtures(
  'argo-workflows/examples/workflowtemplates/templates-steps-and-dag.yaml',
);
const inNamespace = (template: Record<string, any>, namespace = 'ml') => ({
  ...template,
  metadata: { ...template.metadata, namespace },
});
const submittable = inNamespace(
  upstream.find(t => t.metadata.name === 'workflow-template-submittable')!,
);
const innerSteps = inNamespace(
  upstream.find(t => t.metadata.name === 'workflow-template-inner-steps')!,
);

const train = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: {
    name: 'train',
    namespace: 'ml',
    annotations: {
      'mlstack.io/submittable-parameters': JSON.stringify({
        dataset: '.{1,200}',
        epochs: '[0-9]{1,4}',
      }),
    },
  },
  spec: {
    entrypoint: 'main',
    arguments: {
      parameters: [
        { name: 'model', enum: ['xgboost', 'lightgbm'], value: 'xgboost' },
        { name: 'dataset' },
        { name: 'epochs', value: '10' },
      ],
    },
    templates: [{ name: 'main', container: { image: 'trainer' } }],
  },
};

describe('buildWorkflowFromTemplate', () => {
  it('takes only submittable parameters, each matching its pattern', () => {
    const image = {
      ...train,
      spec: {
        ...train.spec,
        arguments: {
          parameters: [
            ...train.spec.arguments.parameters,
            { name: 'image', value: 'trainer:1' },
          ],
        },
      },
    };
    const build = (parameters: Record<string, string>) => () =>
      buildWorkflowFromTemplate(image, {
        parameters: { dataset: 's3://data/x', ...parameters },
      });
    expect(build({ image: 'miner:latest' })).toThrow(
      "Parameter 'image' of WorkflowTemplate 'train' cannot be set from the portal: only parameters with an enum or listed in its mlstack.io/submittable-parameters annotation may be set",
    );
    expect(build({ epochs: '10 && curl evil' })).toThrow(
      "Parameter 'epochs' of WorkflowTemplate 'train' must match [0-9]{1,4}; got '10 && curl evil'",
    );
    expect(build({ epochs: 'x'.repeat(4097) })).toThrow(
      "Parameter 'epochs' of WorkflowTemplate 'train' is longer than 4096 characters",
    );
    expect(build({ epochs: '20' })).not.toThrow();
    // A caller the template's author trusts may set anything the template declares.
    expect(
      buildWorkflowFromTemplate(image, {
        parameters: { dataset: 'anything', image: 'trainer:2' },
        onlySubmittable: false,
      }).spec.arguments?.parameters,
    ).toEqual([
      { name: 'dataset', value: 'anything' },
      { name: 'image', value: 'trainer:2' },
    ]);
  });

  it('says why an invalid annotation lists nothing', () => {
    const broken = {
      ...train,
      metadata: {
        ...train.metadata,
        annotations: { 'mlstack.io/submittable-parameters': '{epochs: 1}' },
      },
    };
    expect(() =>
      buildWorkflowFromTemplate(broken, { parameters: { dataset: 'x' } }),
    ).toThrow(
      /^Parameter 'dataset' of WorkflowTemplate 'train' cannot be set from the portal: the mlstack.io\/submittable-parameters annotation is invalid: not JSON .*, so only parameters with an enum may be set$/,
    );
  });

  it('builds what `argo submit --from workflowtemplate/<name>` creates', () => {
    expect(buildWorkflowFromTemplate(submittable)).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: 'workflow-template-submittable-',
        namespace: 'ml',
        labels: {
          'workflows.argoproj.io/workflow-template':
            'workflow-template-submittable',
        },
      },
      spec: { workflowTemplateRef: { name: 'workflow-template-submittable' } },
    });
  });

  it('passes the given parameters, labels, creator and instance id', () => {
    expect(
      buildWorkflowFromTemplate(train, {
        parameters: { dataset: 's3://data/fraud.parquet', model: 'lightgbm' },
        generateName: 'train-fraud-',
        labels: { 'backstage.io/entity': 'fraud-detector' },
        creator: 'user:default/jane.doe',
        controllerInstanceId: 'mlstack',
      }),
    ).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: 'train-fraud-',
        namespace: 'ml',
        labels: {
          'workflows.argoproj.io/workflow-template': 'train',
          'workflows.argoproj.io/controller-instanceid': 'mlstack',
          'workflows.argoproj.io/creator': 'user-default-jane.doe',
          'backstage.io/entity': 'fraud-detector',
        },
      },
      spec: {
        workflowTemplateRef: { name: 'train' },
        arguments: {
          parameters: [
            { name: 'dataset', value: 's3://data/fraud.parquet' },
            { name: 'model', value: 'lightgbm' },
          ],
        },
      },
    });
  });

  it("lets given labels win over Argo's, as `argo submit --labels` does", () => {
    const workflow = buildWorkflowFromTemplate(submittable, {
      labels: { 'workflows.argoproj.io/workflow-template': 'other' },
    });
    expect(workflow.metadata.labels).toEqual({
      'workflows.argoproj.io/workflow-template': 'other',
    });
  });

  it('refers to a ClusterWorkflowTemplate with clusterScope and its own label', () => {
    const cluster = {
      ...train,
      kind: 'ClusterWorkflowTemplate',
      metadata: { name: 'train', annotations: train.metadata.annotations },
    };
    expect(
      buildWorkflowFromTemplate(cluster, {
        namespace: 'team-a',
        parameters: { dataset: 'd' },
      }),
    ).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: 'train-',
        namespace: 'team-a',
        labels: { 'workflows.argoproj.io/cluster-workflow-template': 'train' },
      },
      spec: {
        workflowTemplateRef: { name: 'train', clusterScope: true },
        arguments: { parameters: [{ name: 'dataset', value: 'd' }] },
      },
    });
    expect(() =>
      buildWorkflowFromTemplate(cluster, { parameters: { dataset: 'd' } }),
    ).toThrow(
      "ClusterWorkflowTemplate 'train' needs a namespace to run the workflow in",
    );
  });

  it('rejects a parameter the template does not declare', () => {
    const build = () =>
      buildWorkflowFromTemplate(train, {
        parameters: { dataset: 'd', epoch: '3' },
      });
    expect(build).toThrow(InputError);
    expect(build).toThrow(
      "WorkflowTemplate 'train' has no parameter 'epoch'; its parameters are: 'model', 'dataset', 'epochs'",
    );
    expect(() =>
      buildWorkflowFromTemplate(submittable, { parameters: { msg: 'x' } }),
    ).toThrow(
      "WorkflowTemplate 'workflow-template-submittable' has no parameter 'msg'; its parameters are: 'message'",
    );
  });

  it('rejects a value outside the enum', () => {
    expect(() =>
      buildWorkflowFromTemplate(train, {
        parameters: { dataset: 'd', model: 'catboost' },
      }),
    ).toThrow(
      "Parameter 'model' of WorkflowTemplate 'train' must be one of 'xgboost', 'lightgbm'; got 'catboost'",
    );
  });

  it('rejects a missing required parameter and a non-string value', () => {
    expect(() => buildWorkflowFromTemplate(train)).toThrow(
      "WorkflowTemplate 'train' needs a value for parameter 'dataset'",
    );
    expect(() =>
      buildWorkflowFromTemplate(train, {
        parameters: { dataset: 3 } as unknown as Record<string, string>,
      }),
    ).toThrow(
      "Parameter 'dataset' of WorkflowTemplate 'train' must be a string, got number",
    );
  });

  it('rejects a template without entrypoint (upstream inner-steps)', () => {
    expect(() => buildWorkflowFromTemplate(innerSteps)).toThrow(
      "WorkflowTemplate 'workflow-template-inner-steps' has no entrypoint, so it only provides templates to other workflows and cannot be submitted",
    );
  });

  it('keeps a namespaced template in its namespace', () => {
    expect(() =>
      buildWorkflowFromTemplate(train, {
        namespace: 'other',
        parameters: { dataset: 'd' },
      }),
    ).toThrow(
      "WorkflowTemplate 'train' is in namespace 'ml'; a workflow in 'other' cannot use it",
    );
    expect(() => buildWorkflowFromTemplate(upstream[4])).toThrow(
      "WorkflowTemplate 'workflow-template-submittable' has no namespace",
    );
    expect(() =>
      buildWorkflowFromTemplate({ kind: 'WorkflowTemplate' }),
    ).toThrow('The WorkflowTemplate has no metadata.name');
  });
});
