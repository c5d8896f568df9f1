import { mockCredentials } from '@backstage/backend-test-utils';
import type { DeploySource, ResolvedModel } from '@mlstack/plugin-mlops-common';
import type {
  DeployInput,
  KubernetesClusters,
  MlflowInstances,
  ModelOrigin,
} from '@mlstack/plugin-mlops-node';
import { NamespaceOwnershipConfig } from '@mlstack/plugin-mlops-node';
import { fakePermissions, recordingAuditor } from '../__testUtils__/auditor';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createKserveDeployAction, KserveDeployer } from './kserveDeploy';

const OWNER = 'group:default/ml-team';
const ENTITY = 'component:default/fraud-detector';

const model: ResolvedModel = {
  instance: 'main',
  modelName: 'fraud-detector',
  version: '2',
  storageUri: 's3://mlflow-artifacts/1/models/m-abc/artifacts',
  flavors: ['python_function', 'sklearn'],
  runtime: {
    name: 'kserve-sklearnserver',
    modelFormat: 'sklearn',
    protocolVersion: 'v2',
    flavors: ['sklearn'],
  },
  deployedAt: '2025-01-01T00:00:00.000Z',
};

/** The existing service, deployed for `entityRef` (no annotation when null). */
function existingService(entityRef: string | null = ENTITY) {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'fraud-detector',
      namespace: 'fraud-detection',
      resourceVersion: '7',
      annotations: entityRef ? { 'mlstack.io/entity-ref': entityRef } : {},
      managedFields: [{ manager: 'mlstack-portal' }],
    },
    spec: { predictor: {} },
  };
}

/** A stand-in deploy core: resolves to `model` after the origin check, records every deploy. */
function fakeDeployer(
  options: {
    origin?: ModelOrigin;
    existing?: boolean;
    existingFor?: string | null;
  } = {},
) {
  const current = options.existing
    ? existingService(
        options.existingFor === undefined ? ENTITY : options.existingFor,
      )
    : undefined;
  const deploys: Array<{ input: DeployInput; dryRun: boolean }> = [];
  const resolved: DeploySource[] = [];
  const retags: unknown[][] = [];
  const deployer: KserveDeployer = {
    async readService() {
      return current;
    },
    async resolveModel(source, opts) {
      resolved.push(source);
      await opts.checkOrigin(
        options.origin ??
          (source.type === 'loggedModel'
            ? { experimentId: '7' }
            : { modelName: source.modelName }),
      );
      return { ...model, deployedBy: opts.actor };
    },
    async deploy(input, opts) {
      deploys.push({ input, dryRun: opts.dryRun });
      let action: 'create' | 'replace' | 'canary' = 'create';
      if (options.existing) {
        action = input.canaryTrafficPercent > 0 ? 'canary' : 'replace';
      }
      return {
        plan: {
          action,
          manifest: {},
          previous: {},
          notes: action === 'canary' ? ['a canary note'] : [],
        },
        model: opts.model,
        before: current,
        after: {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: {
            name: input.serviceName,
            namespace: input.namespace,
            resourceVersion: opts.dryRun ? undefined : '42',
            managedFields: [{ manager: 'mlstack-portal' }],
          },
          spec: { predictor: {} },
          status: opts.dryRun
            ? undefined
            : { url: `http://${input.serviceName}.example.com` },
        },
      };
    },
    async retag() {
      retags.push([]);
      return { written: ['fraud-detector v2'], removed: [], failed: [] };
    },
  };
  return { deployer, deploys, resolved, retags };
}

