/**
 * Against the harness Kubernetes API server (scripts/harness/harness.sh up kube), which serves
 * the upstream Argo Workflows and KServe CRDs with their full schemas.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { loadUpstreamFixtures, requireHarnessService } from '@internal/harness';
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import {
  KubernetesClusters,
  NamespaceOwnershipConfig,
} from '@mlstack/plugin-mlops-node';
import fs from 'node:fs';
import yaml from 'yaml';
import { closedPort } from '../__testUtils__/closedPort';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import type { S3Settings } from '../lib/s3';
import { readScaffolderSettings } from '../lib/settings';
import { ServerSideApplier } from '../lib/serverSideApply';
import { createKubernetesApplyAction } from './kubernetesApply';

const kube = requireHarnessService('kube');
const namespace = `mlops-apply-it-${Date.now()}`;
const s3: S3Settings = {
  endpoint: 'http://minio.minio.svc.cluster.local:9000',
  region: 'us-east-1',
  accessKeyId: 'it-access-key',
  secretAccessKey: 'it-secret-access-key-value',
  forcePathStyle: true,
};

function clusters(token: string, url = kube.server) {
  return KubernetesClusters.fromConfig(
    new ConfigReader({
      mlops: {
        kubernetes: {
          clusters: [
            {
              name: 'harness',
              url,
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

const admin = clusters(kube.adminToken);
const cluster = admin.get();
const core = cluster.coreApi();
const objectsApi = KubernetesObjectApi.makeApiClient(cluster.kubeConfig);
const OWNER = 'group:default/ml-team';
/** The test's namespaces on the harness cluster, for a member of ml-team. */
function restrictions(ownership: object[] = []) {
  const config = new ConfigReader({
    mlops: {
      scaffolder: {
        kubernetesApply: {
          namespaces: [{ cluster: 'harness', patterns: ['mlops-apply-it-*'] }],
        },
      },
      ownership: { namespaces: ownership },
    },
  });
  return {
    policy: readScaffolderSettings(config).kubernetesApply,
    ownership: NamespaceOwnershipConfig.fromConfig(config),
    initiator: testInitiator({ memberOf: [OWNER] }),
  };
}
const action = createKubernetesApplyAction({
  clusters: () => admin,
  s3,
  ...restrictions(),
});

const [workflowTemplate] = loadUpstreamFixtures(
  'argo-workflows/examples/workflowtemplates/templates-steps-and-dag.yaml',
);
const [inferenceService] = loadUpstreamFixtures(
  'kserve/examples/inferenceservices/sklearn-iris-v1.yaml',
);
inferenceService.spec.predictor.serviceAccountName = 'iris-models';

const workspace = createMockDirectory();
function writeManifests(docs: Record<string, unknown[]>) {
  workspace.setContent(
    Object.fromEntries(
      Object.entries(docs).map(([file, list]) => [
        file,
        list.map(d => yaml.stringify(d)).join('---\n'),
      ]),
    ),
  );
}

const input = {
  namespace,
  owner: OWNER,
  manifestPaths: ['k8s/pipeline.yaml', 'k8s/serving.yaml'],
  s3Credentials: { secretName: 'iris-s3', serviceAccountName: 'iris-models' },
};

async function run(
  runInput: Record<string, unknown> = input,
  isDryRun = false,
  action_ = action,
) {
  const context = createActionContext({
    input: runInput,
    isDryRun,
    workspacePath: workspace.path,
  });
  await action_.handler(context.ctx);
  return context;
}

const summary = (applied: unknown) =>
  (applied as Array<{ kind: string; name: string; result: string }>).map(
    a => `${a.kind}/${a.name}:${a.result}`,
  );

async function namespaceExists(): Promise<boolean> {
  return core
    .readNamespace({ name: namespace })
    .then(() => true)
    .catch(error => {
      if (error.code === 404) {
        return false;
      }
      throw error;
    });
}

