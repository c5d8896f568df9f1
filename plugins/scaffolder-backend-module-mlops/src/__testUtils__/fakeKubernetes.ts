import { ConfigReader } from '@backstage/config';
import { KubernetesClusters } from '@mlstack/plugin-mlops-node';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';

export const FAKE_SERVER = 'https://k8s.test';

const RESOURCES: Record<
  string,
  Array<{ name: string; kind: string; namespaced: boolean }>
> = {
  '/api/v1': [
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'secrets', kind: 'Secret', namespaced: true },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
  ],
  '/apis/rbac.authorization.k8s.io/v1': [
    { name: 'roles', kind: 'Role', namespaced: true },
    { name: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  ],
  '/apis/argoproj.io/v1alpha1': [
    { name: 'workflowtemplates', kind: 'WorkflowTemplate', namespaced: true },
    { name: 'cronworkflows', kind: 'CronWorkflow', namespaced: true },
  ],
  '/apis/serving.kserve.io/v1beta1': [
    { name: 'inferenceservices', kind: 'InferenceService', namespaced: true },
  ],
};

/** One request as the fake saw it. */
export interface FakeRequest {
  method: string;
  path: string;
  dryRun?: string;
  fieldManager?: string;
  force?: string;
  contentType?: string;
  body?: any;
}

/**
 * A tiny in-memory Kubernetes API server for msw: discovery of a few groups, GET, create
 * (POST; 409 when the name is taken) and server-side-apply PATCH of objects (the applied
 * object replaces the stored one; the resourceVersion moves only when something changed;
 * dryRun=All stores nothing).
 */
export function fakeKubernetes(
  server: SetupServer,
  objects = new Map<string, any>(),
) {
  let version = 100;
  const requests: FakeRequest[] = [];
  const comparable = (o: any) =>
    JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: 0 } });
  server.use(
    http.all(`${FAKE_SERVER}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const path = url.pathname;
      const entry: FakeRequest = {
        method: request.method,
        path,
        dryRun: url.searchParams.get('dryRun') ?? undefined,
        fieldManager: url.searchParams.get('fieldManager') ?? undefined,
        force: url.searchParams.get('force') ?? undefined,
        contentType: request.headers.get('content-type') ?? undefined,
      };
      requests.push(entry);
      if (RESOURCES[path]) {
        return HttpResponse.json({
          kind: 'APIResourceList',
          groupVersion: path.replace(/^\/apis?\//, ''),
          resources: RESOURCES[path].map(r => ({
            ...r,
            singularName: '',
            verbs: ['get', 'create', 'patch'],
          })),
        });
      }
      if (request.method === 'GET') {
        const found = objects.get(path);
        return found
          ? HttpResponse.json(found)
          : HttpResponse.json(
              { kind: 'Status', code: 404, message: 'not found' },
              { status: 404 },
            );
      }
      if (request.method === 'PATCH') {
        const body = JSON.parse(await request.text());
        entry.body = body;
        const existing = objects.get(path);
        const next = {
          ...body,
          metadata: {
            ...body.metadata,
            resourceVersion: existing?.metadata.resourceVersion ?? '0',
          },
        };
        if (!existing || comparable(existing) !== comparable(next)) {
          if (entry.dryRun !== 'All') {
            version += 1;
            next.metadata.resourceVersion = String(version);
          }
        }
        if (entry.dryRun !== 'All') {
          objects.set(path, next);
        }
        return HttpResponse.json(next);
      }
      if (request.method === 'POST') {
        // a plain create into the collection: 409 AlreadyExists when the name is taken
        const body = JSON.parse(await request.text());
        entry.body = body;
        const target = `${path}/${body.metadata.name}`;
        if (objects.has(target)) {
          return HttpResponse.json(
            {
              kind: 'Status',
              code: 409,
              reason: 'AlreadyExists',
              message: `"${body.metadata.name}" already exists`,
            },
            { status: 409 },
          );
        }
        const stored = {
          ...body,
          metadata: { ...body.metadata, resourceVersion: String(version + 1) },
        };
        if (entry.dryRun !== 'All') {
          version += 1;
          objects.set(target, stored);
        }
        return HttpResponse.json(stored, { status: 201 });
      }
      return HttpResponse.json({ message: 'unexpected' }, { status: 500 });
    }),
  );
  return { requests, objects };
}

export function fakeClusters(server = FAKE_SERVER): KubernetesClusters {
  return KubernetesClusters.fromConfig(
    new ConfigReader({
      mlops: {
        kubernetes: {
          clusters: [
            {
              name: 'test',
              url: server,
              serviceAccountToken: 'kube-secret-token',
              skipTLSVerify: true,
            },
          ],
        },
      },
    }),
    { env: {} },
  );
}
