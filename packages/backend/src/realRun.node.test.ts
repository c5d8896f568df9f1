/**
 * A real pipeline run through the portal, on the harness's real node: the backend (catalog,
 * permission policy, MLStack plugin) submits a WorkflowTemplate's run as a signed-in owner, Argo's
 * controller runs each step in a real pod, and the portal's own routes then show the run
 * Succeeded with every node and the steps' real logs; a run whose step fails shows Failed with
 * the step's exit code and its logs.
 *
 * Needs `harness.sh up kube node argo` (root): scripts/harness/node/test-node.sh starts that
 * harness and runs this file (`*.node.test.ts` is left out of the ordinary jest run (package.json `jest.testPathIgnorePatterns`), whose
 * harness has no node).
 */
import { requireHarnessService } from '@internal/harness';
import * as k8s from '@kubernetes/client-node';
import type {
  ArgoNode,
  ArgoNodeLogs,
  ArgoWorkflowDetail,
} from '@mlstack/plugin-mlops-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTrustBackend } from './__testUtils__/trustBackend';

jest.setTimeout(300_000);

const stamp = Date.now().toString(36);
const NAMESPACE = `real-run-${stamp}`;
const TEMPLATE = 'relay';
const OWNER = 'group:default/ml-team';

const kube = requireHarnessService('kube');
const kc = new k8s.KubeConfig();
kc.loadFromFile(kube.kubeconfig);
kc.setCurrentContext(kube.context);
const core = kc.makeApiClient(k8s.CoreV1Api);
const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);

/** The pipeline: `produce` writes a value, `consume` logs it, and fails when asked to. */
const relayTemplate = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: { name: TEMPLATE, namespace: NAMESPACE },
  spec: {
    serviceAccountName: 'runner',
    entrypoint: 'main',
    workflowMetadata: { labels: { 'app.kubernetes.io/part-of': 'relay' } },
    arguments: {
      parameters: [{ name: 'fail', value: 'no', enum: ['no', 'yes'] }],
    },
    templates: [
      {
        name: 'main',
        dag: {
          tasks: [
            { name: 'produce', template: 'produce' },
            {
              name: 'consume',
              template: 'consume',
              dependencies: ['produce'],
              arguments: {
                parameters: [
                  {
                    name: 'value',
                    value: '{{tasks.produce.outputs.parameters.value}}',
                  },
                ],
              },
            },
          ],
        },
      },
      {
        name: 'produce',
        container: {
          image: 'mlstack.local/debian:bookworm',
          imagePullPolicy: 'IfNotPresent',
          command: ['bash', '-c', 'echo "producing"; echo -n 42 >/tmp/value'],
        },
        outputs: {
          parameters: [{ name: 'value', valueFrom: { path: '/tmp/value' } }],
        },
      },
      {
        name: 'consume',
        inputs: { parameters: [{ name: 'value' }] },
        container: {
          image: 'mlstack.local/debian:bookworm',
          imagePullPolicy: 'IfNotPresent',
          command: [
            'bash',
            '-c',
            'echo "consumed {{inputs.parameters.value}}"; if [ "{{workflow.parameters.fail}}" = yes ]; then echo "model quality below threshold" >&2; exit 3; fi',
          ],
        },
      },
    ],
  },
};

