/**
 * Against the harness (scripts/harness/harness.sh up s3 mlflow kube): MLflow seeded by the real
 * MLflow client (scripts/harness/seed_mlflow.py, a prefix of its own), and the Kubernetes API
 * server with the upstream KServe CRDs (strict field validation; no KServe controller, so the
 * objects carry no status).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { seedMlflow, requireHarnessService } from '@internal/harness';
import {
  KubernetesClusters,
  MlflowInstances,
  NamespaceOwnershipConfig,
  readDeployTargets,
} from '@mlstack/plugin-mlops-node';
import fs from 'node:fs';
import {
  fakePermissions,
  recordingAuditor,
  RecordedAuditEvent,
} from '../__testUtils__/auditor';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createKserveDeployAction } from './kserveDeploy';

jest.setTimeout(300_000);

const kube = requireHarnessService('kube');
const mlflowUrl = requireHarnessService('mlflow').url;
const stamp = Date.now().toString(36);
const PREFIX = `kdeploy-${stamp}-`;
const MODEL = `${PREFIX}fraud-detector`;
const OWNER = 'group:default/ml-team';
const NS = `kdeploy-it-${stamp}`;
const NS_UNLISTED = `kdeploy-unlisted-${stamp}`;

const admin = KubernetesClusters.fromConfig(
  new ConfigReader({
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
  }),
  { env: {} },
);
const core = admin.get().coreApi();
const custom = admin.get().customObjectsApi();
const isvc = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
  plural: 'inferenceservices',
};

const config = new ConfigReader({
  mlops: {
    mlflow: {
      instances: [
        {
          name: 'main',
          baseUrl: mlflowUrl,
          artifactsDestination: 's3://mlflow-artifacts',
        },
      ],
    },
    deploy: {
      targets: [
        {
          cluster: 'harness',
          namespaces: [NS],
          modes: ['Standard', 'Knative'],
          serviceAccountName: 'kserve-models',
        },
      ],
    },
  },
});

/** The audit events of every run of this file. */
const auditor = recordingAuditor();

function deployAction(
  memberOf: string[] = [OWNER],
  permission: 'ALLOW' | 'DENY' = 'ALLOW',
) {
  return createKserveDeployAction({
    clusters: () => admin,
    mlflow: MlflowInstances.fromConfig(config),
    targets: readDeployTargets(config),
    ownership: new NamespaceOwnershipConfig([]),
    strictOwnership: false,
    initiator: testInitiator({ memberOf }),
    permissions: fakePermissions(() => permission),
    auditor,
  });
}

const input = {
  entityRef: 'component:default/fraud-detector',
  owner: OWNER,
  source: { modelName: MODEL, version: '1' },
  cluster: 'harness',
  namespace: NS,
  serviceName: 'fraud-detector',
  mode: 'Standard',
  resources: { cpuRequest: '100m', memoryLimit: '1Gi' },
  minReplicas: 1,
  maxReplicas: 2,
  mlflowInstance: 'main',
};

async function run(
  runInput: Record<string, unknown>,
  options: {
    isDryRun?: boolean;
    memberOf?: string[];
    permission?: 'ALLOW' | 'DENY';
  } = {},
) {
  const context = createActionContext({
    input: runInput,
    isDryRun: options.isDryRun,
    credentials: mockCredentials.user('user:default/pat'),
  });
  await deployAction(options.memberOf, options.permission).handler(context.ctx);
  return context;
}

async function services(namespace: string): Promise<any[]> {
  const list = (await custom.listNamespacedCustomObject({
    ...isvc,
    namespace,
  })) as { items: any[] };
  return list.items;
}

/** The version's tags, as MLflow has them. */
async function versionTags(version: string): Promise<Record<string, string>> {
  const res = await fetch(
    `${mlflowUrl}/api/2.0/mlflow/model-versions/get?name=${encodeURIComponent(
      MODEL,
    )}&version=${version}`,
  );
  const body = (await res.json()) as {
    model_version: { tags?: Array<{ key: string; value: string }> };
  };
  return Object.fromEntries(
    (body.model_version.tags ?? []).map(t => [t.key, t.value]),
  );
}

beforeAll(async () => {
  await seedMlflow(mlflowUrl, PREFIX, { owner: OWNER });
  for (const name of [NS, NS_UNLISTED]) {
    await core.createNamespace({
      body: {
        metadata: { name, annotations: { 'mlstack.io/owner': OWNER } },
      },
    });
  }
});

afterAll(async () => {
  for (const name of [NS, NS_UNLISTED]) {
    await core.deleteNamespace({ name }).catch(() => undefined);
  }
});

