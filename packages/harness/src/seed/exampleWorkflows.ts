import {
  upstreamDiamondWorkflow,
  upstreamFailedRetriesWorkflow,
} from '../upstreamObjects';
import {
  type KubeObject,
  relabelUpstreamObject,
  retimeStatus,
  rfc3339,
} from '../upstreamRelabel';

/** The example ML project (catalog-info.yaml) the seeded objects belong to. */
export const ENTITY = 'fraud-detector';
export const TEMPLATE = 'fraud-detector-train';
export const PART_OF: Record<string, string> = {
  'app.kubernetes.io/part-of': ENTITY,
};

export const minutes = (m: number) => m * 60_000;

/** The labels Argo's controller gives a workflow of the template in that phase. */
export function workflowLabels(phase: string): Record<string, string> {
  return {
    ...PART_OF,
    'workflows.argoproj.io/workflow-template': TEMPLATE,
    'workflows.argoproj.io/phase': phase,
    ...(phase === 'Running'
      ? {}
      : { 'workflows.argoproj.io/completed': 'true' }),
  };
}

/** The spec, as if submitted from the template with those parameters. */
function withParameters(
  spec: KubeObject,
  parameters: Record<string, string>,
): KubeObject {
  return {
    ...spec,
    workflowTemplateRef: undefined,
    arguments: {
      parameters: Object.entries(parameters).map(([name, value]) => ({
        name,
        value,
      })),
    },
  };
}

/** The project's submittable training template: the templates of Argo's dag-diamond example. */
export function trainingTemplate(namespace: string): KubeObject {
  const template = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: {
      name: TEMPLATE,
      labels: PART_OF,
      annotations: {
        'workflows.argoproj.io/title': 'Train the fraud detector',
        'workflows.argoproj.io/description':
          'Prepare the data, train, evaluate and register the model.',
        // What a portal user may set when submitting (dataset: its enum).
        'mlstack.io/submittable-parameters': JSON.stringify({
          'learning-rate': '0\\.[0-9]{1,4}|1(\\.0{1,4})?',
          'run-name': '[a-z0-9][a-z0-9-]{0,62}',
        }),
      },
    },
    spec: {
      entrypoint: 'diamond',
      arguments: {
        parameters: [
          {
            name: 'learning-rate',
            value: '0.1',
            description: 'Step size of the optimiser',
          },
          {
            name: 'dataset',
            value: 'v3',
            enum: ['v2', 'v3', 'v4'],
            description: 'DVC data version',
          },
          { name: 'run-name', description: 'MLflow run name' },
        ],
      },
      templates: upstreamDiamondWorkflow().spec.templates,
    },
  };
  return relabelUpstreamObject(template, { namespace, labels: PART_OF });
}

/** Upstream dag-diamond, Succeeded, started 90 minutes before `now`. */
export function succeededWorkflow(namespace: string, now: number): KubeObject {
  const name = `${ENTITY}-dag-82q7s`;
  const workflow = relabelUpstreamObject(upstreamDiamondWorkflow(), {
    namespace,
    name,
  });
  workflow.metadata.labels = workflowLabels('Succeeded');
  workflow.spec = withParameters(workflow.spec, {
    'learning-rate': '0.1',
    dataset: 'v3',
    'run-name': 'baseline',
  });
  workflow.status = retimeStatus(workflow.status, now - minutes(90));
  return workflow;
}

/** The same DAG started 2 minutes before `now`, D still running. */
export function runningWorkflow(namespace: string, now: number): KubeObject {
  const name = `${ENTITY}-live-x7k2p`;
  const workflow = relabelUpstreamObject(upstreamDiamondWorkflow(), {
    namespace,
    name,
  });
  workflow.metadata.labels = workflowLabels('Running');
  workflow.spec = withParameters(workflow.spec, {
    'learning-rate': '0.3',
    dataset: 'v4',
    'run-name': 'live',
  });
  const status = retimeStatus(workflow.status, now - minutes(2));
  status.phase = 'Running';
  status.progress = '3/4';
  delete status.finishedAt;
  status.conditions = [{ type: 'PodRunning', status: 'True' }];
  for (const node of Object.values<KubeObject>(status.nodes)) {
    if (node.displayName === 'D' || node.type === 'DAG') {
      node.phase = 'Running';
      delete node.finishedAt;
      delete node.outputs;
      node.progress = node.type === 'DAG' ? '3/4' : '0/1';
    }
  }
  delete status.taskResultsCompletionStatus;
  workflow.status = status;
  return workflow;
}

/** Upstream failed-retries (steps with retries), finished Failed 45 minutes before `now`. */
export function failedRetriesWorkflow(
  namespace: string,
  now: number,
): KubeObject {
  const name = `${ENTITY}-retries-tjjsc`;
  const workflow = relabelUpstreamObject(upstreamFailedRetriesWorkflow(), {
    namespace,
    name,
  });
  workflow.metadata.labels = workflowLabels('Failed');
  workflow.spec = withParameters(workflow.spec, {
    'learning-rate': '3.0',
    dataset: 'v2',
    'run-name': 'diverges',
  });
  // The upstream object was captured while the second retry still ran (and its times are
  // inconsistent): finish it as Argo would, with times in order.
  const start = now - minutes(45);
  const at = (seconds: number) => rfc3339(start + seconds * 1000);
  const times: Record<string, [number, number]> = {
    'fail(0)': [0, 8],
    'fail(1)': [9, 14],
    'delayed-fail(0)': [0, 9],
    'delayed-fail(1)': [10, 16],
  };
  const status = workflow.status;
  status.phase = 'Failed';
  status.startedAt = at(0);
  status.finishedAt = at(16);
  status.progress = '0/4';
  status.message = `child '${name}-20069324' failed`;
  for (const node of Object.values<KubeObject>(status.nodes)) {
    const t = times[node.displayName];
    node.startedAt = at(t ? t[0] : 0);
    node.finishedAt = at(t ? t[1] : 16);
    node.phase = 'Failed';
    if (node.type === 'Retry') node.message = 'No more retries left';
    if (node.type === 'Pod') node.outputs = { exitCode: '1' };
  }
  return workflow;
}
