import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NamespaceOwnershipConfig } from '@mlstack/plugin-mlops-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { fakeClusters, fakeKubernetes } from '../__testUtils__/fakeKubernetes';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import type { S3Settings } from '../lib/s3';
import { readScaffolderSettings } from '../lib/settings';
import { createKubernetesApplyAction } from './kubernetesApply';

const server = setupServer();
registerMswTestHooks(server);

const s3: S3Settings = {
  endpoint: 'http://minio.minio.svc:9000',
  region: 'eu-west-1',
  accessKeyId: 'minio-access-key',
  secretAccessKey: 'minio-very-secret',
  forcePathStyle: true,
};

const template = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: { name: 'train' },
  spec: { entrypoint: 'main', templates: [{ name: 'main' }] },
};
const isvc = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'fraud', namespace: 'fraud' },
  spec: {
    predictor: {
      serviceAccountName: 'models',
      model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://b/m' },
    },
  },
};

const mockDir = createMockDirectory();
function workspace(files: Record<string, unknown[] | string>) {
  mockDir.setContent(
    Object.fromEntries(
      Object.entries(files).map(([name, docs]) => [
        name,
        typeof docs === 'string'
          ? docs
          : docs.map(d => yaml.stringify(d)).join('---\n'),
      ]),
    ),
  );
  return mockDir.path;
}

const OWNER = 'group:default/ml-team';
/** fraud and fraud-* on the fake cluster 'test', for a user of ml-team. */
const restrictions = {
  policy: readScaffolderSettings(
    new ConfigReader({
      mlops: {
        scaffolder: {
          kubernetesApply: {
            namespaces: [{ cluster: 'test', patterns: ['fraud', 'fraud-*'] }],
            // the predictor's account of `isvc`, when the test does not create it
            serviceAccounts: ['models'],
          },
        },
      },
    }),
  ).kubernetesApply,
  ownership: new NamespaceOwnershipConfig([]),
  initiator: testInitiator({ memberOf: [OWNER] }),
};

const action = createKubernetesApplyAction({
  clusters: () => fakeClusters(),
  s3,
  ...restrictions,
});

