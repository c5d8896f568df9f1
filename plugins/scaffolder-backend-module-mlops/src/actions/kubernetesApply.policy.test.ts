/**
 * What mlops:kubernetes:apply refuses to write: namespaces outside the configured patterns,
 * another owner's namespace, Secret types and service accounts it was not allowed, and
 * anything at all for a user who is not the owner or a member of it.
 */
import {
  createMockDirectory,
  mockCredentials,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NamespaceOwnershipConfig } from '@mlstack/plugin-mlops-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import yaml from 'yaml';
import {
  FAKE_SERVER,
  fakeClusters,
  fakeKubernetes,
} from '../__testUtils__/fakeKubernetes';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { readScaffolderSettings } from '../lib/settings';
import { createKubernetesApplyAction } from './kubernetesApply';

const server = setupServer();
registerMswTestHooks(server);

const OWNER = 'group:default/ml-team';
const s3 = {
  endpoint: 'http://minio.minio.svc:9000',
  region: 'us-east-1',
  accessKeyId: 'k',
  secretAccessKey: 's',
  forcePathStyle: true,
};

function makeAction(
  options: {
    kubernetesApply?: object;
    ownership?: object[];
    memberOf?: string[];
    allowServiceInitiators?: boolean;
  } = {},
) {
  const config = new ConfigReader({
    mlops: {
      scaffolder: {
        kubernetesApply: options.kubernetesApply ?? {
          namespaces: [{ cluster: 'test', patterns: ['ml-*', 'team-*'] }],
        },
      },
      ownership: { namespaces: options.ownership ?? [] },
    },
  });
  const initiator = testInitiator({
    memberOf: options.memberOf ?? [OWNER],
    allowServiceInitiators: options.allowServiceInitiators,
  });
  return {
    initiator,
    action: createKubernetesApplyAction({
      clusters: () => fakeClusters(),
      s3,
      policy: readScaffolderSettings(config).kubernetesApply,
      ownership: NamespaceOwnershipConfig.fromConfig(config),
      initiator,
    }),
  };
}

const template = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: { name: 'train' },
  spec: { entrypoint: 'main', templates: [{ name: 'main' }] },
};
const account = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name },
});

const mockDir = createMockDirectory();
function workspace(files: Record<string, unknown[]>) {
  mockDir.setContent(
    Object.fromEntries(
      Object.entries(files).map(([name, docs]) => [
        name,
        docs.map(d => yaml.stringify(d)).join('---\n'),
      ]),
    ),
  );
  return mockDir.path;
}

async function run(
  action: ReturnType<typeof makeAction>['action'],
  input: Record<string, unknown>,
  extra: Partial<Parameters<typeof createActionContext>[0]> = {},
) {
  const context = createActionContext({
    workspacePath: mockDir.path,
    input: { owner: OWNER, manifestPaths: ['all.yaml'], ...input },
    ...extra,
  });
  await action.handler(context.ctx);
  return context;
}

/** What a run applied, as `Kind in namespace` (the action's `applied` output). */
async function appliedBy(ran: ReturnType<typeof run>): Promise<string[]> {
  const { outputs } = await ran;
  return (outputs.applied as Array<{ kind: string; namespace: string }>).map(
    o => `${o.kind} in ${o.namespace}`,
  );
}

const namespaceObject = (
  name: string,
  annotations?: Record<string, string>,
) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name,
    resourceVersion: '7',
    ...(annotations ? { annotations } : {}),
  },
});

