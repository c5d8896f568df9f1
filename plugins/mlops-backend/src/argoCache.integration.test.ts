/**
 * The runs list from the watch cache against the harness's real kube-apiserver
 * (scripts/harness/harness.sh up kube): newest first across pages, each workflow once, and
 * creations and deletions seen through the watch.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ARGO_WORKFLOW_RESOURCE } from '@mlstack/plugin-mlops-node';
import request from 'supertest';
import { harnessClusters } from './__testUtils__/harnessClusters';
import { mlopsPlugin } from './plugin';
import { newestFirst } from './service/argo/cache/workflowOrder';

jest.setTimeout(120_000);

const namespace = `mlops-cache-it-${Date.now()}`;
const TEMPLATE = 'cache-template';
const PART_OF = 'app.kubernetes.io/part-of';
const TEMPLATE_LABEL = 'workflows.argoproj.io/workflow-template';

const { kube, clusters, admin } = harnessClusters();

const entity = (name: string, extra: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-namespace': namespace,
      'argoworkflows.argoproj.io/workflow-selector': `${PART_OF}=cache`,
      'mlstack.io/argo-workflow-template': TEMPLATE,
      ...extra,
    },
  },
  spec: { type: 'ml-project', owner: 'group:default/ml', lifecycle: 'x' },
});

async function createWorkflow(name: string, labels: Record<string, string>) {
  return (await admin.createCustomObject(ARGO_WORKFLOW_RESOURCE, namespace, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, labels },
    spec: { entrypoint: 'main', templates: [{ name: 'main' }] },
  })) as { metadata: { name: string; creationTimestamp: string } };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('the runs list from the watch cache, against the harness', () => {
  let server: Parameters<typeof request>[0];
  const savedKubeconfig = process.env.KUBECONFIG;
  /** What the entity sees, as the API server stored it. */
  const mine: Array<{ name: string; creationTimestamp: string }> = [];

  const page = async (limit: number, token?: string) =>
    (
      await request(server)
        .get('/api/mlops/entities/component/default/cache/argo/workflows')
        .query({ limit, ...(token ? { continue: token } : {}) })
        .expect(200)
    ).body;

  async function pageAll(limit: number) {
    const names: string[] = [];
    const pages: any[] = [];
    let token: string | undefined;
    do {
      const body = await page(limit, token);
      pages.push(body);
      names.push(...body.items.map((i: { name: string }) => i.name));
      token = body.continue;
    } while (token && pages.length < 20);
    return { names, pages };
  }

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
    // Created one after the other, in 6 creation seconds of 10 (creationTimestamp has whole
    // seconds); the names sort against the creation order (and are mixed), from both sources,
    // some in both, and one foreign.
    for (let i = 0; i < 60; i++) {
      if (i > 0 && i % 10 === 0) await sleep(1050);
      const name = `${'zyxwv'[i % 5]}-run-${String(999 - i)}`;
      const labels: Record<string, string> =
        i % 2 === 0 ? { [PART_OF]: 'cache' } : { [TEMPLATE_LABEL]: TEMPLATE };
      if (i % 7 === 0) labels[TEMPLATE_LABEL] = TEMPLATE;
      const created = await createWorkflow(name, labels);
      mine.push({
        name: created.metadata.name,
        creationTimestamp: created.metadata.creationTimestamp,
      });
    }
    await createWorkflow('a-foreign', { [PART_OF]: 'other' });

    process.env.KUBECONFIG = kube.kubeconfig;
    ({ server } = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogServiceMock.factory({
          entities: [
            entity('cache'),
            entity('no-rights', {
              'mlstack.io/kubernetes-cluster': 'norights',
            }),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            mlops: {
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

  it('pages newest first across pages: page 1 holds the 25 newest, each workflow once', async () => {
    const expected = [...mine].sort(newestFirst).map(w => w.name);
    const byName = [...mine].map(w => w.name).sort();
    expect(
      new Set(mine.map(w => w.creationTimestamp)).size,
    ).toBeGreaterThanOrEqual(6);
    expect(expected.slice(0, 25)).not.toEqual(byName.slice(0, 25));
    const { names, pages } = await pageAll(25);
    expect(pages).toHaveLength(3);
    expect(pages[0].items.map((i: { name: string }) => i.name)).toEqual(
      expected.slice(0, 25),
    );
    expect(pages[0].remainingItemCount).toBe(35);
    expect(pages[1].remainingItemCount).toBe(10);
    expect(pages[2].continue).toBeUndefined();
    expect(names).toEqual(expected);
  });

  it('shows a new workflow at the top and drops a deleted one, through the watch', async () => {
    await page(25); // the scope is cached
    await sleep(1100); // a creation second of its own: strictly the newest
    const created = await createWorkflow('a-latest', { [PART_OF]: 'cache' });
    const deadline = Date.now() + 10_000;
    let top: string | undefined;
    while (Date.now() < deadline) {
      top = (await page(5)).items[0]?.name;
      if (top === created.metadata.name) break;
      await sleep(200);
    }
    expect(top).toBe('a-latest');

    const gone = [...mine].sort(newestFirst)[0].name;
    await admin.customObjectsApi().deleteNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'workflows',
      namespace,
      name: gone,
    });
    let names: string[] = [gone];
    while (Date.now() < deadline + 10_000 && names.includes(gone)) {
      await sleep(200);
      names = (await pageAll(25)).names;
    }
    expect(names).not.toContain(gone);
    expect(names).toHaveLength(60);
    expect(names[0]).toBe('a-latest');
  });

  it('answers 403 saying what the account without rights may not do', async () => {
    const res = await request(server)
      .get('/api/mlops/entities/component/default/no-rights/argo/workflows')
      .expect(403);
    expect(res.body.error.message).toContain("Kubernetes cluster 'norights'");
    expect(res.body.error.message).toMatch(
      /the backend's account cannot list resource "workflows" in API group "argoproj.io" in the namespace "/,
    );
    // The harness API server names the refused user (harness-norights); the portal does not.
    expect(JSON.stringify(res.body)).not.toContain('harness-norights');
    expect(JSON.stringify(res.body)).not.toContain('User \\"');
  });
});