describe('mlops:kubernetes:apply', () => {
  it('creates the namespace first, then applies every object as mlstack-scaffolder without force', async () => {
    const { requests, objects } = fakeKubernetes(server);
    const { ctx, outputs } = createActionContext({
      workspacePath: workspace({ 'k8s/all.yaml': [isvc, template] }),
      input: {
        owner: OWNER,
        namespace: 'fraud',
        manifestPaths: ['k8s/all.yaml'],
      },
    });
    await action.handler(ctx);
    expect(outputs.applied).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'fraud',
        namespace: 'fraud',
        result: 'created',
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'WorkflowTemplate',
        name: 'train',
        namespace: 'fraud',
        result: 'created',
      },
      {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        name: 'fraud',
        namespace: 'fraud',
        result: 'created',
      },
    ]);
    const patches = requests.filter(r => r.method === 'PATCH');
    expect(patches.map(p => p.path)).toEqual([
      '/api/v1/namespaces/fraud',
      '/apis/argoproj.io/v1alpha1/namespaces/fraud/workflowtemplates/train',
      '/apis/serving.kserve.io/v1beta1/namespaces/fraud/inferenceservices/fraud',
    ]);
    for (const patch of patches) {
      expect(patch).toMatchObject({
        fieldManager: 'mlstack-scaffolder',
        force: 'false',
        contentType: 'application/apply-patch+yaml',
        dryRun: undefined,
      });
    }
    expect(
      objects.get(
        '/apis/argoproj.io/v1alpha1/namespaces/fraud/workflowtemplates/train',
      ).metadata.namespace,
    ).toBe('fraud');
  });

  it('drops what the API server maintains from an exported manifest', async () => {
    const { requests } = fakeKubernetes(server);
    const exported = {
      ...template,
      metadata: {
        ...template.metadata,
        resourceVersion: '42',
        uid: 'u-1',
        managedFields: [{ manager: 'kubectl' }],
      },
      status: { phase: 'x' },
    };
    const { ctx } = createActionContext({
      workspacePath: workspace({ 'wt.yaml': [exported] }),
      input: { owner: OWNER, namespace: 'fraud', manifestPaths: ['wt.yaml'] },
    });
    await action.handler(ctx);
    const patch = requests.find(
      r => r.method === 'PATCH' && r.path.endsWith('/workflowtemplates/train'),
    )!;
    expect(patch.body.metadata).toEqual({ name: 'train', namespace: 'fraud' });
    expect(patch.body.status).toBeUndefined();
  });

  it('reports unchanged on a re-run, configured after a change, and leaves an existing namespace alone', async () => {
    const { requests, objects } = fakeKubernetes(server);
    const dir = workspace({ 'wt.yaml': [template] });
    const run = async () => {
      const { ctx, outputs } = createActionContext({
        workspacePath: dir,
        input: { owner: OWNER, namespace: 'fraud', manifestPaths: ['wt.yaml'] },
      });
      await action.handler(ctx);
      return (outputs.applied as any[]).map(a => `${a.kind}:${a.result}`);
    };
    expect(await run()).toEqual([
      'Namespace:created',
      'WorkflowTemplate:created',
    ]);
    expect(await run()).toEqual([
      'Namespace:unchanged',
      'WorkflowTemplate:unchanged',
    ]);
    workspace({
      'wt.yaml': [
        { ...template, spec: { ...template.spec, entrypoint: 'other' } },
      ],
    });
    expect(await run()).toEqual([
      'Namespace:unchanged',
      'WorkflowTemplate:configured',
    ]);
    expect(
      requests.filter(
        r => r.method === 'PATCH' && r.path === '/api/v1/namespaces/fraud',
      ),
    ).toHaveLength(1);
    expect(objects.size).toBe(2);
  });

  it('adds the S3 credentials Secret for KServe and its ServiceAccount, never showing the values', async () => {
    const { objects } = fakeKubernetes(server);
    const { ctx, outputs, logLines } = createActionContext({
      workspacePath: workspace({ 'isvc.yaml': [isvc] }),
      input: {
        owner: OWNER,
        namespace: 'fraud',
        manifestPaths: ['isvc.yaml'],
        s3Credentials: { secretName: 'fraud-s3', serviceAccountName: 'models' },
      },
    });
    await action.handler(ctx);
    expect((outputs.applied as any[]).map(a => `${a.kind}/${a.name}`)).toEqual([
      'Namespace/fraud',
      'Secret/fraud-s3',
      'ServiceAccount/models',
      'InferenceService/fraud',
    ]);
    const secret = objects.get('/api/v1/namespaces/fraud/secrets/fraud-s3');
    expect(secret.metadata.annotations).toEqual({
      'serving.kserve.io/s3-endpoint': 'minio.minio.svc:9000',
      'serving.kserve.io/s3-usehttps': '0',
      'serving.kserve.io/s3-region': 'eu-west-1',
    });
    expect(
      Object.fromEntries(
        Object.entries(secret.data).map(([k, v]) => [
          k,
          Buffer.from(String(v), 'base64').toString('utf8'),
        ]),
      ),
    ).toEqual({
      AWS_ACCESS_KEY_ID: 'minio-access-key',
      AWS_SECRET_ACCESS_KEY: 'minio-very-secret',
    });
    const account = objects.get(
      '/api/v1/namespaces/fraud/serviceaccounts/models',
    );
    expect(account.secrets).toEqual([{ name: 'fraud-s3' }]);
    const everything = JSON.stringify(outputs) + logLines().join('\n');
    for (const secretText of [
      'minio-very-secret',
      Buffer.from('minio-very-secret').toString('base64'),
      'minio-access-key',
    ]) {
      expect(everything).not.toContain(secretText);
    }
  });

  it('uses https and port 443 in the KServe annotations for an https endpoint without a port', async () => {
    const { objects } = fakeKubernetes(server);
    const secure = createKubernetesApplyAction({
      clusters: () => fakeClusters(),
      s3: { ...s3, endpoint: 'https://s3.example.com' },
      ...restrictions,
    });
    const { ctx } = createActionContext({
      workspacePath: workspace({}),
      input: {
        owner: OWNER,
        namespace: 'fraud',
        manifestPaths: [],
        s3Credentials: { secretName: 's3', serviceAccountName: 'sa' },
      },
    });
    await secure.handler(ctx);
    expect(
      objects.get('/api/v1/namespaces/fraud/secrets/s3').metadata.annotations,
    ).toMatchObject({
      'serving.kserve.io/s3-endpoint': 's3.example.com:443',
      'serving.kserve.io/s3-usehttps': '1',
    });
  });

  it('dry run: every write is dryRun=All and nothing is stored', async () => {
    const { requests, objects } = fakeKubernetes(server);
    objects.set('/api/v1/namespaces/default', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default', resourceVersion: '1' },
    });
    const { ctx, outputs } = createActionContext({
      workspacePath: workspace({ 'all.yaml': [template, isvc] }),
      input: {
        owner: OWNER,
        namespace: 'fraud',
        manifestPaths: ['all.yaml'],
        s3Credentials: { secretName: 'fraud-s3', serviceAccountName: 'models' },
      },
      isDryRun: true,
    });
    await action.handler(ctx);
    expect(
      (outputs.applied as any[]).map(
        a => `${a.kind}:${a.namespace}:${a.result}`,
      ),
    ).toEqual([
      'Namespace:fraud:created',
      'Secret:fraud:created',
      'ServiceAccount:fraud:created',
      'WorkflowTemplate:fraud:created',
      'InferenceService:fraud:created',
    ]);
    const writes = requests.filter(r => r.method !== 'GET');
    expect(writes.length).toBe(5);
    expect(writes.every(w => w.dryRun === 'All')).toBe(true);
    // validated in the stand-in namespace, as the real one does not exist yet
    expect(writes[1].path).toBe('/api/v1/namespaces/default/secrets/fraud-s3');
    expect([...objects.keys()]).toEqual(['/api/v1/namespaces/default']);
  });

  it('does not apply again on a retried task (checkpoints)', async () => {
    const { requests } = fakeKubernetes(server);
    const dir = workspace({ 'wt.yaml': [template] });
    const first = createActionContext({
      workspacePath: dir,
      input: { owner: OWNER, namespace: 'fraud', manifestPaths: ['wt.yaml'] },
    });
    await action.handler(first.ctx);
    // only the namespace's owner is read again (it must still be the owner's)
    const writes = () => requests.filter(r => r.method !== 'GET');
    const count = writes().length;
    const retry = createActionContext({
      workspacePath: dir,
      input: { owner: OWNER, namespace: 'fraud', manifestPaths: ['wt.yaml'] },
      checkpoints: first.checkpoints,
    });
    await action.handler(retry.ctx);
    expect(writes().length).toBe(count);
    expect(retry.outputs.applied).toEqual(first.outputs.applied);
  });

  it('rejects bad input before calling the cluster', async () => {
    // no msw handler: a request would fail the test
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    fs.writeFileSync(path.join(outside, 'x.yaml'), yaml.stringify(template));
    const dir = workspace({
      'ok.yaml': [template],
      'other-ns.yaml': [
        { ...template, metadata: { name: 'x', namespace: 'kube-system' } },
      ],
      'pod.yaml': [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }],
      'crb.yaml': [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'admin' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'cluster-admin',
          },
          subjects: [{ kind: 'ServiceAccount', name: 'default' }],
        },
      ],
      'ns.yaml': [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'kube-system' },
        },
      ],
      'gen.yaml': [{ ...template, metadata: { generateName: 'train-' } }],
      'dup.yaml': [template, template],
      'broken.yaml': 'kind: [unclosed',
    });
    fs.symlinkSync(path.join(outside, 'x.yaml'), path.join(dir, 'link.yaml'));
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { owner: OWNER, namespace: 'Fraud_NS', manifestPaths: ['ok.yaml'] },
        "namespace 'Fraud_NS' is not a valid Kubernetes name",
      ],
      [
        {
          owner: OWNER,
          namespace: 'fraud',
          manifestPaths: ['../../etc/passwd'],
        },
        "'../../etc/passwd' points outside the workspace",
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['/etc/passwd'] },
        'must be a path relative to the workspace',
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['link.yaml'] },
        "'link.yaml' points outside the workspace",
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['missing.yaml'] },
        "'missing.yaml' does not exist",
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['other-ns.yaml'] },
        "names namespace 'kube-system', but this step applies to namespace 'fraud' only",
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['pod.yaml'] },
        'Pod (v1) may not be applied by this action',
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['crb.yaml'] },
        "must bind a Role of the namespace, not ClusterRole 'cluster-admin'",
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['ns.yaml'] },
        "only the namespace 'fraud' itself may be applied",
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['gen.yaml'] },
        'generateName is not supported',
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['dup.yaml'] },
        "dup.yaml#2: WorkflowTemplate 'train' is already defined in dup.yaml#1",
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: ['broken.yaml'] },
        'broken.yaml#1: not valid YAML',
      ],
      [
        { owner: OWNER, namespace: 'fraud', manifestPaths: [] },
        'Nothing to apply',
      ],
      [
        {
          owner: OWNER,
          namespace: 'fraud',
          manifestPaths: ['ok.yaml'],
          s3Credentials: { secretName: 'S3!', serviceAccountName: 'sa' },
        },
        "s3Credentials.secretName 'S3!' is not a valid Kubernetes object name",
      ],
      [
        {
          owner: OWNER,
          namespace: 'fraud',
          manifestPaths: ['ok.yaml'],
          cluster: 'nope',
        },
        "Unknown Kubernetes cluster 'nope'",
      ],
    ];
    for (const [input, message] of cases) {
      const { ctx } = createActionContext({ workspacePath: dir, input });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    }
    const noS3 = createKubernetesApplyAction({
      clusters: () => fakeClusters(),
      ...restrictions,
    });
    const { ctx } = createActionContext({
      workspacePath: dir,
      input: {
        owner: OWNER,
        namespace: 'fraud',
        manifestPaths: ['ok.yaml'],
        s3Credentials: { secretName: 'a', serviceAccountName: 'b' },
      },
    });
    await expect(noS3.handler(ctx)).rejects.toThrow(
      "'mlops.s3' is not configured",
    );
  });

  it('turns a field-manager conflict into an error naming the field manager', async () => {
    server.use(
      http.get('https://k8s.test/api/v1', () =>
        HttpResponse.json({
          kind: 'APIResourceList',
          groupVersion: 'v1',
          resources: [
            {
              name: 'namespaces',
              kind: 'Namespace',
              namespaced: false,
              singularName: '',
              verbs: [],
            },
          ],
        }),
      ),
      http.get('https://k8s.test/api/v1/namespaces/fraud', () =>
        HttpResponse.json({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: 'fraud',
            resourceVersion: '1',
            annotations: { 'mlstack.io/owner': OWNER },
          },
        }),
      ),
      http.patch('https://k8s.test/api/v1/namespaces/fraud', () =>
        HttpResponse.json(
          {
            kind: 'Status',
            code: 409,
            reason: 'Conflict',
            message:
              'Apply failed with 1 conflict: conflict with "kubectl" using v1: .metadata.labels.team',
          },
          { status: 409 },
        ),
      ),
    );
    const { ctx } = createActionContext({
      workspacePath: workspace({
        'ns.yaml': [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'fraud', labels: { team: 'a' } },
          },
        ],
      }),
      input: { owner: OWNER, namespace: 'fraud', manifestPaths: ['ns.yaml'] },
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain(
      "Kubernetes cluster 'test': apply Namespace 'fraud' failed (HTTP 409): Apply failed with 1 conflict: conflict with \"kubectl\" using v1: .metadata.labels.team",
    );
    expect(error.message).toContain(
      "field manager 'mlstack-scaffolder' without forcing",
    );
  });

  it('names the cluster when its API server cannot be reached, without the token', async () => {
    server.use(http.all('https://127.0.0.1:1/*', () => HttpResponse.error()));
    const down = createKubernetesApplyAction({
      clusters: () => fakeClusters('https://127.0.0.1:1'),
      ...restrictions,
    });
    const { ctx } = createActionContext({
      workspacePath: workspace({ 'wt.yaml': [template] }),
      input: { owner: OWNER, namespace: 'fraud', manifestPaths: ['wt.yaml'] },
    });
    const error = await down.handler(ctx).catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain(
      "Kubernetes cluster 'test': read Namespace 'fraud' failed",
    );
    expect(error.message).not.toContain('kube-secret-token');
  });
});