describe('mlops:kubernetes:apply restrictions', () => {
  describe('namespaces', () => {
    it('creates a new namespace annotated with the canonical owner', async () => {
      const { objects, requests } = fakeKubernetes(server);
      workspace({ 'all.yaml': [template] });
      const { action } = makeAction();
      await run(action, { namespace: 'ml-fraud', owner: 'ML-Team' });
      expect(
        objects.get('/api/v1/namespaces/ml-fraud').metadata.annotations,
      ).toEqual({ 'mlstack.io/owner': 'group:default/ml-team' });
      const nsPatch = requests.find(
        r => r.method === 'PATCH' && r.path === '/api/v1/namespaces/ml-fraud',
      );
      expect(nsPatch?.body.metadata.annotations).toEqual({
        'mlstack.io/owner': OWNER,
      });
    });

    it('keeps the labels and annotations of a Namespace manifest and adds the owner', async () => {
      const { objects } = fakeKubernetes(server);
      workspace({
        'all.yaml': [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {
              name: 'ml-fraud',
              labels: { team: 'ml' },
              annotations: { note: 'x' },
            },
          },
        ],
      });
      await run(makeAction().action, { namespace: 'ml-fraud' });
      expect(objects.get('/api/v1/namespaces/ml-fraud').metadata).toMatchObject(
        {
          labels: { team: 'ml' },
          annotations: { note: 'x', 'mlstack.io/owner': OWNER },
        },
      );
    });

    it('refuses a Namespace manifest annotated with another owner', async () => {
      workspace({
        'all.yaml': [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {
              name: 'ml-fraud',
              annotations: { 'mlstack.io/owner': 'group:default/other' },
            },
          },
        ],
      });
      await expect(
        run(makeAction().action, { namespace: 'ml-fraud' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          "Namespace 'ml-fraud' is annotated mlstack.io/owner=group:default/other, but this step's owner is group:default/ml-team",
        ),
      });
    });

    it('refuses a namespace no pattern allows, before any request, naming namespace, cluster and patterns', async () => {
      // no msw handler: a request would fail the test
      workspace({ 'all.yaml': [template] });
      await expect(
        run(makeAction().action, { namespace: 'kube-system' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          "may not write to namespace 'kube-system' on cluster 'test': it matches none of the allowed patterns 'ml-*', 'team-*' (mlops.scaffolder.kubernetesApply.namespaces)",
        ),
      });
      // a pattern is anchored: 'ml-*' does not allow 'xml-a'
      await expect(
        run(makeAction().action, { namespace: 'xml-a' }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });

    it('applies only the rules of the cluster (or of every cluster)', async () => {
      workspace({ 'all.yaml': [template] });
      const otherCluster = makeAction({
        kubernetesApply: {
          namespaces: [{ cluster: 'prod', patterns: ['ml-*'] }],
        },
      }).action;
      await expect(
        run(otherCluster, { namespace: 'ml-fraud' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          "on cluster 'test': no namespace patterns are configured for that cluster",
        ),
      });
      fakeKubernetes(server);
      const everyCluster = makeAction({
        kubernetesApply: { namespaces: [{ patterns: ['*'] }] },
      }).action;
      await expect(
        appliedBy(run(everyCluster, { namespace: 'anything' })),
      ).resolves.toContain('WorkflowTemplate in anything');
    });

    it('refuses every namespace when none are configured, naming the key', async () => {
      workspace({ 'all.yaml': [template] });
      await expect(
        run(makeAction({ kubernetesApply: {} }).action, {
          namespace: 'ml-fraud',
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'no namespaces are allowed (configure mlops.scaffolder.kubernetesApply.namespaces',
        ),
      });
    });

    it('refuses an existing namespace of another owner, without writing, naming both owners', async () => {
      const { objects, requests } = fakeKubernetes(server);
      objects.set(
        '/api/v1/namespaces/team-a',
        namespaceObject('team-a', {
          'mlstack.io/owner': 'group:default/team-a',
        }),
      );
      workspace({ 'all.yaml': [template] });
      for (const isDryRun of [false, true]) {
        await expect(
          run(makeAction().action, { namespace: 'team-a' }, { isDryRun }),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            "Namespace 'team-a' on cluster 'test' belongs to group:default/team-a (annotation mlstack.io/owner), not to group:default/ml-team",
          ),
        });
      }
      expect(requests.filter(r => r.method !== 'GET')).toEqual([]);
    });

    describe('a namespace made by someone else between the check and the create', () => {
      /**
       * The namespace is absent when the action reads it; then, before its create (POST)
       * arrives, `made` is stored (another task's namespace), and the create answers what the
       * API server would: 409 AlreadyExists, or (with `createdToo`) 201 and an object someone
       * changes right after.
       */
      function race(made: object | undefined, createdToo = false) {
        const fake = fakeKubernetes(server);
        server.use(
          http.post(`${FAKE_SERVER}/api/v1/namespaces`, async ({ request }) => {
            fake.requests.push({ method: 'POST', path: '/api/v1/namespaces' });
            const body = (await request.json()) as any;
            if (made) {
              fake.objects.set('/api/v1/namespaces/ml-fraud', made);
            }
            return createdToo
              ? HttpResponse.json(body, { status: 201 })
              : HttpResponse.json(
                  {
                    kind: 'Status',
                    code: 409,
                    reason: 'AlreadyExists',
                    message: 'namespaces "ml-fraud" already exists',
                  },
                  { status: 409 },
                );
          }),
        );
        workspace({ 'all.yaml': [template] });
        return fake;
      }

      it("refuses another owner's, naming both owners, and applies nothing else", async () => {
        const { objects, requests } = race(
          namespaceObject('ml-fraud', {
            'mlstack.io/owner': 'group:default/team-a',
          }),
        );
        await expect(
          run(makeAction().action, { namespace: 'ml-fraud' }),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            "Namespace 'ml-fraud' on cluster 'test' belongs to group:default/team-a (annotation mlstack.io/owner), not to group:default/ml-team",
          ),
        });
        expect(requests.filter(r => r.method !== 'GET')).toEqual([
          { method: 'POST', path: '/api/v1/namespaces' },
        ]);
        expect([...objects.keys()]).toEqual(['/api/v1/namespaces/ml-fraud']);
        expect(
          objects.get('/api/v1/namespaces/ml-fraud').metadata.annotations,
        ).toEqual({ 'mlstack.io/owner': 'group:default/team-a' });
      });

      it('refuses one made without the owner annotation', async () => {
        const { requests } = race(namespaceObject('ml-fraud'));
        await expect(
          run(makeAction().action, { namespace: 'ml-fraud' }),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            "Namespace 'ml-fraud' on cluster 'test' already exists without an mlstack.io/owner annotation, so it was not made for group:default/ml-team",
          ),
        });
        expect(requests.filter(r => r.method === 'PATCH')).toEqual([]);
      });

      it('refuses when the annotation read back after the create is not the owner', async () => {
        const { requests } = race(
          namespaceObject('ml-fraud', {
            'mlstack.io/owner': 'group:default/team-a',
          }),
          true,
        );
        await expect(
          run(makeAction().action, { namespace: 'ml-fraud' }),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining('belongs to group:default/team-a'),
        });
        expect(requests.filter(r => r.method === 'PATCH')).toEqual([]);
      });

      it("uses one made for the same owner (another task of the team's), leaving it alone", async () => {
        const { requests } = race(
          namespaceObject('ml-fraud', { 'mlstack.io/owner': OWNER }),
        );
        const { outputs, logLines } = await run(makeAction().action, {
          namespace: 'ml-fraud',
        });
        expect(
          (outputs.applied as any[]).map(a => `${a.kind}:${a.result}`),
        ).toEqual(['Namespace:unchanged', 'WorkflowTemplate:created']);
        expect(
          requests.filter(r => r.method === 'PATCH').map(r => r.path),
        ).toEqual([
          '/apis/argoproj.io/v1alpha1/namespaces/ml-fraud/workflowtemplates/train',
        ]);
        expect(logLines().join('\n')).toContain(
          'was created meanwhile by another task, for group:default/ml-team; using it',
        );
      });
    });

    it('creates a missing namespace with a plain create (POST) carrying the owner annotation', async () => {
      const { requests } = fakeKubernetes(server);
      workspace({ 'all.yaml': [template] });
      await run(makeAction().action, { namespace: 'ml-fraud' });
      const writes = requests.filter(r => r.method !== 'GET');
      expect(writes.map(r => `${r.method} ${r.path}`)).toEqual([
        'POST /api/v1/namespaces',
        'PATCH /api/v1/namespaces/ml-fraud',
        'PATCH /apis/argoproj.io/v1alpha1/namespaces/ml-fraud/workflowtemplates/train',
      ]);
      expect(writes[0].body.metadata).toEqual({
        name: 'ml-fraud',
        annotations: { 'mlstack.io/owner': OWNER },
      });
      expect(writes[0].fieldManager).toBe('mlstack-scaffolder');
    });

    it('applies into an existing namespace annotated for the owner (any spelling), leaving it alone', async () => {
      const { objects, requests } = fakeKubernetes(server);
      objects.set(
        '/api/v1/namespaces/ml-fraud',
        namespaceObject('ml-fraud', { 'mlstack.io/owner': 'Group:ML-Team' }),
      );
      workspace({ 'all.yaml': [template] });
      const { outputs } = await run(makeAction().action, {
        namespace: 'ml-fraud',
      });
      expect(
        (outputs.applied as any[]).map(a => `${a.kind}:${a.result}`),
      ).toEqual(['Namespace:unchanged', 'WorkflowTemplate:created']);
      expect(
        requests.filter(
          r => r.method === 'PATCH' && r.path === '/api/v1/namespaces/ml-fraud',
        ),
      ).toEqual([]);
    });

    it('refuses an existing namespace without the annotation unless mlops.ownership lists it for the owner on that cluster', async () => {
      const { objects, requests } = fakeKubernetes(server);
      objects.set(
        '/api/v1/namespaces/ml-projects',
        namespaceObject('ml-projects'),
      );
      workspace({ 'all.yaml': [template] });
      await expect(
        run(makeAction().action, { namespace: 'ml-projects' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          "Namespace 'ml-projects' on cluster 'test' already exists without an mlstack.io/owner annotation, so it was not made for group:default/ml-team",
        ),
      });
      await expect(
        run(
          makeAction({
            ownership: [
              { owner: 'group:default/team-b', namespaces: ['ml-projects'] },
            ],
          }).action,
          { namespace: 'ml-projects' },
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'belongs to group:default/team-b (mlops.ownership.namespaces), not to group:default/ml-team',
        ),
      });
      await expect(
        run(
          makeAction({
            ownership: [
              { owner: OWNER, cluster: 'prod', namespaces: ['ml-projects'] },
            ],
          }).action,
          { namespace: 'ml-projects' },
        ),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect(requests.filter(r => r.method !== 'GET')).toEqual([]);

      const { outputs } = await run(
        makeAction({
          ownership: [
            { owner: 'ml-team', cluster: 'test', namespaces: ['ml-projects'] },
          ],
        }).action,
        { namespace: 'ml-projects' },
      );
      expect(
        (outputs.applied as any[]).map(a => `${a.kind}:${a.result}`),
      ).toEqual(['Namespace:unchanged', 'WorkflowTemplate:created']);
      // the namespace itself is not touched: the config says whose it is
      expect(
        objects.get('/api/v1/namespaces/ml-projects').metadata.annotations,
      ).toBeUndefined();
    });
  });

  describe('the user who runs the template', () => {
    it('refuses a user who is neither the owner nor a member of it, before any request, also in a dry run', async () => {
      // no msw handler: a request would fail the test
      workspace({ 'all.yaml': [template] });
      const { action, initiator } = makeAction({
        memberOf: ['group:default/other-team'],
      });
      for (const isDryRun of [false, true]) {
        await expect(
          run(
            action,
            { namespace: 'ml-fraud' },
            {
              isDryRun,
              credentials: mockCredentials.user('user:default/bob'),
            },
          ),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            "User user:default/bob is not group:default/ml-team nor a member of it, so this task may not apply into namespace 'ml-fraud' on cluster 'test'",
          ),
        });
      }
      expect(initiator.userInfo.getUserInfo).toHaveBeenCalledWith(
        expect.objectContaining({
          principal: expect.objectContaining({
            userEntityRef: 'user:default/bob',
          }),
        }),
      );
    });

    it('accepts the owner itself: a user who owns the project', async () => {
      fakeKubernetes(server);
      workspace({ 'all.yaml': [template] });
      const { action } = makeAction({ memberOf: [] });
      await expect(
        appliedBy(
          run(
            action,
            { namespace: 'ml-alice', owner: 'user:default/Alice' },
            { credentials: mockCredentials.user('user:default/alice') },
          ),
        ),
      ).resolves.toContain('WorkflowTemplate in ml-alice');
    });

    it('refuses a task started by a service unless allowServiceInitiators', async () => {
      workspace({ 'all.yaml': [template] });
      await expect(
        run(
          makeAction().action,
          { namespace: 'ml-fraud' },
          { credentials: mockCredentials.service('plugin:catalog') },
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          "started by service 'plugin:catalog', not by a user, so it may not apply into namespace 'ml-fraud' on cluster 'test' for group:default/ml-team",
        ),
      });
      await expect(
        run(
          makeAction().action,
          { namespace: 'ml-fraud' },
          { credentials: mockCredentials.none() },
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'mlops.scaffolder.allowServiceInitiators',
        ),
      });
      fakeKubernetes(server);
      const { ctx, logLines } = createActionContext({
        workspacePath: mockDir.path,
        input: {
          owner: OWNER,
          namespace: 'ml-fraud',
          manifestPaths: ['all.yaml'],
        },
        credentials: mockCredentials.service('plugin:catalog'),
      });
      await makeAction({ allowServiceInitiators: true }).action.handler(ctx);
      expect(logLines().join('\n')).toContain(
        "started by service 'plugin:catalog', not by a user; mlops.scaffolder.allowServiceInitiators lets it",
      );
    });
  });

  describe('Secret types', () => {
    const secret = (name: string, type?: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      ...(type ? { type } : {}),
      stringData: { a: 'b' },
    });

    it('allows Opaque Secrets (the default type) and the S3 credentials Secret', async () => {
      const { objects } = fakeKubernetes(server);
      workspace({ 'all.yaml': [secret('plain'), secret('opaque', 'Opaque')] });
      await run(makeAction().action, {
        namespace: 'ml-fraud',
        s3Credentials: { secretName: 'fraud-s3', serviceAccountName: 'models' },
      });
      expect(
        [...objects.keys()].filter(k => k.includes('/secrets/')).sort(),
      ).toEqual([
        '/api/v1/namespaces/ml-fraud/secrets/fraud-s3',
        '/api/v1/namespaces/ml-fraud/secrets/opaque',
        '/api/v1/namespaces/ml-fraud/secrets/plain',
      ]);
    });

    it('refuses another type, such as a service account token, unless configured', async () => {
      workspace({
        'all.yaml': [secret('token', 'kubernetes.io/service-account-token')],
      });
      await expect(
        run(makeAction().action, { namespace: 'ml-fraud' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          "all.yaml#1: Secret 'token' has type 'kubernetes.io/service-account-token'; allowed Secret types are 'Opaque' (mlops.scaffolder.kubernetesApply.secretTypes)",
        ),
      });
      fakeKubernetes(server);
      workspace({ 'all.yaml': [secret('tls', 'kubernetes.io/tls')] });
      await expect(
        appliedBy(
          run(
            makeAction({
              kubernetesApply: {
                namespaces: [{ patterns: ['ml-*'] }],
                secretTypes: ['kubernetes.io/tls'],
              },
            }).action,
            { namespace: 'ml-fraud' },
          ),
        ),
      ).resolves.toContain('Secret in ml-fraud');
    });
  });

  describe('service accounts', () => {
    const withAccount = (spec: object) => ({
      ...template,
      spec: { ...template.spec, ...spec },
    });
    const expectRefused = async (
      docs: unknown[],
      message: string,
      name = 'NotAllowedError',
    ) => {
      workspace({ 'all.yaml': docs });
      await expect(
        run(makeAction().action, { namespace: 'ml-fraud' }),
      ).rejects.toMatchObject({
        name,
        message: expect.stringContaining(message),
      });
    };

    it('allows the accounts the same step creates, also through s3Credentials', async () => {
      const { objects } = fakeKubernetes(server);
      workspace({
        'all.yaml': [
          account('pipeline'),
          account('deployer'),
          withAccount({
            serviceAccountName: 'pipeline',
            executor: { serviceAccountName: 'pipeline' },
            templates: [
              { name: 'main', serviceAccountName: 'deployer' },
              {
                name: 'patched',
                podSpecPatch: '{"serviceAccountName": "pipeline"}',
              },
            ],
          }),
          {
            apiVersion: 'serving.kserve.io/v1beta1',
            kind: 'InferenceService',
            metadata: { name: 'fraud' },
            spec: {
              predictor: {
                serviceAccountName: 'models',
                model: {
                  modelFormat: { name: 'sklearn' },
                  storageUri: 's3://b/m',
                },
              },
            },
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'deployer' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'Role',
              name: 'deployer',
            },
            subjects: [{ kind: 'ServiceAccount', name: 'deployer' }],
          },
        ],
      });
      await run(makeAction().action, {
        namespace: 'ml-fraud',
        s3Credentials: { secretName: 'fraud-s3', serviceAccountName: 'models' },
      });
      expect(objects.size).toBe(8);
    });

    it('refuses a WorkflowTemplate that runs as an account it does not create, naming object, field and account', async () => {
      expect.hasAssertions();
      await expectRefused(
        [
          account('pipeline'),
          withAccount({ serviceAccountName: 'argo-admin' }),
        ],
        "all.yaml#2: WorkflowTemplate 'train' spec.serviceAccountName names ServiceAccount 'argo-admin', which is neither created by this step nor allowed; allowed are the ServiceAccounts this step creates ('pipeline') or mlops.scaffolder.kubernetesApply.serviceAccounts (none)",
      );
      await expectRefused(
        [
          withAccount({
            templates: [{ name: 'main', serviceAccountName: 'default' }],
          }),
        ],
        "spec.templates[0].serviceAccountName names ServiceAccount 'default'",
      );
      await expectRefused(
        [withAccount({ executor: { serviceAccountName: 'other' } })],
        "spec.executor.serviceAccountName names ServiceAccount 'other'",
      );
      await expectRefused(
        [
          withAccount({
            templates: [
              {
                name: 'main',
                podSpecPatch: 'serviceAccountName: other\n',
              },
            ],
          }),
        ],
        "spec.templates[0].podSpecPatch(parsed).serviceAccountName names ServiceAccount 'other'",
      );
    });

    it('refuses an account chosen by an expression or a pod patch that cannot be checked', async () => {
      expect.hasAssertions();
      await expectRefused(
        [withAccount({ serviceAccountName: '{{workflow.parameters.sa}}' })],
        "WorkflowTemplate 'train' spec.serviceAccountName is '{{workflow.parameters.sa}}', not the literal name of a ServiceAccount",
        'InputError',
      );
      await expectRefused(
        [withAccount({ podSpecPatch: '{{workflow.parameters.patch}}' })],
        'spec.podSpecPatch is not a literal pod spec patch',
      );
    });

    it('checks CronWorkflows, every InferenceService component and RoleBinding subjects', async () => {
      expect.hasAssertions();
      await expectRefused(
        [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'CronWorkflow',
            metadata: { name: 'nightly' },
            spec: {
              schedule: '0 2 * * *',
              workflowSpec: { entrypoint: 'main', serviceAccountName: 'x' },
            },
          },
        ],
        "CronWorkflow 'nightly' spec.workflowSpec.serviceAccountName names ServiceAccount 'x'",
      );
      await expectRefused(
        [
          {
            apiVersion: 'serving.kserve.io/v1beta1',
            kind: 'InferenceService',
            metadata: { name: 'fraud' },
            spec: {
              predictor: { model: { modelFormat: { name: 'sklearn' } } },
              transformer: {
                serviceAccountName: 'other-team-models',
                containers: [],
              },
            },
          },
        ],
        "InferenceService 'fraud' spec.transformer.serviceAccountName names ServiceAccount 'other-team-models'",
      );
      await expectRefused(
        [
          {
            apiVersion: 'serving.kserve.io/v1beta1',
            kind: 'InferenceService',
            metadata: { name: 'fraud' },
            spec: { predictor: { serviceAccount: 'legacy' } },
          },
        ],
        "spec.predictor.serviceAccount names ServiceAccount 'legacy'",
      );
      await expectRefused(
        [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'rb' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'Role',
              name: 'r',
            },
            subjects: [{ kind: 'ServiceAccount', name: 'other-project' }],
          },
        ],
        "RoleBinding 'rb' subjects[0].name names ServiceAccount 'other-project'",
      );
    });

    it('allows the accounts of mlops.scaffolder.kubernetesApply.serviceAccounts', async () => {
      fakeKubernetes(server);
      workspace({
        'all.yaml': [withAccount({ serviceAccountName: 'default' })],
      });
      await expect(
        appliedBy(
          run(
            makeAction({
              kubernetesApply: {
                namespaces: [{ patterns: ['ml-*'] }],
                serviceAccounts: ['default'],
              },
            }).action,
            { namespace: 'ml-fraud' },
          ),
        ),
      ).resolves.toContain('WorkflowTemplate in ml-fraud');
    });
  });
});
