import type { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mlopsPermissions } from '@mlstack/plugin-mlops-common';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { FakeKubernetes, KUBE } from '../__testUtils__/fakeKubernetes';
import {
  diamondWorkflow,
  failedStepsWorkflow,
  runningTemplateWorkflow,
  submittableTemplate,
} from '@internal/harness';
import { mlopsPlugin } from '../plugin';

const WORKFLOWS = 'apis/argoproj.io/v1alpha1/workflows';
const TEMPLATES = 'apis/argoproj.io/v1alpha1/workflowtemplates';
const PART_OF = { 'app.kubernetes.io/part-of': 'fraud' };

function entity(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'ml-project', owner: 'group:default/ml', lifecycle: 'x' },
  };
}

const scoped = {
  'backstage.io/kubernetes-namespace': 'ml',
  'argoworkflows.argoproj.io/workflow-selector':
    'app.kubernetes.io/part-of=fraud',
  'mlstack.io/argo-workflow-template':
    'workflow-template-submittable, gone-template',
};
const entities = [
  entity('fraud', scoped),
  entity('templates-only', {
    'backstage.io/kubernetes-namespace': 'ml',
    'mlstack.io/argo-workflow-template': 'workflow-template-submittable',
  }),
  entity('no-namespace', {
    'argoworkflows.argoproj.io/workflow-selector': 'app=x',
  }),
  entity('bad-selector', {
    'backstage.io/kubernetes-namespace': 'ml',
    'argoworkflows.argoproj.io/workflow-selector': 'app in (x',
  }),
  entity('elsewhere', {
    'backstage.io/kubernetes-namespace': 'ml',
    'mlstack.io/kubernetes-cluster': 'nowhere',
  }),
];

const base = (name = 'fraud') =>
  `/api/mlops/entities/component/default/${name}/argo`;