function setup(
  options: {
    namespaceAnnotations?: Record<string, string> | null;
    modelTags?: Record<string, string> | undefined;
    experimentTags?: Record<string, string>;
    strict?: boolean;
    memberOf?: string[];
    existing?: boolean;
    existingFor?: string | null;
    ownership?: NamespaceOwnershipConfig;
    permission?: 'ALLOW' | 'DENY';
  } = {},
) {
  const fake = fakeDeployer({
    existing: options.existing,
    existingFor: options.existingFor,
  });
  const permissions = fakePermissions(() => options.permission ?? 'ALLOW');
  const auditor = recordingAuditor();
  const namespaceReads: string[] = [];
  const clusters = {
    get: (name?: string) => ({
      name: name ?? 'harness',
      async readNamespaceMetadata(ns: string) {
        namespaceReads.push(ns);
        if (options.namespaceAnnotations === null) return undefined;
        return {
          labels: {},
          annotations: options.namespaceAnnotations ?? {
            'mlstack.io/owner': OWNER,
          },
        };
      },
    }),
  } as unknown as KubernetesClusters;
  const client = {
    name: 'main',
    getRegisteredModelTags: jest.fn(async () =>
      'modelTags' in options
        ? options.modelTags
        : { 'mlstack.io/owner': OWNER },
    ),
    getExperiment: jest.fn(async (id: string) => ({
      experimentId: id,
      name: 'fraud-detector',
      tags: options.experimentTags ?? { 'mlstack.io/owner': OWNER },
    })),
  };
  const mlflow = {
    get: jest.fn(() => client),
  } as unknown as MlflowInstances;
  const action = createKserveDeployAction({
    clusters: () => clusters,
    mlflow,
    targets: [
      {
        cluster: 'harness',
        namespace: 'fraud-detection',
        modes: ['Standard', 'Knative'],
        serviceAccountName: 'kserve-models',
        serviceAccountNames: ['kserve-models', 'kserve-gpu'],
      },
      {
        cluster: 'harness',
        namespace: 'knative-only',
        modes: ['Knative'],
        serviceAccountNames: [],
      },
    ],
    ownership: options.ownership ?? new NamespaceOwnershipConfig([]),
    strictOwnership: options.strict ?? false,
    initiator: testInitiator({ memberOf: options.memberOf ?? [OWNER] }),
    permissions,
    auditor,
    deployer: () => fake.deployer,
  });
  return { action, fake, client, namespaceReads, permissions, auditor };
}

const input = {
  entityRef: 'component:default/fraud-detector',
  owner: 'group:default/ml-team',
  source: { modelName: 'fraud-detector', version: '2' },
  cluster: 'harness',
  namespace: 'fraud-detection',
  serviceName: 'fraud-detector',
  mode: 'Standard',
};

async function run(
  s: ReturnType<typeof setup>,
  runInput: Record<string, unknown> = input,
  extra: { isDryRun?: boolean; checkpoints?: Map<string, unknown> } = {},
) {
  const context = createActionContext({ input: runInput, ...extra });
  await s.action.handler(context.ctx);
  return context;
}

