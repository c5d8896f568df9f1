import { loadUpstreamFixtures, upstreamFixturePath } from './upstreamFixtures';
import { type KubeObject, relabelUpstreamObject } from './upstreamRelabel';
import fs from 'node:fs';

export type { KubeObject } from './upstreamRelabel';

const DIAMOND =
  'argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml';
const FAILED_RETRIES =
  'argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml';
const FLOWER_SAMPLE =
  'kserve/examples/status/flower-sample-isvc-with-status.json';

/** Upstream `dag-diamond-82q7s` as the controller recorded it: Succeeded, a DAG and four pods A → B, C → D. */
export function upstreamDiamondWorkflow(): KubeObject {
  return loadUpstreamFixtures(DIAMOND)[0];
}

/**
 * Upstream `failed-retries-tjjsc`, captured while its second retry still ran. The upstream test
 * object starts at metadata: apiVersion and kind are added.
 */
export function upstreamFailedRetriesWorkflow(): KubeObject {
  const [workflow] = loadUpstreamFixtures(FAILED_RETRIES);
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', ...workflow };
}

/** Upstream `flower-sample` (namespace kserve-test) with the status KServe gave it (Ready, canary traffic). */
export function upstreamFlowerSample(): KubeObject {
  return JSON.parse(fs.readFileSync(upstreamFixturePath(FLOWER_SAMPLE), 'utf8'))
    .object;
}

/**
 * Upstream `dag-diamond-82q7s`: Succeeded, a DAG and four pods A → B, C → D; under `name`, if
 * given, with its node ids relabelled (relabelUpstreamObject).
 */
export function diamondWorkflow(
  namespace: string,
  labels: Record<string, string>,
  name?: string,
): KubeObject {
  return relabelUpstreamObject(upstreamDiamondWorkflow(), {
    namespace,
    labels,
    name,
  });
}

/** Upstream `failed-retries-tjjsc` once every retry has failed: phase Failed, 8 nodes. */
export function failedStepsWorkflow(
  namespace: string,
  labels: Record<string, string>,
): KubeObject {
  const workflow = upstreamFailedRetriesWorkflow();
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
  return relabelUpstreamObject(workflow, {
    namespace,
    labels: {
      ...labels,
      'workflows.argoproj.io/phase': 'Failed',
      'workflows.argoproj.io/completed': 'true',
    },
  });
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
  return relabelUpstreamObject(template, { namespace });
}

/** Upstream `sklearn-iris` (v1, storage URI on GCS), without status. */
export function sklearnIris(
  namespace: string,
  labels: Record<string, string> = {},
): KubeObject {
  const [service] = loadUpstreamFixtures(
    'kserve/examples/inferenceservices/sklearn-iris-v1.yaml',
  );
  return relabelUpstreamObject(service, { namespace, labels });
}

/** Upstream `flower-sample` and the status KServe gave it (Ready, canary traffic). */
export function flowerSample(
  namespace: string,
  labels: Record<string, string> = {},
): { object: KubeObject; status: KubeObject } {
  const source = upstreamFlowerSample();
  return {
    object: relabelUpstreamObject(source, { namespace, labels }),
    status: source.status,
  };
}