describe('mlops:kserve:deploy against the harness', () => {
  it('as the owner: a dry run stores nothing', async () => {
    const { outputs, logLines } = await run(input, { isDryRun: true });
    expect(outputs).toEqual({
      serviceName: 'fraud-detector',
      namespace: NS,
      action: 'create',
      storageUri: expect.stringMatching(/^s3:\/\/mlflow-artifacts\//),
      modelVersion: '1',
    });
    expect(logLines().join('\n')).toContain('Dry run: the API server accepts');
    expect(await services(NS)).toEqual([]);
    expect(
      Object.keys(await versionTags('1')).filter(k =>
        k.startsWith('mlstack.io/serving/'),
      ),
    ).toEqual([]);
  });

  it('as the owner: creates the InferenceService in the owner’s namespace and tags the version', async () => {
    const auditedBefore = auditor.events.length;
    const { outputs, logLines } = await run(input);
    expect(outputs).toMatchObject({
      serviceName: 'fraud-detector',
      namespace: NS,
      action: 'create',
      modelVersion: '1',
    });
    const [object] = await services(NS);
    expect(object.metadata.name).toBe('fraud-detector');
    expect(object.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'fraud-detector',
    );
    expect(object.metadata.annotations['mlstack.io/entity-ref']).toBe(
      'component:default/fraud-detector',
    );
    expect(
      object.metadata.annotations['serving.kserve.io/deploymentMode'],
    ).toBe('Standard');
    const served = JSON.parse(
      object.metadata.annotations['mlstack.io/served-model'],
    );
    expect(served).toMatchObject({
      instance: 'main',
      modelName: MODEL,
      version: '1',
      storageUri: outputs.storageUri,
      deployedBy: 'user:default/pat',
    });
    const predictor = object.spec.predictor;
    expect(predictor.serviceAccountName).toBe('kserve-models');
    expect(predictor.minReplicas).toBe(1);
    expect(predictor.maxReplicas).toBe(2);
    expect(predictor.model.storageUri).toBe(outputs.storageUri);
    expect(predictor.model.resources).toMatchObject({
      requests: { cpu: '100m' },
      limits: { memory: '1Gi' },
    });
    expect(
      JSON.parse(
        (await versionTags('1'))[
          `mlstack.io/serving/harness/${NS}/fraud-detector`
        ],
      ),
    ).toMatchObject({ role: 'stable', trafficPercent: 100 });
    const log = logLines().join('\n');
    expect(log).toContain(
      `Applied InferenceService 'fraud-detector' in namespace '${NS}' on cluster 'harness': action=create`,
    );
    expect(log).not.toMatch(/secret|password|token/i);

    // The audit record: the object as created, without managedFields.
    const events = auditor.events.slice(auditedBefore);
    expect(events).toHaveLength(1);
    const event = events[0] as RecordedAuditEvent & { endMeta: any };
    expect(event).toMatchObject({
      eventId: 'kserve-deploy',
      severityLevel: 'medium',
      status: 'succeeded',
      meta: {
        entityRef: 'component:default/fraud-detector',
        service: 'fraud-detector',
        namespace: NS,
        cluster: 'harness',
        initiator: 'user:default/pat',
      },
    });
    expect(event.endMeta).toMatchObject({
      action: 'create',
      before: null,
      serviceAccountName: 'kserve-models',
    });
    expect(event.endMeta.after.metadata.uid).toBe(object.metadata.uid);
    expect(event.endMeta.after.metadata.managedFields).toBeUndefined();
  });

  it('as the owner: a canary of the champion beside the served version', async () => {
    const { outputs } = await run({
      ...input,
      source: { modelName: MODEL, alias: 'champion' },
      canaryTrafficPercent: 10,
    });
    expect(outputs).toMatchObject({ action: 'canary', modelVersion: '2' });
    const [object] = await services(NS);
    expect(
      JSON.parse(object.metadata.annotations['mlstack.io/canary-model']),
    ).toMatchObject({ modelName: MODEL, version: '2' });
  });

  it('as a non-member: refused with a clear message, nothing created', async () => {
    await expect(
      run(
        { ...input, serviceName: 'not-mine' },
        { memberOf: ['group:default/risk-team'] },
      ),
    ).rejects.toThrow(
      `User user:default/pat is not ${OWNER} nor a member of it, so this task may not deploy version 1 of registered model '${MODEL}' to namespace '${NS}' on cluster 'harness'`,
    );
    expect((await services(NS)).map(s => s.metadata.name)).toEqual([
      'fraud-detector',
    ]);
  });

  it('a service of another entity: refused naming it, nothing changed, the refusal audited', async () => {
    const [before] = await services(NS);
    const auditedBefore = auditor.events.length;
    await expect(
      run({ ...input, entityRef: 'component:default/other-project' }),
    ).rejects.toThrow(
      `InferenceService 'fraud-detector' in namespace '${NS}' on cluster 'harness' belongs to component:default/fraud-detector (annotation mlstack.io/entity-ref), not to component:default/other-project; choose another name`,
    );
    const [after] = await services(NS);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect(auditor.events.slice(auditedBefore)).toEqual([
      expect.objectContaining({ eventId: 'kserve-deploy', status: 'failed' }),
    ]);
  });

  it('denied by the permission policy: refused naming the user, the permission and the entity, nothing created', async () => {
    await expect(
      run({ ...input, serviceName: 'denied' }, { permission: 'DENY' }),
    ).rejects.toThrow(
      'User user:default/pat may not mlops.kserve.service.deploy on component:default/fraud-detector',
    );
    expect((await services(NS)).map(s => s.metadata.name)).toEqual([
      'fraud-detector',
    ]);
  });

  it('a namespace mlops.deploy.targets does not list: refused, nothing created', async () => {
    await expect(
      run({ ...input, namespace: NS_UNLISTED, serviceName: 'unlisted' }),
    ).rejects.toThrow(
      `mlops:kserve:deploy may not deploy to namespace '${NS_UNLISTED}' on cluster 'harness': it is not a deploy target (mlops.deploy.targets lists harness/${NS})`,
    );
    expect(await services(NS_UNLISTED)).toEqual([]);
  });
});