describe('mlops backend: Argo Workflows routes', () => {
  const msw = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
      passthrough(),
    ),
  );
  registerMswTestHooks(msw);
  let kube: FakeKubernetes;
  let events: Array<{
    options: any;
    outcome?: string;
    meta?: any;
    error?: Error;
  }>;

  beforeEach(() => {
    kube = new FakeKubernetes();
    msw.use(...kube.handlers());
    events = [];
    kube.put(TEMPLATES, submittableTemplate('ml'));
    kube.put(WORKFLOWS, diamondWorkflow('ml', PART_OF));
    kube.put(
      WORKFLOWS,
      failedStepsWorkflow('ml', {
        ...PART_OF,
        'workflows.argoproj.io/workflow-template':
          'workflow-template-submittable',
      }),
    );
    for (const name of ['run-a', 'run-b', 'run-c']) {
      kube.put(WORKFLOWS, runningTemplateWorkflow('ml', name, {}));
    }
    kube.put(
      WORKFLOWS,
      diamondWorkflow(
        'ml',
        { 'app.kubernetes.io/part-of': 'other' },
        'foreign',
      ),
    );
  });

  async function startBackend(
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    catalog: BackendFeature = catalogServiceMock.factory({ entities }),
  ) {
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async options => {
        const event: (typeof events)[number] = { options };
        events.push(event);
        return {
          success: jest.fn(async o => {
            event.outcome = 'success';
            event.meta = o?.meta;
          }),
          fail: jest.fn(async o => {
            event.outcome = 'fail';
            event.error = o.error;
          }),
        };
      }),
    });
    const registry = mockServices.permissionsRegistry.mock();
    const { server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalog,
        mockServices.permissions.factory({ result }),
        auditor.factory,
        registry.factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            mlops: {
              // The namespace belongs to the entities' owner (as a namespace listed in config).
              ownership: {
                namespaces: [{ owner: 'group:default/ml', namespaces: ['ml'] }],
              },
              kubernetes: {
                clusters: [
                  {
                    name: 'harness',
                    url: KUBE,
                    serviceAccountToken: 'tok',
                    skipTLSVerify: true,
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    return { server, registry };
  }

  it('registers the action permissions', async () => {
    const { registry } = await startBackend();
    expect(registry.addPermissions).toHaveBeenCalledWith(mlopsPermissions);
  });

  it('pages through the union of selector and template workflows, each once, slim and newest first', async () => {
    const { server } = await startBackend();
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await request(server)
        .get(`${base()}/workflows`)
        .query({ limit: 2, ...(token ? { continue: token } : {}) })
        .expect(200);
      pages++;
      expect(res.body).toMatchObject({ cluster: 'harness', namespace: 'ml' });
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      const times = res.body.items.map(
        (i: any) => i.startedAt ?? i.creationTimestamp,
      );
      expect(times).toEqual([...times].sort().reverse());
      for (const item of res.body.items) {
        expect(item.nodes).toBeUndefined();
        names.push(item.name);
      }
      token = res.body.continue;
    } while (token && pages < 10);
    expect(names.sort()).toEqual([
      'dag-diamond-82q7s',
      'failed-retries-tjjsc',
      'run-a',
      'run-b',
      'run-c',
    ]);
    const selectors = kube
      .of('GET')
      .filter(r => r.path.endsWith('/workflows'))
      .map(r => r.query.labelSelector);
    // The cache lists a selector's canonical form; the direct pages the annotation's text.
    expect(new Set(selectors)).toEqual(
      new Set([
        'app.kubernetes.io/part-of=fraud',
        'workflows.argoproj.io/workflow-template in (gone-template,workflow-template-submittable)',
        'workflows.argoproj.io/workflow-template in (workflow-template-submittable,gone-template)',
      ]),
    );
  });

  it('keeps a page of 25 big workflows small', async () => {
    const big = diamondWorkflow('ml', PART_OF);
    for (let i = 0; i < 30; i++) {
      kube.put(WORKFLOWS, {
        ...big,
        metadata: { ...big.metadata, name: `big-${i}` },
        status: {
          ...big.status,
          nodes: Object.fromEntries(
            Array.from({ length: 200 }, (_, n) => [
              `big-${i}-${n}`,
              {
                ...Object.values<any>(big.status.nodes)[1],
                id: `big-${i}-${n}`,
              },
            ]),
          ),
        },
      });
    }
    const { server } = await startBackend();
    const res = await request(server).get(`${base()}/workflows`).expect(200);
    expect(res.body.items).toHaveLength(25);
    expect(res.text.length).toBeLessThan(100_000);
    expect(res.body.continue).toEqual(expect.any(String));
  });

  it('refuses a continue token that is not its own', async () => {
    const { server } = await startBackend();
    const first = await request(server)
      .get(`${base()}/workflows`)
      .query({ limit: 1 })
      .expect(200);
    await request(server)
      .get(`${base('templates-only')}/workflows`)
      .query({ continue: first.body.continue })
      .expect(400);
    const res = await request(server)
      .get(`${base()}/workflows`)
      .query({ continue: 'garbage' })
      .expect(400);
    expect(res.body.error.message).toMatch(/continue token/);
  });

  it('reads a workflow with its graph, and hides workflows outside the scope', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get(`${base()}/workflows/dag-diamond-82q7s`)
      .expect(200);
    expect(res.body.phase).toBe('Succeeded');
    expect(res.body.nodes.map((n: any) => n.displayName)).toEqual([
      'dag-diamond-82q7s',
      'A',
      'B',
      'C',
      'D',
    ]);
    expect(res.body.edges).toHaveLength(5);
    await request(server).get(`${base()}/workflows/foreign`).expect(404);
    await request(server)
      .get(`${base('templates-only')}/workflows/dag-diamond-82q7s`)
      .expect(404);
  });

  it('answers the same 404 for a workflow outside the scope as for one that does not exist', async () => {
    const { server } = await startBackend();
    const calls = [
      () => request(server).get(`${base()}/workflows/foreign`),
      () => request(server).get(`${base()}/workflows/foreign/nodes/x/logs`),
      () => request(server).post(`${base()}/workflows/foreign/stop`),
      () => request(server).post(`${base()}/workflows/foreign/retry`),
      () => request(server).post(`${base()}/workflows/foreign/resubmit`),
    ];
    const outside = [];
    for (const call of calls) {
      outside.push((await call().expect(404)).body);
    }
    kube.objects.delete(`${WORKFLOWS}/ml/foreign`);
    for (const [i, call] of calls.entries()) {
      expect((await call().expect(404)).body).toEqual(outside[i]);
    }
    expect(outside[0].error).toEqual({
      name: 'NotFoundError',
      message:
        'No workflow foreign among the Argo workflows of component:default/fraud',
    });
    expect(JSON.stringify(outside)).not.toContain("'ml'");
    expect(kube.of('PATCH')).toEqual([]);
    expect(kube.of('POST')).toEqual([]);
  });

  it('answers the same 404 for a template the entity does not name as for one it names that is missing', async () => {
    const { server } = await startBackend();
    const submit = (template: string) =>
      request(server)
        .post(`${base()}/workflow-templates/${template}/submit`)
        .send({});
    kube.put(TEMPLATES, {
      ...submittableTemplate('ml'),
      metadata: { name: 'other-template', namespace: 'ml' },
    });
    const existing = await submit('other-template').expect(404);
    kube.objects.delete(`${TEMPLATES}/ml/other-template`);
    const missing = await submit('other-template').expect(404);
    expect(missing.body).toEqual(existing.body);
    // A name the entity gives that the namespace lacks: the same words.
    const named = await submit('gone-template').expect(404);
    expect(named.body.error.message).toBe(
      existing.body.error.message.replace(/other-template/g, 'gone-template'),
    );
    expect(named.body.error.message).toBe(
      'No WorkflowTemplate gone-template among the Argo workflow templates of component:default/fraud',
    );
    expect(kube.of('POST')).toEqual([]);
  });

  it('reads node logs from the main container, and says why there are none', async () => {
    const { server } = await startBackend();
    const detail = (
      await request(server).get(`${base()}/workflows/dag-diamond-82q7s`)
    ).body;
    const [root, a, b] = detail.nodes;
    kube.logs.set(
      `ml/${a.podName}/main`,
      Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n'),
    );
    const ok = await request(server)
      .get(`${base()}/workflows/dag-diamond-82q7s/nodes/${a.id}/logs`)
      .query({ tailLines: 3 })
      .expect(200);
    expect(ok.body).toEqual({
      workflow: 'dag-diamond-82q7s',
      nodeId: a.id,
      podName: a.podName,
      container: 'main',
      available: true,
      text: 'line 17\nline 18\nline 19',
    });
    expect(a.podName).toMatch(/^dag-diamond-82q7s-echo-\d+$/);

    const gone = await request(server)
      .get(`${base()}/workflows/dag-diamond-82q7s/nodes/${b.id}/logs`)
      .expect(200);
    expect(gone.body).toMatchObject({ available: false, text: '' });
    expect(gone.body.reason).toMatch(/no longer exists/);

    const [, , , c] = detail.nodes;
    kube.logFailures.set(`ml/${c.podName}/main`, {
      code: 400,
      message: `container "main" in pod "${c.podName}" is waiting to start: ContainerCreating`,
    });
    const waiting = await request(server)
      .get(`${base()}/workflows/dag-diamond-82q7s/nodes/${c.id}/logs`)
      .expect(200);
    expect(waiting.body).toMatchObject({ available: false, text: '' });
    expect(waiting.body.reason).toBe(
      `No log of container 'main' in pod '${c.podName}' yet: container "main" in pod "${c.podName}" is waiting to start: ContainerCreating`,
    );
    kube.logFailures.set(`ml/${c.podName}/main`, {
      code: 403,
      message: 'pods "x" is forbidden: cannot get resource "pods/log"',
    });
    const forbidden = await request(server)
      .get(`${base()}/workflows/dag-diamond-82q7s/nodes/${c.id}/logs`)
      .expect(403);
    expect(forbidden.body.error.message).toContain('pods/log');

    const dag = await request(server)
      .get(`${base()}/workflows/dag-diamond-82q7s/nodes/${root.id}/logs`)
      .expect(200);
    expect(dag.body.available).toBe(false);
    expect(dag.body.reason).toMatch(/DAG node/);

    await request(server)
      .get(`${base()}/workflows/dag-diamond-82q7s/nodes/nope/logs`)
      .expect(404);
  });

  it('lists the templates and names the missing ones', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get(`${base()}/workflow-templates`)
      .expect(200);
    expect(res.body.templates.map((t: any) => t.name)).toEqual([
      'workflow-template-submittable',
    ]);
    expect(res.body.templates[0].parameters).toEqual([
      {
        name: 'message',
        defaultValue: 'hello world',
        required: false,
        submittable: true,
        pattern: '[ -~]{1,200}',
      },
    ]);
    expect(res.body.missingTemplates).toEqual(['gone-template']);
  });

  it('submits from a template as Argo does, and audits it', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .post(`${base()}/workflow-templates/workflow-template-submittable/submit`)
      .send({ parameters: { message: 'hi' } })
      .expect(201);
    expect(res.body).toMatchObject({
      namespace: 'ml',
      templateName: 'workflow-template-submittable',
      parameters: { message: 'hi' },
      creator: 'user-default-mock',
    });
    const [post] = kube.of('POST');
    expect(post.path).toBe(
      '/apis/argoproj.io/v1alpha1/namespaces/ml/workflows',
    );
    expect(post.body).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: 'workflow-template-submittable-',
        namespace: 'ml',
        labels: {
          'workflows.argoproj.io/workflow-template':
            'workflow-template-submittable',
          'workflows.argoproj.io/creator': 'user-default-mock',
        },
      },
      spec: {
        workflowTemplateRef: { name: 'workflow-template-submittable' },
        arguments: { parameters: [{ name: 'message', value: 'hi' }] },
      },
    });
    expect(events).toHaveLength(1);
    expect(events[0].options).toMatchObject({
      eventId: 'argo-workflow-submit',
      severityLevel: 'medium',
      meta: {
        entityRef: 'component:default/fraud',
        template: 'workflow-template-submittable',
      },
    });
    expect(events[0].outcome).toBe('success');
    expect(events[0].meta).toEqual({
      cluster: 'harness',
      namespace: 'ml',
      workflow: res.body.name,
    });
  });

  it('takes only the parameters the template marks as submittable, each matching its pattern', async () => {
    kube.put(TEMPLATES, submittableTemplate('ml', { message: '[a-z]{1,5}' }));
    const { server } = await startBackend();
    const submit = (parameters: Record<string, string>) =>
      request(server)
        .post(
          `${base()}/workflow-templates/workflow-template-submittable/submit`,
        )
        .send({ parameters });
    const tooLong = await submit({ message: 'abcdefgh' }).expect(400);
    expect(tooLong.body.error.message).toBe(
      "Parameter 'message' of WorkflowTemplate 'workflow-template-submittable' must match [a-z]{1,5}; got 'abcdefgh'",
    );
    kube.put(TEMPLATES, submittableTemplate('ml', {}));
    const notListed = await submit({ message: 'hi' }).expect(400);
    expect(notListed.body.error.message).toBe(
      "Parameter 'message' of WorkflowTemplate 'workflow-template-submittable' cannot be set from the portal: only parameters with an enum or listed in its mlstack.io/submittable-parameters annotation may be set",
    );
    // The template's own value is used when nothing is given.
    await submit({}).expect(201);
    expect(kube.of('POST')).toHaveLength(1);
  });

  it('answers 400 naming a bad parameter, 404 for a template that is not the entity’s', async () => {
    const { server } = await startBackend();
    const bad = await request(server)
      .post(`${base()}/workflow-templates/workflow-template-submittable/submit`)
      .send({ parameters: { mesage: 'hi' } })
      .expect(400);
    expect(bad.body.error.message).toContain("'mesage'");
    const notString = await request(server)
      .post(`${base()}/workflow-templates/workflow-template-submittable/submit`)
      .send({ parameters: { message: 3 } })
      .expect(400);
    expect(notString.body.error.message).toContain('parameters.message');
    await request(server)
      .post(`${base()}/workflow-templates/someone-elses/submit`)
      .send({})
      .expect(404);
    expect(kube.of('POST')).toEqual([]);
    expect(events.map(e => e.outcome)).toEqual(['fail', 'fail']);
  });

  it('refuses every action without its permission, before touching the cluster', async () => {
    const { server } = await startBackend(AuthorizeResult.DENY);
    const calls = [
      ['workflow-templates/workflow-template-submittable/submit', 'submit'],
      ['workflows/run-a/resubmit', 'resubmit'],
      ['workflows/failed-retries-tjjsc/retry', 'retry'],
      ['workflows/run-a/stop', 'stop'],
      ['workflows/run-a/terminate', 'terminate'],
    ];
    for (const [path, verb] of calls) {
      const res = await request(server)
        .post(`${base()}/${path}`)
        .send({})
        .expect(403);
      expect(res.body.error.message).toContain(`mlops.argo.workflow.${verb}`);
    }
    expect(kube.requests.filter(r => r.method !== 'GET')).toEqual([]);
    expect(events.map(e => [e.options.eventId, e.outcome])).toEqual(
      calls.map(([, verb]) => [`argo-workflow-${verb}`, 'fail']),
    );
  });

  it('refuses with 409, doing nothing, when the entity changes while the action is authorized', async () => {
    const [fraud] = entities;
    const decided = { ...fraud, metadata: { ...fraud.metadata, etag: 'e1' } };
    const changed = {
      ...fraud,
      metadata: { ...fraud.metadata, etag: 'e2' },
      spec: { ...fraud.spec, owner: 'group:default/someone-else' },
    };
    const getEntityByRef = jest
      .fn()
      .mockResolvedValueOnce(decided)
      .mockResolvedValue(changed);
    const { server } = await startBackend(
      AuthorizeResult.ALLOW,
      catalogServiceMock.mock({ getEntityByRef }).factory,
    );
    const res = await request(server)
      .post(`${base()}/workflows/run-a/stop`)
      .expect(409);
    expect(res.body.error.message).toBe(
      'component:default/fraud changed in the catalog while the action was being authorized; nothing was done, try again',
    );
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
    expect(kube.requests.filter(r => r.method !== 'GET')).toEqual([]);
    expect(events.map(e => [e.options.eventId, e.outcome])).toEqual([
      ['argo-workflow-stop', 'fail'],
    ]);
  });

  it('stops and terminates with Argo’s merge patch; 409 once completed', async () => {
    const { server } = await startBackend();
    const stopped = await request(server)
      .post(`${base()}/workflows/run-a/stop`)
      .expect(200);
    expect(stopped.body).toMatchObject({ name: 'run-a', shutdown: 'Stop' });
    const terminated = await request(server)
      .post(`${base()}/workflows/run-b/terminate`)
      .expect(200);
    expect(terminated.body.shutdown).toBe('Terminate');
    expect(kube.of('PATCH').map(p => [p.path, p.contentType, p.body])).toEqual([
      [
        '/apis/argoproj.io/v1alpha1/namespaces/ml/workflows/run-a',
        'application/merge-patch+json',
        {
          spec: { shutdown: 'Stop' },
          metadata: {
            labels: {
              'workflows.argoproj.io/actor': 'user-default-mock',
              'workflows.argoproj.io/action': 'Stop',
            },
          },
        },
      ],
      [
        '/apis/argoproj.io/v1alpha1/namespaces/ml/workflows/run-b',
        'application/merge-patch+json',
        expect.objectContaining({ spec: { shutdown: 'Terminate' } }),
      ],
    ]);
    await request(server)
      .post(`${base()}/workflows/dag-diamond-82q7s/stop`)
      .expect(409);
    await request(server).post(`${base()}/workflows/foreign/stop`).expect(404);
    expect(kube.of('PATCH')).toHaveLength(2);
  });

  it('retries a failed workflow: deletes the failed pods, then writes it back', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .post(`${base()}/workflows/failed-retries-tjjsc/retry`)
      .expect(200);
    expect(res.body).toMatchObject({
      name: 'failed-retries-tjjsc',
      phase: 'Unknown',
      labels: { 'workflows.argoproj.io/action': 'Retry' },
    });
    const order = kube.requests
      .filter(r => r.method !== 'GET')
      .map(r => r.method);
    expect(order.at(-1)).toBe('PUT');
    expect(order.slice(0, -1).every(m => m === 'DELETE')).toBe(true);
    expect(order.length).toBeGreaterThan(1);
    const put = kube.of('PUT')[0].body as any;
    expect(put.metadata.resourceVersion).toEqual(expect.any(String));
    expect(
      put.metadata.labels['workflows.argoproj.io/completed'],
    ).toBeUndefined();
    expect(Object.keys(put.status.nodes)).toHaveLength(4);

    const again = await request(server)
      .post(`${base()}/workflows/run-a/retry`)
      .expect(400);
    expect(again.body.error.message).toMatch(/only Failed or Error/);
  });

  it('resubmits as a new workflow; memoized is refused', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .post(`${base()}/workflows/failed-retries-tjjsc/resubmit`)
      .send({})
      .expect(201);
    expect(res.body.resubmittedFrom).toBe('failed-retries-tjjsc');
    expect(res.body.name).toMatch(/^failed-retries-/);
    const [post] = kube.of('POST');
    expect((post.body as any).metadata).toMatchObject({
      generateName: 'failed-retries-',
      labels: {
        'workflows.argoproj.io/resubmitted-from-workflow':
          'failed-retries-tjjsc',
        'workflows.argoproj.io/creator': 'user-default-mock',
        'app.kubernetes.io/part-of': 'fraud',
      },
    });
    expect((post.body as any).status).toBeUndefined();
    const memoized = await request(server)
      .post(`${base()}/workflows/failed-retries-tjjsc/resubmit`)
      .send({ memoized: true })
      .expect(400);
    expect(memoized.body.error.message).toMatch(/memoized/);
  });

  it('answers 400 naming the annotation for a missing namespace or a bad selector', async () => {
    const { server } = await startBackend();
    const noNamespace = await request(server)
      .get(`${base('no-namespace')}/workflows`)
      .expect(400);
    expect(noNamespace.body.error.message).toContain(
      'backstage.io/kubernetes-namespace',
    );
    const badSelector = await request(server)
      .get(`${base('bad-selector')}/workflows`)
      .expect(400);
    expect(badSelector.body.error.message).toContain(
      'argoworkflows.argoproj.io/workflow-selector',
    );
    expect(badSelector.body.error.message).toContain("'app in (x'");
    const unknownCluster = await request(server)
      .get(`${base('elsewhere')}/workflows`)
      .expect(400);
    expect(unknownCluster.body.error.message).toContain("'nowhere'");
    expect(unknownCluster.body.error.message).toContain('harness');
    expect(kube.requests).toEqual([]);
  });

  it('passes on a 403 saying what the account may not do; 503 naming the cluster otherwise', async () => {
    const { server } = await startBackend();
    kube.failWith = {
      code: 403,
      message:
        'workflows.argoproj.io is forbidden: User "system:serviceaccount:x:y" cannot list resource "workflows" in API group "argoproj.io" in the namespace "ml"',
    };
    const forbidden = await request(server)
      .get(`${base()}/workflows`)
      .expect(403);
    expect(forbidden.body.error.message).toContain(
      'cannot list resource "workflows" in API group "argoproj.io" in the namespace "ml"',
    );
    expect(JSON.stringify(forbidden.body)).not.toMatch(
      /system:serviceaccount|x:y|User "/,
    );
    kube.failWith = { code: 401, message: 'Unauthorized' };
    const rejected = await request(server)
      .get(`${base()}/workflows/run-a`)
      .expect(503);
    expect(rejected.body.error.message).toContain(
      "Kubernetes cluster 'harness'",
    );
    kube.failWith = undefined;
    msw.use(http.all(`${KUBE}/*`, () => Response.error()));
    const down = await request(server).get(`${base()}/workflows`).expect(503);
    expect(down.body.error.message).toContain("Kubernetes cluster 'harness'");
  });

  it('requires a caller', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get(`${base()}/workflows`)
      .set('authorization', mockCredentials.none.header())
      .expect(401);
    expect(res.body.error.name).toBe('AuthenticationError');
    expect(kube.requests).toEqual([]);
  });
});
