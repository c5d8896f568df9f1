/**
 * Against the harness Kubernetes API server (scripts/harness/harness.sh up kube), which serves
 * the upstream Argo Workflows and KServe CRDs with their full schemas: what the builders make
 * is accepted by the real schemas, and what the API server returns parses.
 */
import { ConfigReader } from '@backstage/config';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  failedStepsWorkflow,
  loadUpstreamFixtures,
  requireHarnessService,
  upstreamFixturePath,
} from '@internal/harness';
import fs from 'node:fs';
import {
  assertWorkflowCanBeShutDown,
  buildResubmittedWorkflow,
  buildShutdownPatch,
  buildWorkflowFromTemplate,
  parseWorkflowDetail,
  parseWorkflowSummary,
  parseWorkflowTemplate,
  retryFailedWorkflow,
  slimWorkflowForList,
} from '../argo';
import { parseInferenceService } from '../kserve';
import {
  ARGO_CLUSTER_WORKFLOW_TEMPLATE_RESOURCE,
  ARGO_WORKFLOW_RESOURCE,
  ARGO_WORKFLOW_TEMPLATE_RESOURCE,
  KSERVE_INFERENCE_SERVICE_RESOURCE,
} from './customResources';
import { KubernetesClusters } from './KubernetesClusters';
import { objectAt, readMetadata } from './objects';

const kube = requireHarnessService('kube');
const namespace = `mlops-node-test-${Date.now()}`;

function clusters(token: string) {
  return KubernetesClusters.fromConfig(
    new ConfigReader({
      mlops: {
        kubernetes: {
          clusters: [
            {
              name: 'harness',
              url: kube.server,
              serviceAccountToken: token,
              caData: fs.readFileSync(kube.caFile, 'utf8'),
            },
          ],
        },
      },
    }),
    { env: {} },
  );
}

const cluster = clusters(kube.adminToken).get('harness');