describe('a real pipeline run through the portal (harness node + Argo)', () => {
  let baseUrl = '';
  let token = '';
  let stop: (() => Promise<void>) | undefined;
  let tmp = '';
  const api = `/api/mlops/entities/component/default/relay-project/argo`;

  beforeAll(async () => {
    requireHarnessService('node');
    await core.createNamespace({
      body: {
        metadata: {
          name: NAMESPACE,
          annotations: { 'mlstack.io/owner': OWNER },
        },
      },
    });
    await core.createNamespacedServiceAccount({
      namespace: NAMESPACE,
      body: { metadata: { name: 'runner' } },
    });
    await rbac.createNamespacedRole({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'executor' },
        rules: [
          {
            apiGroups: ['argoproj.io'],
            resources: ['workflowtaskresults'],
            verbs: ['create', 'patch'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'executor' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'executor',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'runner', namespace: NAMESPACE },
        ],
      },
    });
    await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: NAMESPACE,
      plural: 'workflowtemplates',
      body: relayTemplate,
    });

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-run-'));
    const entitiesFile = path.join(tmp, 'entities.yaml');
    fs.writeFileSync(
      entitiesFile,
      JSON.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'relay-project',
          annotations: {
            'backstage.io/kubernetes-namespace': NAMESPACE,
            'argoworkflows.argoproj.io/workflow-selector':
              'app.kubernetes.io/part-of=relay',
            'mlstack.io/argo-workflow-template': TEMPLATE,
          },
        },
        spec: { type: 'ml-project', lifecycle: 'experimental', owner: OWNER },
      }),
    );
    const started = await startTrustBackend({
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
      auth: { environment: 'development', providers: { 'test-users': {} } },
      catalog: {
        rules: [{ allow: ['Component', 'User', 'Group', 'System'] }],
        locations: [
          {
            type: 'file',
            target: path.resolve(__dirname, '../../../examples/org.yaml'),
          },
          { type: 'file', target: entitiesFile },
        ],
      },
      permission: { enabled: true },
      mlops: {
        kubernetes: {
          clusters: [
            {
              name: 'harness',
              url: kube.server,
              serviceAccountToken: kube.adminToken,
              caData: fs.readFileSync(kube.caFile, 'utf8'),
            },
          ],
        },
      },
    });
    baseUrl = started.baseUrl;
    stop = () => started.backend.stop();
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        token = await started.signIn('user:default/guest');
        const res = await fetch(
          `${baseUrl}/api/catalog/entities/by-name/component/default/relay-project`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        if (res.status === 200) break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error('catalog did not ingest relay-project');
      await new Promise(r => setTimeout(r, 500));
    }
  });

  afterAll(async () => {
    await stop?.();
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function call<T>(
    route: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${baseUrl}${api}${route}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    const text = await res.text();
    if (!text)
      throw new Error(
        `${init.method ?? 'GET'} ${route}: ${res.status} with no body`,
      );
    return { status: res.status, body: JSON.parse(text) as T };
  }

  async function submitAndWait(fail: 'no' | 'yes') {
    const submitted = await call<{ name: string }>(
      `/workflow-templates/${TEMPLATE}/submit`,
      {
        method: 'POST',
        body: JSON.stringify({ parameters: { fail } }),
      },
    );
    expect(submitted.status).toBe(201);
    const name = submitted.body.name;
    const deadline = Date.now() + 240_000;
    for (;;) {
      const { status, body } = await call<ArgoWorkflowDetail>(
        `/workflows/${name}`,
      );
      expect(status).toBe(200);
      if (['Succeeded', 'Failed', 'Error'].includes(body.phase)) {
        return { name, workflow: body };
      }
      if (Date.now() > deadline) {
        throw new Error(`workflow ${name} still ${body.phase} after 240 s`);
      }
      await new Promise(r => setTimeout(r, 2000));
    }
  }

  const podNodes = (workflow: ArgoWorkflowDetail): ArgoNode[] =>
    workflow.nodes.filter(n => n.type === 'Pod');

  async function logsOf(name: string, node: ArgoNode) {
    const { status, body } = await call<ArgoNodeLogs>(
      `/workflows/${name}/nodes/${encodeURIComponent(node.id)}/logs`,
    );
    expect(status).toBe(200);
    expect(body.available).toBe(true);
    expect(body.podName).toBe(node.podName);
    return body.text;
  }

  it('runs every step in real pods; the portal shows Succeeded, every node and the real logs', async () => {
    const { name, workflow } = await submitAndWait('no');
    expect(workflow.phase).toBe('Succeeded');
    const pods = podNodes(workflow);
    expect(pods.map(n => [n.displayName, n.phase]).sort()).toEqual([
      ['consume', 'Succeeded'],
      ['produce', 'Succeeded'],
    ]);
    const consume = pods.find(n => n.displayName === 'consume')!;
    expect(await logsOf(name, consume)).toContain('consumed 42');
  });

  it('a failing step: the run is Failed, the step says its exit code, its logs say why', async () => {
    const { name, workflow } = await submitAndWait('yes');
    expect(workflow.phase).toBe('Failed');
    const consume = podNodes(workflow).find(n => n.displayName === 'consume')!;
    expect(consume.phase).toBe('Failed');
    expect(consume.message).toContain('exit code 3');
    expect(await logsOf(name, consume)).toContain(
      'model quality below threshold',
    );
  });
});