describe('mlops:kubernetes:apply against the harness API server', () => {
  beforeEach(() => {
    writeManifests({
      'k8s/pipeline.yaml': [workflowTemplate],
      'k8s/serving.yaml': [inferenceService],
    });
  });

  afterAll(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('dry run into a namespace that does not exist yet validates and stores nothing', async () => {
    const { outputs, logLines } = await run(input, true);
    expect(summary(outputs.applied)).toEqual([
      `Namespace/${namespace}:created`,
      'Secret/iris-s3:created',
      'ServiceAccount/iris-models:created',
      'WorkflowTemplate/workflow-template-print-message:created',
      'InferenceService/sklearn-iris:created',
    ]);
    expect(await namespaceExists()).toBe(false);
    const defaultTemplates = await objectsApi
      .list('argoproj.io/v1alpha1', 'WorkflowTemplate', 'default')
      .then(list => list.items.map(i => i.metadata?.name));
    expect(defaultTemplates).not.toContain('workflow-template-print-message');
    expect(logLines().join('\n')).toContain("validated in namespace 'default'");
  });

  it('dry run refuses an InferenceService the CRD schema rejects, with the API server message', async () => {
    const invalid = (predictor: object) =>
      writeManifests({
        'k8s/pipeline.yaml': [workflowTemplate],
        'k8s/serving.yaml': [
          {
            ...inferenceService,
            spec: {
              predictor: { ...inferenceService.spec.predictor, ...predictor },
            },
          },
        ],
      });
    invalid({ minReplicas: 'many' });
    const wrongType = await run(input, true).catch(e => e);
    expect(wrongType.name).toBe('InputError');
    expect(wrongType.message).toContain(
      "Kubernetes cluster 'harness': apply InferenceService 'sklearn-iris' in namespace",
    );
    expect(wrongType.message).toContain(
      '.spec.predictor.minReplicas: expected numeric (int or float), got string',
    );

    invalid({ scaleMetric: 'gpu-temperature' });
    const badEnum = await run(input, true).catch(e => e);
    expect(badEnum.name).toBe('InputError');
    expect(badEnum.message).toMatch(
      /spec\.predictor\.scaleMetric: Unsupported value: "gpu-temperature": supported values: "cpu", "memory", "concurrency", "rps"/,
    );

    invalid({ replicaz: 2 });
    const unknownField = await run(input, true).catch(e => e);
    expect(unknownField.name).toBe('InputError');
    expect(unknownField.message).toContain(
      '.spec.predictor.replicaz: field not declared in schema',
    );
    expect(await namespaceExists()).toBe(false);
  });

  it('creates the namespace and every object once; a re-run changes nothing', async () => {
    const first = await run();
    expect(summary(first.outputs.applied)).toEqual([
      `Namespace/${namespace}:created`,
      'Secret/iris-s3:created',
      'ServiceAccount/iris-models:created',
      'WorkflowTemplate/workflow-template-print-message:created',
      'InferenceService/sklearn-iris:created',
    ]);
    const secret = await core.readNamespacedSecret({
      name: 'iris-s3',
      namespace,
    });
    expect(secret.metadata?.annotations).toEqual({
      'serving.kserve.io/s3-endpoint': 'minio.minio.svc.cluster.local:9000',
      'serving.kserve.io/s3-usehttps': '0',
      'serving.kserve.io/s3-region': 'us-east-1',
    });
    expect(
      Buffer.from(secret.data!.AWS_SECRET_ACCESS_KEY, 'base64').toString(),
    ).toBe(s3.secretAccessKey);
    expect(secret.metadata?.managedFields?.map(f => f.manager)).toEqual([
      'mlstack-scaffolder',
    ]);
    const account = await core.readNamespacedServiceAccount({
      name: 'iris-models',
      namespace,
    });
    expect(account.secrets).toEqual([{ name: 'iris-s3' }]);
    const created = await core.readNamespace({ name: namespace });
    expect(created.metadata?.annotations?.['mlstack.io/owner']).toBe(OWNER);
    const everything =
      JSON.stringify(first.outputs) + first.logLines().join('\n');
    expect(everything).not.toContain(s3.secretAccessKey);
    expect(everything).not.toContain(
      Buffer.from(s3.secretAccessKey).toString('base64'),
    );

    const second = await run();
    expect(summary(second.outputs.applied)).toEqual([
      `Namespace/${namespace}:unchanged`,
      'Secret/iris-s3:unchanged',
      'ServiceAccount/iris-models:unchanged',
      'WorkflowTemplate/workflow-template-print-message:unchanged',
      'InferenceService/sklearn-iris:unchanged',
    ]);
  });

  it('dry run of a change reports configured and leaves the object as it was', async () => {
    const before = await objectsApi.read({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: { name: 'workflow-template-print-message', namespace },
    });
    const changed = structuredClone(workflowTemplate);
    changed.spec.templates[0].container.args = ['changed'];
    writeManifests({
      'k8s/pipeline.yaml': [changed],
      'k8s/serving.yaml': [inferenceService],
    });
    const { outputs } = await run(input, true);
    expect(summary(outputs.applied)).toContain(
      'WorkflowTemplate/workflow-template-print-message:configured',
    );
    expect(summary(outputs.applied)).toContain(
      'InferenceService/sklearn-iris:unchanged',
    );
    const after = await objectsApi.read(before as any);
    expect(after.metadata?.resourceVersion).toBe(
      before.metadata?.resourceVersion,
    );

    const real = await run();
    expect(summary(real.outputs.applied)).toContain(
      'WorkflowTemplate/workflow-template-print-message:configured',
    );
  });

  it('refuses to take over a field another field manager owns', async () => {
    await objectsApi.patch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace },
        data: { threshold: '0.5' },
      } as any,
      undefined,
      undefined,
      'kubectl',
      false,
      PatchStrategy.ServerSideApply,
    );
    writeManifests({
      'cm.yaml': [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'settings' },
          data: { threshold: '0.9' },
        },
      ],
    });
    const error = await run({
      namespace,
      owner: OWNER,
      manifestPaths: ['cm.yaml'],
    }).catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain('conflict with "kubectl"');
    expect(error.message).toContain('.data.threshold');
    expect(error.message).toContain(
      "field manager 'mlstack-scaffolder' without forcing",
    );
    const cm = await core.readNamespacedConfigMap({
      name: 'settings',
      namespace,
    });
    expect(cm.data).toEqual({ threshold: '0.5' });
  });

  it("refuses another owner's namespace and an unclaimed one unless mlops.ownership lists it", async () => {
    const other = `${namespace}-other`;
    const unclaimed = `${namespace}-unclaimed`;
    await core.createNamespace({
      body: {
        metadata: {
          name: other,
          annotations: { 'mlstack.io/owner': 'group:default/team-b' },
        },
      },
    });
    await core.createNamespace({ body: { metadata: { name: unclaimed } } });
    try {
      writeManifests({ 'k8s/pipeline.yaml': [workflowTemplate] });
      const only = (ns: string) => ({
        namespace: ns,
        owner: OWNER,
        manifestPaths: ['k8s/pipeline.yaml'],
      });
      for (const isDryRun of [true, false]) {
        await expect(run(only(other), isDryRun)).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            `Namespace '${other}' on cluster 'harness' belongs to group:default/team-b (annotation mlstack.io/owner), not to ${OWNER}`,
          ),
        });
        await expect(run(only(unclaimed), isDryRun)).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            `Namespace '${unclaimed}' on cluster 'harness' already exists without an mlstack.io/owner annotation`,
          ),
        });
      }
      for (const ns of [other, unclaimed]) {
        const templates = await objectsApi.list(
          'argoproj.io/v1alpha1',
          'WorkflowTemplate',
          ns,
        );
        expect(templates.items).toEqual([]);
      }

      const listed = createKubernetesApplyAction({
        clusters: () => admin,
        s3,
        ...restrictions([
          { owner: 'ml-team', cluster: 'harness', namespaces: [unclaimed] },
        ]),
      });
      const { outputs } = await run(only(unclaimed), false, listed);
      expect(summary(outputs.applied)).toEqual([
        `Namespace/${unclaimed}:unchanged`,
        'WorkflowTemplate/workflow-template-print-message:created',
      ]);
      const after = await core.readNamespace({ name: unclaimed });
      expect(after.metadata?.annotations?.['mlstack.io/owner']).toBeUndefined();
    } finally {
      for (const ns of [other, unclaimed]) {
        await core.deleteNamespace({ name: ns }).catch(() => undefined);
      }
    }
  });

  it('refuses a namespace another owner creates between the check and the create, applying nothing into it', async () => {
    const raced = `${namespace}-raced`;
    writeManifests({ 'k8s/pipeline.yaml': [workflowTemplate] });
    const original = ServerSideApplier.prototype.createNamespace;
    // Another task wins the race: the namespace appears, for team-b, after the action read it
    // as absent and before its create arrives.
    const spy = jest
      .spyOn(ServerSideApplier.prototype, 'createNamespace')
      .mockImplementationOnce(async function (
        this: ServerSideApplier,
        name,
        annotations,
      ) {
        await core.createNamespace({
          body: {
            metadata: {
              name,
              annotations: { 'mlstack.io/owner': 'group:default/team-b' },
            },
          },
        });
        return original.call(this, name, annotations);
      });
    try {
      await expect(
        run({
          namespace: raced,
          owner: OWNER,
          manifestPaths: ['k8s/pipeline.yaml'],
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          `Namespace '${raced}' on cluster 'harness' belongs to group:default/team-b (annotation mlstack.io/owner), not to ${OWNER}`,
        ),
      });
      expect(spy).toHaveBeenCalledTimes(1);
      const after = await core.readNamespace({ name: raced });
      expect(after.metadata?.annotations?.['mlstack.io/owner']).toBe(
        'group:default/team-b',
      );
      expect(after.metadata?.managedFields?.map(f => f.manager)).not.toContain(
        'mlstack-scaffolder',
      );
      const templates = await objectsApi.list(
        'argoproj.io/v1alpha1',
        'WorkflowTemplate',
        raced,
      );
      expect(templates.items).toEqual([]);
    } finally {
      spy.mockRestore();
      await core.deleteNamespace({ name: raced }).catch(() => undefined);
    }
  });

  it('two tasks for one new namespace and two owners, at once: one gets it, the other is refused', async () => {
    const contested = `${namespace}-contested`;
    writeManifests({ 'k8s/pipeline.yaml': [workflowTemplate] });
    const both = createKubernetesApplyAction({
      clusters: () => admin,
      s3,
      ...restrictions(),
      initiator: testInitiator({
        memberOf: [OWNER, 'group:default/team-b'],
      }),
    });
    const task = (owner: string) =>
      run(
        { namespace: contested, owner, manifestPaths: ['k8s/pipeline.yaml'] },
        false,
        both,
      ).then(
        () => 'applied',
        (error: Error) => `${error.name}: ${error.message}`,
      );
    try {
      const results = await Promise.all([
        task(OWNER),
        task('group:default/team-b'),
      ]);
      const winner = results[0] === 'applied' ? OWNER : 'group:default/team-b';
      const loser = winner === OWNER ? 'group:default/team-b' : OWNER;
      expect(results.filter(r => r === 'applied')).toHaveLength(1);
      expect(results.find(r => r !== 'applied')).toContain(
        `NotAllowedError: Namespace '${contested}' on cluster 'harness' belongs to ${winner} (annotation mlstack.io/owner), not to ${loser}`,
      );
      const after = await core.readNamespace({ name: contested });
      expect(after.metadata?.annotations?.['mlstack.io/owner']).toBe(winner);
    } finally {
      await core.deleteNamespace({ name: contested }).catch(() => undefined);
    }
  });

  it('refuses a service-account-token Secret and a pod identity it does not create, before writing', async () => {
    writeManifests({
      'k8s/pipeline.yaml': [
        {
          ...workflowTemplate,
          spec: { ...workflowTemplate.spec, serviceAccountName: 'default' },
        },
      ],
      'k8s/token.yaml': [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'steal',
            annotations: { 'kubernetes.io/service-account.name': 'default' },
          },
          type: 'kubernetes.io/service-account-token',
        },
      ],
    });
    const fresh = `${namespace}-refused`;
    await expect(
      run({
        namespace: fresh,
        owner: OWNER,
        manifestPaths: ['k8s/token.yaml'],
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "Secret 'steal' has type 'kubernetes.io/service-account-token'",
      ),
    });
    await expect(
      run({
        namespace: fresh,
        owner: OWNER,
        manifestPaths: ['k8s/pipeline.yaml'],
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "spec.serviceAccountName names ServiceAccount 'default'",
      ),
    });
    await expect(core.readNamespace({ name: fresh })).rejects.toMatchObject({
      code: 404,
    });
  });

  it('names the cluster when the token is refused or the API server is down', async () => {
    const noRights = createKubernetesApplyAction({
      clusters: () => clusters(kube.noRightsToken),
      s3,
      ...restrictions(),
    });
    await expect(run(input, false, noRights)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        `Kubernetes cluster 'harness': read Namespace '${namespace}' failed (HTTP 403)`,
      ),
    });
    const badToken = createKubernetesApplyAction({
      clusters: () => clusters('not-a-token'),
      s3,
      ...restrictions(),
    });
    await expect(run(input, false, badToken)).rejects.toThrow(
      `Kubernetes cluster 'harness': read Namespace '${namespace}' failed (HTTP 401)`,
    );
    const port = await closedPort();
    const unreachable = createKubernetesApplyAction({
      clusters: () => clusters(kube.adminToken, `https://127.0.0.1:${port}`),
      s3,
      ...restrictions(),
    });
    const error = await run(input, false, unreachable).catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain("Kubernetes cluster 'harness'");
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(kube.adminToken);
  });
});