describe('KubernetesCluster against the harness API server', () => {
  beforeAll(async () => {
    await cluster
      .coreApi()
      .createNamespace({ body: { metadata: { name: namespace } } });
  });

  afterAll(async () => {
    await cluster
      .coreApi()
      .deleteNamespace({ name: namespace })
      .catch(() => undefined); // no namespace controller: it stays Terminating; fine here
  });

  it('submits a workflow from an upstream template, lists it, stops it', async () => {
    const [upstream] = loadUpstreamFixtures(
      'argo-workflows/examples/workflowtemplates/templates-steps-and-dag.yaml',
    ).filter(t => t.metadata.name === 'workflow-template-submittable');
    await cluster.createCustomObject(
      ARGO_WORKFLOW_TEMPLATE_RESOURCE,
      namespace,
      {
        ...upstream,
        metadata: {
          ...upstream.metadata,
          namespace,
          annotations: {
            'mlstack.io/submittable-parameters': '{"message": "[ -~]{1,100}"}',
          },
        },
      },
    );
    const template = await cluster.getCustomObject(
      ARGO_WORKFLOW_TEMPLATE_RESOURCE,
      namespace,
      'workflow-template-submittable',
    );
    expect(parseWorkflowTemplate(template).parameters).toEqual([
      {
        name: 'message',
        defaultValue: 'hello world',
        required: false,
        submittable: true,
        pattern: '[ -~]{1,100}',
      },
    ]);

    const created = await cluster.createCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      buildWorkflowFromTemplate(template, {
        parameters: { message: 'hi from MLStack' },
        creator: 'user:default/jane',
      }),
    );
    const summary = parseWorkflowSummary(created);
    expect(summary).toMatchObject({
      namespace,
      phase: 'Unknown',
      templateName: 'workflow-template-submittable',
      creator: 'user-default-jane',
      parameters: { message: 'hi from MLStack' },
    });
    expect(summary.name).toMatch(/^workflow-template-submittable-[a-z0-9]{5}$/);

    const second = await cluster.createCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      buildWorkflowFromTemplate(template),
    );
    const firstPage = await cluster.listCustomObjects(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      {
        limit: 1,
        labelSelector:
          'workflows.argoproj.io/workflow-template=workflow-template-submittable',
      },
    );
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.continueToken).toEqual(expect.stringMatching(/.+/));
    const secondPage = await cluster.listCustomObjects(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      {
        limit: 1,
        labelSelector:
          'workflows.argoproj.io/workflow-template=workflow-template-submittable',
        continueToken: firstPage.continueToken,
      },
    );
    expect(secondPage.continueToken).toBeUndefined();
    const names = [...firstPage.items, ...secondPage.items].map(
      item => parseWorkflowSummary(slimWorkflowForList(item)).name,
    );
    expect(names.sort()).toEqual(
      [summary.name, readMetadata(second).name].sort(),
    );

    assertWorkflowCanBeShutDown(created);
    await cluster.mergePatchCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      summary.name,
      buildShutdownPatch('Stop', { actor: 'user:default/jane' }),
    );
    const stopped = await cluster.getCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      summary.name,
    );
    expect(parseWorkflowSummary(stopped)).toMatchObject({
      shutdown: 'Stop',
      labels: {
        'workflows.argoproj.io/actor': 'user-default-jane',
        'workflows.argoproj.io/action': 'Stop',
      },
    });

    const resubmitted = await cluster.createCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      buildResubmittedWorkflow(stopped),
    );
    expect(parseWorkflowSummary(resubmitted)).toMatchObject({
      resubmittedFrom: summary.name,
      templateName: 'workflow-template-submittable',
      parameters: { message: 'hi from MLStack' },
    });
    expect(objectAt(objectAt(resubmitted).spec).shutdown).toBeUndefined();
  });

  it('writes a retried workflow back with an update the CRD schema accepts', async () => {
    const failed = await cluster.createCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      failedStepsWorkflow(namespace, {}),
    );
    expect(parseWorkflowDetail(failed).nodes).toHaveLength(8);
    const { workflow, podsToDelete } = retryFailedWorkflow(failed, {
      actor: 'jane',
    });
    for (const pod of podsToDelete) {
      expect(await cluster.deletePod(namespace, pod)).toBe(false); // no pods in the harness
    }
    await cluster.replaceCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
      'failed-retries-tjjsc',
      workflow,
    );
    const retried = parseWorkflowDetail(
      await cluster.getCustomObject(
        ARGO_WORKFLOW_RESOURCE,
        namespace,
        'failed-retries-tjjsc',
      ),
    );
    expect(retried.phase).toBe('Unknown');
    expect(retried.finishedAt).toBeUndefined();
    expect(retried.nodes.map(n => `${n.displayName}:${n.phase}`)).toEqual([
      'failed-retries-tjjsc:Running',
      '[0]:Running',
      'fail:Running',
      'delayed-fail:Running',
    ]);
    expect(retried.labels['workflows.argoproj.io/action']).toBe('Retry');

    // the resourceVersion is kept: writing the same retry again is a conflict
    await expect(
      cluster.replaceCustomObject(
        ARGO_WORKFLOW_RESOURCE,
        namespace,
        'failed-retries-tjjsc',
        workflow,
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('reads an InferenceService and its status through the status subresource', async () => {
    const source = JSON.parse(
      fs.readFileSync(
        upstreamFixturePath(
          'kserve/examples/status/flower-sample-isvc-with-status.json',
        ),
        'utf8',
      ),
    ).object;
    const created = await cluster.createCustomObject(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      namespace,
      {
        apiVersion: source.apiVersion,
        kind: source.kind,
        metadata: { name: source.metadata.name, namespace },
        spec: source.spec,
      },
    );
    expect(parseInferenceService(created)).toMatchObject({
      name: 'flower-sample',
      ready: false,
      predictor: { canaryTrafficPercent: 20, framework: 'tensorflow' },
    });
    await cluster.customObjectsApi().replaceNamespacedCustomObjectStatus({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      plural: 'inferenceservices',
      namespace,
      name: 'flower-sample',
      body: { ...(created as object), status: source.status },
    });
    const read = parseInferenceService(
      await cluster.getCustomObject(
        KSERVE_INFERENCE_SERVICE_RESOURCE,
        namespace,
        'flower-sample',
      ),
    );
    expect(read).toMatchObject({
      ready: true,
      url: 'http://flower-sample.kserve-test.example.com',
      traffic: [{ percent: 100, latest: true, tag: 'latest' }],
      latestReadyRevision: 'flower-sample-predictor-default-fg4d6',
    });
    expect(read.conditions).toHaveLength(5);
  });

  it('lists pods by label and reads logs: none yet for an unscheduled pod, 404 for a gone one', async () => {
    await cluster.coreApi().createNamespacedPod({
      namespace,
      body: {
        metadata: {
          name: 'iris-predictor-1',
          labels: { component: 'predictor' },
        },
        spec: { containers: [{ name: 'kserve-container', image: 'x' }] },
      },
    });
    const pods = await cluster.listPods(namespace, 'component=predictor');
    expect(pods.map(p => readMetadata(p).name)).toEqual(['iris-predictor-1']);
    expect(await cluster.listPods(namespace, 'component=explainer')).toEqual(
      [],
    );
    // The harness has no nodes: the API server answers 204 No Content.
    await expect(
      cluster.readPodLog(namespace, 'iris-predictor-1', {
        container: 'kserve-container',
        tailLines: 10,
      }),
    ).resolves.toBeUndefined();
    await expect(
      cluster.readPodLog(namespace, 'gone', { container: 'main' }),
    ).rejects.toThrow(NotFoundError);
  });

  it('lists cluster-scoped templates and maps failures to Backstage errors', async () => {
    const page = await cluster.listCustomObjects(
      ARGO_CLUSTER_WORKFLOW_TEMPLATE_RESOURCE,
      undefined,
    );
    expect(Array.isArray(page.items)).toBe(true);

    await expect(
      cluster.getCustomObject(
        ARGO_WORKFLOW_RESOURCE,
        namespace,
        'does-not-exist',
      ),
    ).rejects.toThrow(NotFoundError);

    const noRights = clusters(kube.noRightsToken).get();
    const forbidden = noRights.listCustomObjects(
      ARGO_WORKFLOW_RESOURCE,
      namespace,
    );
    await expect(forbidden).rejects.toThrow(NotAllowedError);
    await expect(forbidden).rejects.toThrow(
      `Kubernetes cluster 'harness': list workflows in '${namespace}' failed (HTTP 403)`,
    );
    // The API server names the refused account; the error keeps what was refused, not who.
    const message = await forbidden.catch((error: Error) => error.message);
    expect(message).toContain(
      `the backend's account cannot list resource "workflows" in API group "argoproj.io" in the namespace "${namespace}"`,
    );
    expect(message).not.toContain('harness-norights');
    expect(message).not.toContain('User "');
  });
});