describe('mlops:kserve:deploy', () => {
  it('dry-runs on the server, then applies once, tags MLflow and outputs what it did', async () => {
    const s = setup();
    const { outputs, logLines, checkpoints } = await run(s);
    expect(s.fake.deploys.map(d => d.dryRun)).toEqual([true, false]);
    expect(s.fake.deploys[1].input).toEqual({
      source: {
        type: 'modelVersion',
        modelName: 'fraud-detector',
        version: '2',
      },
      namespace: 'fraud-detection',
      serviceName: 'fraud-detector',
      mode: 'Standard',
      runtime: undefined,
      canaryTrafficPercent: 0,
      resources: undefined,
      minReplicas: undefined,
      maxReplicas: undefined,
      serviceAccountName: 'kserve-models',
      entityRef: 'component:default/fraud-detector',
      labels: { 'backstage.io/kubernetes-id': 'fraud-detector' },
      actor: 'user:default/mock',
      // a new service: it must still be new when applied
      expectedResourceVersion: null,
    });
    expect(s.fake.retags).toHaveLength(1);
    expect(outputs).toEqual({
      serviceName: 'fraud-detector',
      namespace: 'fraud-detection',
      action: 'create',
      storageUri: model.storageUri,
      modelVersion: '2',
      url: 'http://fraud-detector.example.com',
    });
    expect(checkpoints.size).toBe(1);
    const log = logLines().join('\n');
    expect(log).toContain(
      "Applied InferenceService 'fraud-detector' in namespace 'fraud-detection' on cluster 'harness': action=create, mode=Standard",
    );
    expect(log).toContain(`storageUri=${model.storageUri}`);
    expect(log).toContain('serviceAccountName=kserve-models');
  });

  it('a retried task does not apply again (checkpoint)', async () => {
    const s = setup();
    const first = await run(s);
    const again = await run(s, input, { checkpoints: first.checkpoints });
    // the dry run is repeated; the apply and the tags are not
    expect(s.fake.deploys.map(d => d.dryRun)).toEqual([true, false, true]);
    expect(s.fake.retags).toHaveLength(1);
    expect(again.outputs.action).toBe('create');
    expect(again.outputs.url).toBe('http://fraud-detector.example.com');
  });

  it('in a dry run of the task only the server-side dry run happens', async () => {
    const s = setup({ existing: true });
    const { outputs, logLines, checkpoints } = await run(
      s,
      { ...input, canaryTrafficPercent: 10 },
      { isDryRun: true },
    );
    expect(s.fake.deploys.map(d => d.dryRun)).toEqual([true]);
    expect(s.fake.retags).toHaveLength(0);
    expect(checkpoints.size).toBe(0);
    expect(outputs).toEqual({
      serviceName: 'fraud-detector',
      namespace: 'fraud-detection',
      action: 'canary',
      storageUri: model.storageUri,
      modelVersion: '2',
    });
    const log = logLines().join('\n');
    expect(log).toContain('Dry run: the API server accepts');
    expect(log).toContain('canaryTrafficPercent=10');
    expect(log).toContain('a canary note');
  });

  it('passes an alias, a logged model, resources and replicas to the deploy core', async () => {
    const s = setup();
    await run(s, {
      ...input,
      source: { modelName: 'fraud-detector', alias: 'champion' },
      mode: undefined,
      resources: { cpuRequest: '100m', memoryLimit: '1Gi' },
      minReplicas: 1,
      maxReplicas: 3,
      runtime: 'kserve-mlserver',
    });
    expect(s.fake.resolved[0]).toEqual({
      type: 'modelAlias',
      modelName: 'fraud-detector',
      alias: 'champion',
    });
    expect(s.fake.deploys[1].input).toMatchObject({
      mode: 'Standard', // the target's first mode
      resources: { cpuRequest: '100m', memoryLimit: '1Gi' },
      minReplicas: 1,
      maxReplicas: 3,
      runtime: 'kserve-mlserver',
    });
    const t = setup();
    const { outputs } = await run(t, {
      ...input,
      source: { loggedModelId: 'm-abc' },
    });
    expect(t.fake.resolved[0]).toEqual({
      type: 'loggedModel',
      modelId: 'm-abc',
    });
    expect(t.client.getExperiment).toHaveBeenCalledWith('7');
    expect(outputs.action).toBe('create');
  });

  it('refuses a user who is neither the owner nor a member of it, before reading anything', async () => {
    const s = setup({ memberOf: ['group:default/other-team'] });
    await expect(run(s)).rejects.toThrow(
      "User user:default/mock is not group:default/ml-team nor a member of it, so this task may not deploy version 2 of registered model 'fraud-detector' to namespace 'fraud-detection' on cluster 'harness'",
    );
    expect(s.namespaceReads).toEqual([]);
    expect(s.fake.deploys).toEqual([]);
  });

  it('refuses a task started by a service', async () => {
    const s = setup();
    const context = createActionContext({
      input,
      credentials: mockCredentials.service('external:ci'),
    });
    await expect(s.action.handler(context.ctx)).rejects.toThrow(
      /started by service 'external:ci', not by a user/,
    );
    expect(s.fake.deploys).toEqual([]);
  });

  it('refuses a namespace or cluster that mlops.deploy.targets does not list', async () => {
    const s = setup();
    await expect(run(s, { ...input, namespace: 'elsewhere' })).rejects.toThrow(
      "mlops:kserve:deploy may not deploy to namespace 'elsewhere' on cluster 'harness': it is not a deploy target (mlops.deploy.targets lists harness/fraud-detection, harness/knative-only)",
    );
    await expect(run(s, { ...input, cluster: 'prod' })).rejects.toThrow(
      /not a deploy target/,
    );
    expect(s.namespaceReads).toEqual([]);
    expect(s.fake.deploys).toEqual([]);
  });

  it('refuses a mode the target does not allow', async () => {
    const s = setup();
    await expect(
      run(s, { ...input, namespace: 'knative-only', mode: 'Standard' }),
    ).rejects.toThrow(
      'Deploy target harness/knative-only allows Knative mode, not Standard',
    );
  });

  it.each([
    [
      null,
      "Namespace 'fraud-detection' does not exist on cluster 'harness'; a deploy does not create namespaces",
    ],
    [
      { 'mlstack.io/owner': 'group:default/risk-team' },
      "Namespace 'fraud-detection' on cluster 'harness' belongs to group:default/risk-team (annotation mlstack.io/owner), not to group:default/ml-team",
    ],
    [
      {},
      "Namespace 'fraud-detection' on cluster 'harness' already exists without an mlstack.io/owner annotation",
    ],
  ])(
    'refuses a namespace that is not the owner’s (%j)',
    async (annotations, message) => {
      const s = setup({ namespaceAnnotations: annotations });
      await expect(run(s)).rejects.toThrow(message);
      expect(s.fake.deploys).toEqual([]);
    },
  );

  it('accepts a namespace without annotation that mlops.ownership.namespaces gives the owner', async () => {
    const s = setup({
      namespaceAnnotations: {},
      ownership: new NamespaceOwnershipConfig([
        { owner: OWNER, namespaces: ['fraud-detection'] },
      ]),
    });
    await run(s);
    expect(s.fake.deploys).toHaveLength(2);
  });

  it('refuses a model tagged for another owner; an untagged one only when strict', async () => {
    const other = setup({
      modelTags: { 'mlstack.io/owner': 'group:default/risk-team' },
    });
    await expect(run(other)).rejects.toThrow(
      "MLflow registered model 'fraud-detector' on instance 'main' belongs to group:default/risk-team (tag mlstack.io/owner), not to group:default/ml-team",
    );
    expect(other.fake.deploys).toEqual([]);

    const untagged = setup({ modelTags: {} });
    const { logLines } = await run(untagged);
    expect(logLines().join('\n')).toContain('has no mlstack.io/owner tag');
    expect(untagged.fake.deploys).toHaveLength(2);

    const strict = setup({ modelTags: {}, strict: true });
    await expect(run(strict)).rejects.toThrow(
      'mlops.ownership.strict refuses unclaimed models',
    );
    expect(strict.fake.deploys).toEqual([]);

    const missing = setup({ modelTags: undefined });
    await expect(run(missing)).rejects.toThrow(
      "MLflow registered model 'fraud-detector' does not exist on instance 'main'",
    );
  });

  it('refuses a logged model whose experiment is another owner’s', async () => {
    const s = setup({
      experimentTags: { 'mlstack.io/owner': 'group:default/risk-team' },
    });
    await expect(
      run(s, { ...input, source: { loggedModelId: 'm-abc' } }),
    ).rejects.toThrow(
      /experiment 'fraud-detector' \(7\).*belongs to group:default\/risk-team/,
    );
    expect(s.fake.deploys).toEqual([]);
  });

  it.each([
    [{ serviceName: 'Fraud' }, "serviceName 'Fraud' must be a DNS-1035 label"],
    [
      { serviceName: '1fraud' },
      "serviceName '1fraud' must be a DNS-1035 label",
    ],
    [
      { serviceName: `a${'b'.repeat(45)}` },
      'is 46 characters long; at most 45 are allowed',
    ],
    [
      { namespace: 'Fraud_NS' },
      "namespace 'Fraud_NS' is not a valid Kubernetes name",
    ],
    [{ owner: 'a:b:c' }, "owner 'a:b:c' is not an entity ref"],
    [{ entityRef: 'x:y:z' }, "entityRef 'x:y:z' is not an entity ref"],
    [
      { source: { modelName: 'm' } },
      "source: give the version or the alias of 'm'",
    ],
    [
      { source: { modelName: 'm', version: '1', alias: 'a' } },
      "source: give a version or an alias of 'm', not both",
    ],
    [
      { source: { modelName: 'm', loggedModelId: 'x' } },
      'source: give either loggedModelId, or modelName',
    ],
    [
      { source: {} },
      'source: give modelName with version or alias, or loggedModelId',
    ],
    [
      { source: { modelName: 'm', version: 'v1' } },
      "source.version 'v1' is not a model version number",
    ],
    [
      { canaryTrafficPercent: 100 },
      'canaryTrafficPercent must be a whole number from 0 to 99',
    ],
    [
      { resources: { cpuLimit: 'lots' } },
      "resources.cpuLimit 'lots' is not a Kubernetes quantity",
    ],
    [
      { minReplicas: 3, maxReplicas: 1 },
      'minReplicas (3) must not exceed maxReplicas (1)',
    ],
  ])('refuses bad input %j', async (change, message) => {
    const s = setup();
    await expect(run(s, { ...input, ...change })).rejects.toThrow(message);
    expect(s.namespaceReads).toEqual([]);
    expect(s.fake.deploys).toEqual([]);
  });

  it('accepts a numeric version (as a template may render it)', async () => {
    const s = setup();
    await run(s, {
      ...input,
      source: { modelName: 'fraud-detector', version: 2 },
    });
    expect(s.fake.resolved[0]).toEqual({
      type: 'modelVersion',
      modelName: 'fraud-detector',
      version: '2',
    });
  });

  describe('permission policy', () => {
    it('asks for mlops.kserve.service.deploy on the entity with the initiator’s credentials', async () => {
      const s = setup();
      await run(s);
      expect(s.permissions.requests).toHaveLength(1);
      const [queries, opts] = s.permissions.requests[0] as [any[], any];
      expect(queries).toEqual([
        {
          permission: expect.objectContaining({
            name: 'mlops.kserve.service.deploy',
            type: 'resource',
            resourceType: 'catalog-entity',
          }),
          resourceRef: ENTITY,
        },
      ]);
      expect(opts.credentials.principal).toEqual({
        type: 'user',
        userEntityRef: 'user:default/mock',
      });
    });

    it('a DENY refuses naming the user, the permission and the entity; nothing is read or applied, the refusal is audited', async () => {
      const s = setup({ permission: 'DENY' });
      await expect(run(s)).rejects.toThrow(
        'User user:default/mock may not mlops.kserve.service.deploy on component:default/fraud-detector: the permission policy denies it',
      );
      expect(s.namespaceReads).toEqual([]);
      expect(s.fake.resolved).toEqual([]);
      expect(s.fake.deploys).toEqual([]);
      expect(s.auditor.events).toEqual([
        expect.objectContaining({
          eventId: 'kserve-deploy',
          status: 'failed',
          error: expect.objectContaining({ name: 'NotAllowedError' }),
        }),
      ]);
    });

    it('a DENY refuses a dry run of the task too (without an audit event)', async () => {
      const s = setup({ permission: 'DENY' });
      await expect(run(s, input, { isDryRun: true })).rejects.toThrow(
        /may not mlops\.kserve\.service\.deploy/,
      );
      expect(s.fake.deploys).toEqual([]);
      expect(s.auditor.events).toEqual([]);
    });

    it('the owner check still applies when the policy allows (e.g. an admin of another team)', async () => {
      const s = setup({ memberOf: ['group:default/platform-team'] });
      await expect(run(s)).rejects.toThrow(
        /is not group:default\/ml-team nor a member of it/,
      );
      expect(s.fake.deploys).toEqual([]);
      expect(s.auditor.events.map(e => e.status)).toEqual(['failed']);
    });
  });

  describe('audit', () => {
    it('records a deploy as kserve-deploy (medium): the request, then the action, the tags and the object before and after without managedFields', async () => {
      const s = setup({ existing: true });
      await run(s, { ...input, canaryTrafficPercent: 10 });
      expect(s.auditor.events).toHaveLength(1);
      const [event] = s.auditor.events;
      expect(event).toMatchObject({
        eventId: 'kserve-deploy',
        severityLevel: 'medium',
        status: 'succeeded',
        meta: {
          entityRef: ENTITY,
          service: 'fraud-detector',
          namespace: 'fraud-detection',
          cluster: 'harness',
          source: {
            type: 'modelVersion',
            modelName: 'fraud-detector',
            version: '2',
          },
          mode: 'Standard',
          canaryTrafficPercent: 10,
          initiator: 'user:default/mock',
          taskId: 'mock-task-id',
        },
      });
      expect(event.endMeta).toEqual({
        action: 'canary',
        mode: 'Standard',
        serviceAccountName: 'kserve-models',
        mlflowTags: { written: ['fraud-detector v2'], removed: [], failed: [] },
        before: {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: {
            name: 'fraud-detector',
            namespace: 'fraud-detection',
            resourceVersion: '7',
            annotations: { 'mlstack.io/entity-ref': ENTITY },
          },
          spec: { predictor: {} },
        },
        after: expect.objectContaining({
          metadata: {
            name: 'fraud-detector',
            namespace: 'fraud-detection',
            resourceVersion: '42',
          },
        }),
      });
    });

    it('records a new service with before null', async () => {
      const s = setup();
      await run(s);
      expect(s.auditor.events[0].endMeta).toMatchObject({
        action: 'create',
        before: null,
      });
    });

    it('records a refusal after the event started as a failure, with the request', async () => {
      const s = setup({
        namespaceAnnotations: { 'mlstack.io/owner': 'group:default/risk-team' },
      });
      await expect(run(s)).rejects.toThrow(
        /belongs to group:default\/risk-team/,
      );
      expect(s.auditor.events).toEqual([
        expect.objectContaining({
          eventId: 'kserve-deploy',
          status: 'failed',
          meta: expect.objectContaining({
            entityRef: ENTITY,
            cluster: 'harness',
          }),
          error: expect.objectContaining({
            message: expect.stringContaining(
              'belongs to group:default/risk-team',
            ),
          }),
        }),
      ]);
      const t = setup();
      await expect(
        run(t, { ...input, namespace: 'elsewhere' }),
      ).rejects.toThrow(/not a deploy target/);
      expect(t.auditor.events.map(e => e.status)).toEqual(['failed']);
    });

    it('records nothing for a dry run of the task, or for input refused before the event', async () => {
      const s = setup();
      await run(s, input, { isDryRun: true });
      await expect(run(s, { ...input, serviceName: 'Bad' })).rejects.toThrow(
        /DNS-1035/,
      );
      expect(s.auditor.events).toEqual([]);
    });

    it('a retried task whose apply is in the checkpoint records that nothing was applied again', async () => {
      const s = setup();
      const first = await run(s);
      await run(s, input, { checkpoints: first.checkpoints });
      expect(s.auditor.events.map(e => e.status)).toEqual([
        'succeeded',
        'succeeded',
      ]);
      expect(s.auditor.events[1].endMeta).toEqual({
        action: 'create',
        mode: 'Standard',
        serviceAccountName: 'kserve-models',
        mlflowTags: { written: ['fraud-detector v2'], removed: [], failed: [] },
        alreadyApplied: true,
      });
    });
  });

  describe('an existing service', () => {
    it('of the same entity is replaced, at the resourceVersion it was checked at', async () => {
      const s = setup({ existing: true });
      const { outputs } = await run(s);
      expect(outputs.action).toBe('replace');
      expect(s.fake.deploys.map(d => d.input.expectedResourceVersion)).toEqual([
        '7',
        '7',
      ]);
    });

    it.each([
      [
        'component:default/other-project',
        "InferenceService 'fraud-detector' in namespace 'fraud-detection' on cluster 'harness' belongs to component:default/other-project (annotation mlstack.io/entity-ref), not to component:default/fraud-detector; choose another name",
      ],
      [
        null,
        "InferenceService 'fraud-detector' in namespace 'fraud-detection' on cluster 'harness' belongs to no portal entity (it has no mlstack.io/entity-ref annotation), not to component:default/fraud-detector; choose another name",
      ],
    ])(
      'of another entity (%s) is refused, nothing applied, the refusal audited',
      async (existingFor, message) => {
        const s = setup({ existing: true, existingFor });
        await expect(run(s)).rejects.toThrow(message);
        expect(s.fake.resolved).toEqual([]);
        expect(s.fake.deploys).toEqual([]);
        expect(s.fake.retags).toEqual([]);
        expect(s.auditor.events.map(e => e.status)).toEqual(['failed']);
      },
    );

    it('of another entity is refused in a dry run of the task too', async () => {
      const s = setup({ existing: true, existingFor: 'component:default/x' });
      await expect(run(s, input, { isDryRun: true })).rejects.toThrow(
        /belongs to component:default\/x/,
      );
      expect(s.fake.deploys).toEqual([]);
    });

    it('annotated with a differently written ref of the same entity is the entity’s', async () => {
      const s = setup({
        existing: true,
        existingFor: 'Component:default/Fraud-Detector',
      });
      await run(s);
      expect(s.fake.deploys).toHaveLength(2);
    });
  });

  describe('service account (the entity’s mlstack.io/kserve-service-account)', () => {
    it('uses one the target allows (serviceAccountNames) instead of the default', async () => {
      const s = setup();
      const { logLines } = await run(s, {
        ...input,
        serviceAccountName: 'kserve-gpu',
      });
      expect(s.fake.deploys.map(d => d.input.serviceAccountName)).toEqual([
        'kserve-gpu',
        'kserve-gpu',
      ]);
      expect(logLines().join('\n')).toContain('serviceAccountName=kserve-gpu');
      expect(s.auditor.events[0].endMeta).toMatchObject({
        serviceAccountName: 'kserve-gpu',
      });
    });

    it('uses the target’s default when empty (the template renders an absent annotation as "")', async () => {
      const s = setup();
      await run(s, { ...input, serviceAccountName: '' });
      expect(s.fake.deploys[1].input.serviceAccountName).toBe('kserve-models');
    });

    it('refuses one the target does not allow, nothing applied, the refusal audited', async () => {
      const s = setup();
      await expect(
        run(s, { ...input, serviceAccountName: 'cluster-admin' }),
      ).rejects.toThrow(
        "Deploy target harness/fraud-detection does not allow service account 'cluster-admin' (mlstack.io/kserve-service-account of component:default/fraud-detector): it allows kserve-models, kserve-gpu",
      );
      expect(s.namespaceReads).toEqual([]);
      expect(s.fake.deploys).toEqual([]);
      expect(s.auditor.events.map(e => e.status)).toEqual(['failed']);

      const t = setup();
      await expect(
        run(t, {
          ...input,
          namespace: 'knative-only',
          mode: 'Knative',
          serviceAccountName: 'kserve-models',
        }),
      ).rejects.toThrow(
        "Deploy target harness/knative-only does not allow service account 'kserve-models' (mlstack.io/kserve-service-account of component:default/fraud-detector): it allows none besides KServe’s default",
      );
    });

    it('refuses a name that is not a service account name', async () => {
      const s = setup();
      await expect(
        run(s, { ...input, serviceAccountName: 'Not A Name' }),
      ).rejects.toThrow(
        "serviceAccountName 'Not A Name' is not a service account name",
      );
      expect(s.fake.deploys).toEqual([]);
    });
  });
});
