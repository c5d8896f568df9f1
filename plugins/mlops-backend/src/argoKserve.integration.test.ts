import { AuthorizeResult } from '@backstage/plugin-permission-common';
/**
 * The Argo Workflows and KServe routes against the harness (scripts/harness/harness.sh up kube
 * mlflow): a real kube-apiserver with the upstream CRDs, and a real MLflow. Objects are the
 * upstream examples; what the routes answer is compared with the objects, and what the actions
 * do is read back from the API server.
 */
import { startTestBackend } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ARGO_WORKFLOW_RESOURCE,
  ARGO_WORKFLOW_TEMPLATE_RESOURCE,
  KSERVE_INFERENCE_SERVICE_RESOURCE,
  retryFailedWorkflow,
} from '@mlstack/plugin-mlops-node';
import request from 'supertest';
import {
  diamondWorkflow,
  failedStepsWorkflow,
  flowerSample,
  runningTemplateWorkflow,
  sklearnIris,
  requireHarnessService,
  submittableTemplate,
} from '@internal/harness';
import { harnessClusters } from './__testUtils__/harnessClusters';
import { mlopsPlugin } from './plugin';

jest.setTimeout(60_000);

const mlflowUrl = requireHarnessService('mlflow').url;
const namespace = `mlops-backend-it-${Date.now()}`;
const modelName = `it-${Date.now()}-fraud-model`;
const PART_OF = { 'app.kubernetes.io/part-of': 'fraud' };
const TEMPLATE_LABEL = {
  'workflows.argoproj.io/workflow-template': 'workflow-template-submittable',
};

const { kube, clusters, admin } = harnessClusters();

const annotations = {
  'backstage.io/kubernetes-namespace': namespace,
  'argoworkflows.argoproj.io/workflow-selector':
    'app.kubernetes.io/part-of=fraud',
  'mlstack.io/argo-workflow-template':
    'workflow-template-submittable, gone-template',
  'mlstack.io/kserve-inference-service': 'sklearn-iris, missing-isvc',
  'mlstack.io/kserve-selector': 'team=fraud',
  'mlflow.org/registered-model-name': modelName,
};
const entity = (name: string, extra: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { ...annotations, ...extra },
  },
  spec: { type: 'ml-project', owner: 'group:default/ml', lifecycle: 'x' },
});

