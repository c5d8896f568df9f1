import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { FakeKubernetes, KUBE } from '../__testUtils__/fakeKubernetes';
import { submittableTemplate } from '@internal/harness';
import { mlopsPlugin } from '../plugin';

const WORKFLOWS = 'apis/argoproj.io/v1alpha1/workflows';
const TEMPLATES = 'apis/argoproj.io/v1alpha1/workflowtemplates';
const TEMPLATE = 'workflow-template-submittable';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-namespace': 'ml',
      'argoworkflows.argoproj.io/workflow-selector':
        'app.kubernetes.io/part-of=fraud',
      'mlstack.io/argo-workflow-template': TEMPLATE,
    },
  },
  spec: { type: 'ml-project', owner: 'group:default/ml', lifecycle: 'x' },
};
const base = '/api/mlops/entities/component/default/fraud/argo';

function workflow(name: string, labels: Record<string, string>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'ml', uid: `uid-${name}`, labels },
    spec: {},
    status: { phase: 'Succeeded' },
  };
}

describe('mlops backend: the runs list from the watch cache', () => {
  const msw = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
      passthrough(),
    ),
  );
  registerMswTestHooks(msw);
  let kube: FakeKubernetes;
  /** Names in creation order, oldest first. */
  const created: string[] = [];

  beforeEach(() => {
    kube = new FakeKubernetes();
    kube.watch = 'open';
    msw.use(...kube.handlers());
    kube.put(TEMPLATES, submittableTemplate('ml'));
    created.length = 0;
    // Names sort in the reverse of creation order; both sources, some in both.
    for (let i = 0; i < 30; i++) {
      const name = `wf-${String(99 - i).padStart(2, '0')}`;
      const labels: Record<string, string> =
        i % 3 === 0
          ? { 'app.kubernetes.io/part-of': 'fraud' }
          : { 'workflows.argoproj.io/workflow-template': TEMPLATE };
      if (i % 5 === 0) {
        labels['workflows.argoproj.io/workflow-template'] = TEMPLATE;
      }
      kube.put(WORKFLOWS, workflow(name, labels));
      created.push(name);
    }
    kube.put(WORKFLOWS, workflow('foreign', { app: 'other' }));
  });

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
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
    return server;
  }

  async function pageAll(server: Awaited<ReturnType<typeof startBackend>>) {
    const pages: any[] = [];
    let token: string | undefined;
    do {
      const res = await request(server)
        .get(`${base}/workflows`)
        .query({ limit: 10, ...(token ? { continue: token } : {}) })
        .expect(200);
      pages.push(res.body);
      token = res.body.continue;
    } while (token && pages.length < 10);
    return pages;
  }

  it('pages newest first across pages, each workflow once, with what is left', async () => {
    const server = await startBackend();
    const pages = await pageAll(server);
    const newestFirst = [...created].reverse();
    expect(pages).toHaveLength(3);
    expect(pages[0].items.map((i: any) => i.name)).toEqual(
      newestFirst.slice(0, 10),
    );
    expect(pages[0].remainingItemCount).toBe(20);
    expect(pages[2].remainingItemCount).toBeUndefined();
    expect(pages.flatMap(p => p.items.map((i: any) => i.name))).toEqual(
      newestFirst,
    );
    // One list per selector for the cache; the pages did not list again.
    const lists = kube.requests.filter(
      r =>
        r.method === 'GET' && r.path.endsWith('/workflows') && !r.query.watch,
    );
    expect(lists).toHaveLength(2);
  });

  it('shows a submitted workflow at the top at once', async () => {
    const server = await startBackend();
    await pageAll(server);
    const submitted = await request(server)
      .post(`${base}/workflow-templates/${TEMPLATE}/submit`)
      .send({})
      .expect(201);
    const res = await request(server)
      .get(`${base}/workflows`)
      .query({ limit: 10 })
      .expect(200);
    expect(res.body.items[0].name).toBe(submitted.body.name);
    expect(res.body.remainingItemCount).toBe(21);
  });

  it('refuses a token of the direct list for other selectors, and a malformed one', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(`${base}/workflows`)
      .query({ limit: 10, continue: 'not-a-token' })
      .expect(400);
    expect(res.body.error.message).toMatch(/continue token/);
  });

  it('lists page by page when the watch is refused (403)', async () => {
    kube.watch = 'forbidden';
    const server = await startBackend();
    const res = await request(server)
      .get(`${base}/workflows`)
      .query({ limit: 10 })
      .expect(200);
    // The API server's order: by name, newest first within the page only.
    expect(res.body.items.map((i: any) => i.name)).not.toContain('wf-70');
    const lists = kube.requests.filter(
      r => r.method === 'GET' && r.path.endsWith('/workflows'),
    );
    expect(lists.some(r => r.query.limit === '10')).toBe(true);
  });
});
