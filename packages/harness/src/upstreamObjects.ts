import { loadUpstreamFixtures, upstreamFixturePath } from './upstreamFixtures';
import fs from 'node:fs';

/** A Kubernetes object as the tests write it. */
export type KubeObject = Record<string, any>;

function placed(
  object: KubeObject,
  namespace: string,
  labels: Record<string, string> = {},
  name?: string,
): KubeObject {
  const { metadata } = object;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: name ?? metadata.name,
      ...(metadata.generateName ? { generateName: metadata.generateName } : {}),
      namespace,
      labels: { ...metadata.labels, ...labels },
      ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    },
    spec: object.spec,
    ...(object.status ? { status: object.status } : {}),
  };
}

/** Upstream `dag-diamond-82q7s`: Succeeded, a DAG and four pods A → B, C → D. */
export function diamondWorkflow(
  namespace: string,
  labels: Record<string, string>,
  name?: string,
): KubeObject {
  const [workflow] = loadUpstreamFixtures(
    'argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml',
  );
  return placed(workflow, namespace, labels, name);
}

/** Upstream `failed-retries-tjjsc` once every retry has failed: phase Failed, 8 nodes. */
export function failedStepsWorkflow(
  namespace: string,
  labels: Record<string, string>,
): KubeObject {
  const [workflow] = loadUpstreamFixtures(
    'argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml',
  );
  for (const node of Object.values<Record<string, unknown>>(
    workflow.status.nodes,
  )) {
    if (node.phase === 'Running') {
      node.phase = 'Failed';
      node.finishedAt = '2019-01-03T01:23:40Z';
    }
  }
  workflow.status.phase = 'Failed';
  workflow.status.finishedAt = '2019-01-03T01:23:40Z';
  return placed(
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', ...workflow },
    namespace,
    {
      ...labels,
      'workflows.argoproj.io/phase': 'Failed',
      'workflows.argoproj.io/completed': 'true',
    },
  );
}

/** A running workflow of the upstream submittable template (as the Argo controller leaves it). */
export function runningTemplateWorkflow(
  namespace: string,
  name: string,
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name,
      namespace,
      labels: {
        'workflows.argoproj.io/workflow-template':
          'workflow-template-submittable',
        ...labels,
      },
    },
    spec: {
      workflowTemplateRef: { name: 'workflow-template-submittable' },
      arguments: { parameters: [{ name: 'message', value: name }] },
    },
    status: {
      phase: 'Running',
      progress: '0/1',
      startedAt: '2026-01-01T00:00:00Z',
    },
  };
}

/**
 * Upstream `workflow-template-submittable` (one parameter, `message`, default "hello world"),
 * with `message` listed as submittable from the portal (printable text, at most 200
 * characters) through the `mlstack.io/submittable-parameters` annotation, unless
 * `submittable` says otherwise (`{}`: nothing submittable).
 */
export function submittableTemplate(
  namespace: string,
  submittable: Record<string, string> = { message: '[ -~]{1,200}' },
): KubeObject {
  const [template] = loadUpstreamFixtures(
    'argo-workflows/examples/workflowtemplates/templates-steps-and-dag.yaml',
  ).filter(t => t.metadata.name === 'workflow-template-submittable');
  template.metadata.annotations = {
    ...template.metadata.annotations,
    'mlstack.io/submittable-parameters': JSON.stringify(submittable),
  };
  return placed(template, namespace);
}

/** Upstream `sklearn-iris` (v1, storage URI on GCS), without status. */
export function sklearnIris(
  namespace: string,
  labels: Record<string, string> = {},
): KubeObject {
  const [service] = loadUpstreamFixtures(
    'kserve/examples/inferenceservices/sklearn-iris-v1.yaml',
  );
  return placed(service, namespace, labels);
}

/** Upstream `flower-sample` and the status KServe gave it (Ready, canary traffic). */
export function flowerSample(
  namespace: string,
  labels: Record<string, string> = {},
): { object: KubeObject; status: KubeObject } {
  const source = JSON.parse(
    fs.readFileSync(
      upstreamFixturePath(
        'kserve/examples/status/flower-sample-isvc-with-status.json',
      ),
      'utf8',
    ),
  ).object;
  return { object: placed(source, namespace, labels), status: source.status };
}