async function mlflowPost(path: string, body: object) {
  const res = await fetch(`${mlflowUrl}/api/2.0/mlflow/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(`MLflow ${path}: ${res.status} ${await res.text()}`);
  }
  return res.json();
}

const read = (name: string) =>
  admin.getCustomObject(
    ARGO_WORKFLOW_RESOURCE,
    namespace,
    name,
  ) as Promise<any>;

describe('Argo Workflows and KServe routes against the harness', () => {
  let server: Parameters<typeof request>[0];
  const base = (name = 'fraud') =>
    `/api/mlops/entities/component/default/${name}`;
  const savedKubeconfig = process.env.KUBECONFIG;
  const fixtures: Record<string, any> = {};

  beforeAll(async () => {
    await admin.coreApi().createNamespace({
      body: {
        metadata: {
          name: namespace,
          // Owned by the test entities' owner, as mlops:kubernetes:apply records it.
          annotations: { 'mlstack.io/owner': 'group:default/ml' },
        },
      },
    });
    await admin.createCustomObject(
      ARGO_WORKFLOW_TEMPLATE_RESOURCE,
      namespace,
      submittableTemplate(namespace),
    );
    fixtures.diamond = diamondWorkflow(namespace, PART_OF);
    fixtures.failed = failedStepsWorkflow(namespace, {
      ...PART_OF,
      ...TEMPLATE_LABEL,
    });
    for (const object of [
      fixtures.diamond,
      fixtures.failed,
      runningTemplateWorkflow(namespace, 'run-a', {}),
      runningTemplateWorkflow(namespace, 'run-b', {}),
      runningTemplateWorkflow(namespace, 'run-c', {}),
      diamondWorkflow(
        namespace,
        { 'app.kubernetes.io/part-of': 'other' },
        'foreign',
      ),
    ]) {
      // The Workflow CRD has no status subresource: the status is written with the object.
      await admin.createCustomObject(ARGO_WORKFLOW_RESOURCE, namespace, object);
    }

    await admin.createCustomObject(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      namespace,
      sklearnIris(namespace),
    );
    const flower = flowerSample(namespace, { team: 'fraud' });
    fixtures.flowerStatus = flower.status;
    const created = await admin.createCustomObject(
      KSERVE_INFERENCE_SERVICE_RESOURCE,
      namespace,
      flower.object,
    );
    await admin.customObjectsApi().replaceNamespacedCustomObjectStatus({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      plural: 'inferenceservices',
      namespace,
      name: 'flower-sample',
      body: { ...(created as object), status: flower.status },
    });

    await mlflowPost('registered-models/create', { name: modelName });
    await mlflowPost('model-versions/create', {
      name: modelName,
      source: 's3://mlflow-artifacts/elsewhere',
    });
    await mlflowPost('model-versions/create', {
      name: modelName,
      source: 'gs://kfserving-examples/models/sklearn/1.0/model',
    });
    await mlflowPost('registered-models/alias', {
      name: modelName,
      alias: 'champion',
      version: '2',
    });

    process.env.KUBECONFIG = kube.kubeconfig;
    ({ server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogServiceMock.factory({
          entities: [
            entity('fraud'),
            entity('no-rights', {
              'mlstack.io/kubernetes-cluster': 'norights',
            }),
          ],
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            mlops: {
              mlflow: { instances: [{ name: 'main', baseUrl: mlflowUrl }] },
              kubernetes: { clusters },
              // The account without rights cannot read namespaces: its namespace is listed.
              ownership: {
                namespaces: [
                  {
                    owner: 'group:default/ml',
                    cluster: 'norights',
                    namespaces: [namespace],
                  },
                ],
              },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    process.env.KUBECONFIG = savedKubeconfig;
    await admin
      .coreApi()
      .deleteNamespace({ name: namespace })
      .catch(() => undefined);
  });

  it('pages through the entity’s workflows with the phases of the objects', async () => {
    const phases: Record<string, string> = {};
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await request(server)
        .get(`${base()}/argo/workflows`)
        .query({ limit: 2, ...(token ? { continue: token } : {}) })
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const item of res.body.items) {
        expect(phases[item.name]).toBeUndefined();
        phases[item.name] = item.phase;
      }
      token = res.body.continue;
      if (!token) break;
    }
    expect(phases).toEqual({
      'dag-diamond-82q7s': 'Succeeded',
      'failed-retries-tjjsc': 'Failed',
      'run-a': 'Running',
      'run-b': 'Running',
      'run-c': 'Running',
    });
  });

  it('reads a workflow’s nodes and edges as the object has them; foreign ones are 404', async () => {
    const res = await request(server)
      .get(`${base()}/argo/workflows/dag-diamond-82q7s`)
      .expect(200);
    const nodes = fixtures.diamond.status.nodes as Record<string, any>;
    expect(res.body.phase).toBe(fixtures.diamond.status.phase);
    expect(res.body.nodes).toHaveLength(Object.keys(nodes).length);
    const childEdges = Object.values(nodes).flatMap((n: any) =>
      (n.children ?? []).map((c: string) => `${n.id}->${c}`),
    );
    expect(res.body.edges.map((e: any) => `${e.from}->${e.to}`).sort()).toEqual(
      childEdges.sort(),
    );
    for (const node of res.body.nodes) {
      expect(node.phase).toBe(nodes[node.id].phase);
    }
    const failed = await request(server)
      .get(`${base()}/argo/workflows/failed-retries-tjjsc`)
      .expect(200);
    expect(failed.body.nodes).toHaveLength(
      Object.keys(fixtures.failed.status.nodes).length,
    );
    await request(server).get(`${base()}/argo/workflows/foreign`).expect(404);
    await request(server).get(`${base()}/argo/workflows/nope`).expect(404);
  });

  it('says why a node has no logs: pod gone, or not scheduled', async () => {
    const detail = (
      await request(server).get(`${base()}/argo/workflows/dag-diamond-82q7s`)
    ).body;
    const [, a, b] = detail.nodes;
    const gone = await request(server)
      .get(`${base()}/argo/workflows/dag-diamond-82q7s/nodes/${a.id}/logs`)
      .expect(200);
    expect(gone.body).toMatchObject({
      podName: a.podName,
      container: 'main',
      available: false,
      text: '',
    });
    expect(gone.body.reason).toMatch(/no longer exists/);

    // A pod the API server knows but no kubelet runs (the harness has no nodes).
    await admin.coreApi().createNamespacedPod({
      namespace,
      body: {
        metadata: { name: b.podName },
        spec: { containers: [{ name: 'main', image: 'busybox' }] },
      },
    });
    const pending = await request(server)
      .get(`${base()}/argo/workflows/dag-diamond-82q7s/nodes/${b.id}/logs`)

      .expect(200);
    expect(pending.body.available).toBe(false);
    expect(pending.body.reason).toBe(
      `Pod '${b.podName}' has no log yet: it is not running on a node`,
    );
  });

  it('lists the templates and names the missing one', async () => {
    const res = await request(server)
      .get(`${base()}/argo/workflow-templates`)
      .expect(200);
    expect(res.body).toMatchObject({
      cluster: 'harness',
      namespace,
      missingTemplates: ['gone-template'],
    });
    expect(res.body.templates.map((t: any) => t.name)).toEqual([
      'workflow-template-submittable',
    ]);
  });

  it('submits a workflow the API server stores as Argo expects', async () => {
    const res = await request(server)
      .post(
        `${base()}/argo/workflow-templates/workflow-template-submittable/submit`,
      )
      .send({ parameters: { message: 'from the portal' } })
      .expect(201);
    const stored = await read(res.body.name);
    expect(stored.metadata.labels).toMatchObject({
      ...TEMPLATE_LABEL,
      'workflows.argoproj.io/creator': 'user-default-mock',
    });
    expect(stored.spec).toEqual({
      workflowTemplateRef: { name: 'workflow-template-submittable' },
      arguments: {
        parameters: [{ name: 'message', value: 'from the portal' }],
      },
    });
    const bad = await request(server)
      .post(
        `${base()}/argo/workflow-templates/workflow-template-submittable/submit`,
      )
      .send({ parameters: { msg: 'x' } })
      .expect(400);
    expect(bad.body.error.message).toContain("'msg'");
  });

  it('stops and terminates running workflows; a completed one is 409', async () => {
    await request(server)
      .post(`${base()}/argo/workflows/run-a/stop`)
      .expect(200);
    await request(server)
      .post(`${base()}/argo/workflows/run-b/terminate`)
      .expect(200);
    const [a, b] = await Promise.all([read('run-a'), read('run-b')]);
    expect(a.spec.shutdown).toBe('Stop');
    expect(a.metadata.labels).toMatchObject({
      'workflows.argoproj.io/actor': 'user-default-mock',
      'workflows.argoproj.io/action': 'Stop',
    });
    expect(b.spec.shutdown).toBe('Terminate');
    await request(server)
      .post(`${base()}/argo/workflows/dag-diamond-82q7s/terminate`)
      .expect(409);
  });

  it('retries a failed workflow: only the failed steps are left to run again', async () => {
    const { podsToDelete } = retryFailedWorkflow(fixtures.failed);
    expect(podsToDelete.length).toBeGreaterThan(0);
    for (const pod of podsToDelete) {
      await admin.coreApi().createNamespacedPod({
        namespace,
        body: {
          metadata: { name: pod },
          spec: { containers: [{ name: 'main', image: 'alpine' }] },
        },
      });
    }
    const res = await request(server)
      .post(`${base()}/argo/workflows/failed-retries-tjjsc/retry`)
      .expect(200);
    expect(res.body.labels['workflows.argoproj.io/action']).toBe('Retry');
    const stored = await read('failed-retries-tjjsc');
    expect(stored.status.phase).toBeUndefined();
    expect(Object.values<any>(stored.status.nodes).map(n => n.phase)).toEqual([
      'Running',
      'Running',
      'Running',
      'Running',
    ]);
    expect(
      stored.metadata.labels['workflows.argoproj.io/completed'],
    ).toBeUndefined();
    const pods = await admin.coreApi().listNamespacedPod({ namespace });
    const left = pods.items.map(p => p.metadata?.name);
    for (const pod of podsToDelete) {
      expect(left).not.toContain(pod);
    }
  });

  it('resubmits a workflow as a new one with the same spec', async () => {
    const res = await request(server)
      .post(`${base()}/argo/workflows/dag-diamond-82q7s/resubmit`)
      .send({})
      .expect(201);
    const stored = await read(res.body.name);
    expect(stored.metadata.name).toMatch(/^dag-diamond-/);
    expect(stored.metadata.labels).toMatchObject({
      ...PART_OF,
      'workflows.argoproj.io/resubmitted-from-workflow': 'dag-diamond-82q7s',
    });
    expect(stored.spec.entrypoint).toBe(fixtures.diamond.spec.entrypoint);
    expect(stored.spec.templates).toEqual(fixtures.diamond.spec.templates);
    expect(stored.status ?? {}).toEqual({});
  });

  it('lists the InferenceServices with their status, and links the served model version', async () => {
    const res = await request(server)
      .get(`${base()}/kserve/inference-services`)
      .expect(200);
    expect(res.body.missingServices).toEqual(['missing-isvc']);
    const [flower, iris] = res.body.services;
    expect(flower.name).toBe('flower-sample');
    const status = fixtures.flowerStatus;
    expect(flower.conditions.map((c: any) => [c.type, c.status])).toEqual(
      status.conditions.map((c: any) => [c.type, c.status]),
    );
    expect(flower.traffic.map((t: any) => t.percent)).toEqual(
      status.components.predictor.traffic.map((t: any) => t.percent),
    );
    expect(flower.ready).toBe(true);
    expect(flower.modelVersion).toBeUndefined();
    expect(iris).toMatchObject({
      name: 'sklearn-iris',
      ready: false,
      modelVersion: {
        instance: 'main',
        modelName,
        version: '2',
        aliases: ['champion'],
      },
    });
    const logs = await request(server)
      .get(`${base()}/kserve/inference-services/sklearn-iris/logs`)
      .expect(200);
    expect(logs.body).toMatchObject({
      available: false,
      container: 'kserve-container',
    });
  });

  it('answers 403 saying what the account without rights may not do', async () => {
    const argo = await request(server)
      .get(`${base('no-rights')}/argo/workflows`)
      .expect(403);
    expect(argo.body.error.message).toContain("Kubernetes cluster 'norights'");
    expect(argo.body.error.message).toMatch(/cannot list resource "workflows"/);
    const kserve = await request(server)
      .get(`${base('no-rights')}/kserve/inference-services`)
      .expect(403);
    expect(kserve.body.error.message).toMatch(
      /cannot (get|list) resource "inferenceservices"/,
    );
    const stop = await request(server)
      .post(`${base('no-rights')}/argo/workflows/run-c/stop`)
      .expect(403);
    expect(stop.body.error.message).toMatch(/cannot get resource "workflows"/);
    // The harness API server names the refused user (harness-norights); the portal does not.
    for (const body of [argo.body, kserve.body, stop.body]) {
      expect(JSON.stringify(body)).not.toContain('harness-norights');
      expect(body.error.message).toContain("the backend's account cannot");
    }
  });
});
