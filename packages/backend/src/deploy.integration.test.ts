/**
 * Ship, against the real backend: the auth backend signs users in through the catalog, the
 * permission backend runs the MLStack policy, and the MLStack backend deploys MLflow model
 * versions (seeded by the real MLflow client, files on the harness's S3) to the harness's
 * kube-apiserver (KServe v0.20 CRDs, strict field validation; no KServe controller, so
 * objects carry no status).
 *
 * 1. Standard mode: deploy, canary, promote, canary again, roll back, stop, start, delete; the
 *    objects and the MLflow serving tags after each step, and the audit trail.
 * 2. Knative mode: deploy by alias, a canary of a run's logged model, promote, roll back.
 * 3. The permission matrix (owner's member, admin, another team, a service, no token) and
 *    targets outside the allow-list: refused with a 403 naming why, nothing created.
 * 4. Conflicts (a stale resourceVersion, two first deploys at once) and bad input: a clear
 *    4xx, nothing created, the serving state untouched.
 */
import { seedMlflow, type MlflowSeedSummary } from '@internal/harness';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { harnessClients } from './__testUtils__/harnessClients';
import { startTrustBackend } from './__testUtils__/trustBackend';

jest.setTimeout(300_000);

const stamp = Date.now().toString(36);
const OWNER_KEY = 'mlstack.io/owner';
const NS_TEAM = `ship-team-${stamp}`;
const NS_UNLISTED = `ship-unlisted-${stamp}`;
const NS_RISK = `ship-risk-${stamp}`;
const PREFIX = `ship-${stamp}-`;
const MODEL = `${PREFIX}fraud-detector`;
const CI_TOKEN = `ci-${stamp}-${Math.random().toString(36).slice(2)}`;
const ARTIFACTS = 's3://mlflow-artifacts';

const { kube, mlflowUrl, core, custom, mlflow } = harnessClients();

const isvc = (namespace: string) => ({
  group: 'serving.kserve.io',
  version: 'v1beta1',
  namespace,
  plural: 'inferenceservices',
});

type Json = Record<string, any>;

async function readService(namespace: string, name: string) {
  try {
    return (await custom.getNamespacedCustomObject({
      ...isvc(namespace),
      name,
    })) as Json;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

async function serviceNames(namespace: string): Promise<string[]> {
  const list = (await custom.listNamespacedCustomObject(
    isvc(namespace),
  )) as Json;
  return list.items.map((i: Json) => i.metadata.name).sort();
}

/** The serving tags of a model version (key → parsed value). */
async function servingTags(version: string): Promise<Record<string, Json>> {
  const res = await fetch(
    `${mlflowUrl}/api/2.0/mlflow/model-versions/get?name=${encodeURIComponent(
      MODEL,
    )}&version=${version}`,
  );
  const body = await res.json();
  return Object.fromEntries(
    (body.model_version.tags ?? [])
      .filter((t: Json) => t.key.startsWith('mlstack.io/serving/'))
      .map((t: Json) => [t.key, JSON.parse(t.value)]),
  );
}

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'ml-project', lifecycle: 'experimental', owner },
  };
}

const projectAnnotations = (namespace: string) => ({
  'backstage.io/kubernetes-namespace': namespace,
  'mlflow.org/experiment-name': `${PREFIX}fraud-detector`,
  'mlflow.org/registered-model-name': MODEL,
  'mlflow.org/instance': 'main',
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('ship: self-service deploys to KServe against the real backend', () => {
  let baseUrl: string;
  let signIn: (user: string) => Promise<string>;
  let auditEvents: Array<{
    eventId: string;
    meta: Record<string, unknown>;
    outcome: string;
    error?: { name: string; message: string };
  }>;
  let stop: () => Promise<void>;
  let seed: MlflowSeedSummary;
  const tokens: Record<string, string | undefined> = {};
  let tmp: string;

  beforeAll(async () => {
    seed = await seedMlflow(mlflowUrl, PREFIX);
    // A version whose files are on Databricks' DBFS: KServe cannot download it.
    await mlflow('model-versions/create', {
      name: MODEL,
      source: 'dbfs:/models/fraud-detector/1',
    });
    // Version 5: another team's bucket, which any MLflow writer can name as a source.
    await mlflow('model-versions/create', {
      name: MODEL,
      source: 's3://risk-team-bucket/models/x',
    });
    for (const [name, owner] of [
      [NS_TEAM, 'group:default/ml-team'],
      [NS_UNLISTED, 'group:default/ml-team'],
      [NS_RISK, 'group:default/risk-team'],
    ]) {
      await core.createNamespace({
        body: { metadata: { name, annotations: { [OWNER_KEY]: owner } } },
      });
    }
    const entities = [
      component('ship-fraud', 'group:default/ml-team', {
        ...projectAnnotations(NS_TEAM),
        // A service the pipeline made with kubectl (not the portal), named by the entity.
        'mlstack.io/kserve-inference-service': 'fraud-kubectl',
      }),
      component('ship-own-account', 'group:default/ml-team', {
        ...projectAnnotations(NS_TEAM),
        'mlstack.io/kserve-service-account': 'ship-predictor',
      }),
      component('ship-privileged', 'group:default/ml-team', {
        ...projectAnnotations(NS_TEAM),
        'mlstack.io/kserve-service-account': 'namespace-admin',
      }),
      component(
        'ship-unlisted',
        'group:default/ml-team',
        projectAnnotations(NS_UNLISTED),
      ),
      component('ship-mlflow-down', 'group:default/ml-team', {
        ...projectAnnotations(NS_TEAM),
        'mlflow.org/instance': 'down',
      }),
    ];
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstack-ship-'));
    const entitiesFile = path.join(tmp, 'entities.yaml');
    fs.writeFileSync(
      entitiesFile,
      entities.map(e => JSON.stringify(e)).join('\n---\n'),
    );
    const started = await startTrustBackend({
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        database: { client: 'better-sqlite3', connection: ':memory:' },
        auth: {
          externalAccess: [
            { type: 'static', options: { token: CI_TOKEN, subject: 'ci' } },
          ],
        },
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
        permissions: {
          adminGroups: ['group:default/platform-team'],
          serviceGrants: [
            { subject: 'ci', permissions: ['mlops.argo.workflow.submit'] },
          ],
        },
        mlflow: {
          instances: [
            {
              name: 'main',
              baseUrl: mlflowUrl,
              artifactsDestination: ARTIFACTS,
            },
            {
              name: 'down',
              baseUrl: `http://127.0.0.1:${await closedPort()}`,
              artifactsDestination: ARTIFACTS,
            },
          ],
          timeoutMs: 2000,
        },
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
        deploy: {
          targets: [
            {
              cluster: 'harness',
              namespaces: [NS_TEAM, NS_RISK],
              modes: ['Standard', 'Knative'],
              serviceAccountName: 'kserve-models',
              serviceAccountNames: ['ship-predictor'],
            },
          ],
        },
      },
    });
    baseUrl = started.baseUrl;
    signIn = started.signIn;
    auditEvents = started.auditEvents;
    stop = () => started.backend.stop();
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        tokens.guest = await signIn('user:default/guest');
        tokens.pat = await signIn('user:default/pat');
        tokens.riley = await signIn('user:default/riley');
        const res = await fetch(
          `${baseUrl}/api/catalog/entities/by-name/component/default/ship-mlflow-down`,
          { headers: { authorization: `Bearer ${tokens.guest}` } },
        );
        if (res.status === 200) break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error('catalog did not ingest');
      await new Promise(r => setTimeout(r, 500));
    }
    tokens.ci = CI_TOKEN;
  });

  afterAll(async () => {
    await stop?.();
    for (const name of [NS_TEAM, NS_UNLISTED, NS_RISK]) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const kserve = (entity: string) =>
    `/api/mlops/entities/component/default/${entity}/kserve`;

  async function call(
    method: 'GET' | 'POST' | 'DELETE',
    route: string,
    token: string | undefined,
    body?: object,
  ) {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const deployRequest = (over: Json = {}) => ({
    source: { type: 'modelVersion', modelName: MODEL, version: '1' },
    target: { cluster: 'harness', namespace: NS_TEAM },
    serviceName: 'fraud-std',
    mode: 'Standard',
    canaryTrafficPercent: 0,
    resources: {
      cpuRequest: '100m',
      memoryRequest: '256Mi',
      memoryLimit: '1Gi',
    },
    minReplicas: 1,
    maxReplicas: 3,
    ...over,
  });

  const versionOf = (n: number) => seed.registeredModel.versions[n - 1];
  const storageOf = (n: number) =>
    `${ARTIFACTS}/${seed.experiments.fraudDetector.id}/models/${
      versionOf(n).modelId
    }/artifacts`;

  describe('Standard mode: deploy, canary, promote, roll back, stop, start, delete', () => {
    const svc = 'fraud-std';
    const tagKey = `mlstack.io/serving/harness/${NS_TEAM}/${svc}`;

    it('lists the entity namespace as its target, and the runtimes', async () => {
      const res = await call(
        'GET',
        `${kserve('ship-fraud')}/deploy/targets`,
        tokens.guest,
      );
      expect(res.status).toBe(200);
      expect(res.body.targets).toEqual([
        {
          cluster: 'harness',
          namespace: NS_TEAM,
          modes: ['Standard', 'Knative'],
          serviceAccountName: 'kserve-models',
        },
        expect.objectContaining({
          namespace: NS_RISK,
          refusedReason: expect.stringContaining(`namespace '${NS_TEAM}'`),
        }),
      ]);
      expect(res.body.runtimes.map((r: Json) => r.name)).toEqual([
        'kserve-sklearnserver',
        'kserve-mlserver',
      ]);
    });

    it('previews a new service by a server-side dry run, storing nothing', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy/preview`,
        tokens.guest,
        deployRequest(),
      );
      expect(res.status).toBe(200);
      expect(res.body.action).toBe('create');
      expect(res.body.model).toMatchObject({
        instance: 'main',
        modelName: MODEL,
        version: '1',
        runId: versionOf(1).runId,
        modelId: versionOf(1).modelId,
        storageUri: storageOf(1),
        flavors: expect.arrayContaining(['python_function', 'sklearn']),
        runtime: { name: 'kserve-sklearnserver', modelFormat: 'sklearn' },
        deployedBy: 'user:default/guest',
      });
      expect(res.body.manifest.spec.predictor).toEqual({
        serviceAccountName: 'kserve-models',
        minReplicas: 1,
        maxReplicas: 3,
        model: {
          modelFormat: { name: 'sklearn' },
          runtime: 'kserve-sklearnserver',
          protocolVersion: 'v2',
          storageUri: storageOf(1),
          resources: {
            requests: { cpu: '100m', memory: '256Mi' },
            limits: { memory: '1Gi' },
          },
        },
      });
      expect(await readService(NS_TEAM, svc)).toBeUndefined();
    });

    it('deploys version 1: the object, its labels and records, the MLflow tag, the audit', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest(),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        action: 'create',
        cluster: 'harness',
        namespace: NS_TEAM,
        service: svc,
        mlflowTags: { written: [`${MODEL} v1`], removed: [], failed: [] },
      });
      const object = (await readService(NS_TEAM, svc))!;
      expect(object.metadata.labels['backstage.io/kubernetes-id']).toBe(
        'ship-fraud',
      );
      expect(object.metadata.annotations).toMatchObject({
        'serving.kserve.io/deploymentMode': 'Standard',
        'mlstack.io/entity-ref': 'component:default/ship-fraud',
      });
      expect(
        JSON.parse(object.metadata.annotations['mlstack.io/served-model']),
      ).toMatchObject({
        modelName: MODEL,
        version: '1',
        storageUri: storageOf(1),
        deployedBy: 'user:default/guest',
      });
      expect(object.metadata.managedFields.map((f: Json) => f.manager)).toEqual(
        ['mlstack-portal'],
      );
      expect(await servingTags('1')).toEqual({
        [tagKey]: { role: 'stable', trafficPercent: 100, mode: 'Standard' },
      });
      const event = auditEvents
        .filter(e => e.eventId === 'kserve-deploy')
        .pop()!;
      expect(event.outcome).toBe('succeeded');
      expect(event.meta).toMatchObject({
        entityRef: 'component:default/ship-fraud',
        action: 'create',
        service: svc,
        before: null,
        after: expect.objectContaining({ spec: object.spec }),
      });
    });

    it('shows the events of the service and its predictor pods, not those of a look-alike', async () => {
      const event = (name: string, kind: string, reason: string, at: string) =>
        core.createNamespacedEvent({
          namespace: NS_TEAM,
          body: {
            metadata: { name: `${name}.${reason.toLowerCase()}` },
            involvedObject: { kind, name, namespace: NS_TEAM },
            type: 'Warning',
            reason,
            message: `${reason} on ${name}`,
            count: 2,
            firstTimestamp: new Date(at),
            lastTimestamp: new Date(at),
          },
        });
      await event(
        `${svc}-predictor-6d4f9-abcde`,
        'Pod',
        'FailedScheduling',
        '2026-01-01T10:00:00Z',
      );
      await event(
        svc,
        'InferenceService',
        'InternalError',
        '2026-01-01T11:00:00Z',
      );
      await event(
        `${svc}x-predictor-1`,
        'Pod',
        'BackOff',
        '2026-01-01T12:00:00Z',
      );
      const res = await call(
        'GET',
        `${kserve('ship-fraud')}/inference-services/${svc}/events`,
        tokens.guest,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        service: svc,
        events: [
          {
            type: 'Warning',
            reason: 'InternalError',
            message: `InternalError on ${svc}`,
            object: `InferenceService/${svc}`,
            count: 2,
            lastSeen: '2026-01-01T11:00:00.000Z',
          },
          {
            type: 'Warning',
            reason: 'FailedScheduling',
            message: `FailedScheduling on ${svc}-predictor-6d4f9-abcde`,
            object: `Pod/${svc}-predictor-6d4f9-abcde`,
            count: 2,
            lastSeen: '2026-01-01T10:00:00.000Z',
          },
        ],
      });
    });

    it('the Serving tab lists the portal-deployed service with the version it serves', async () => {
      const res = await call(
        'GET',
        `${kserve('ship-fraud')}/inference-services`,
        tokens.guest,
      );
      expect(res.status).toBe(200);
      const service = res.body.services.find((s: Json) => s.name === svc);
      expect(service).toMatchObject({
        deployedFor: 'component:default/ship-fraud',
        servedModel: { version: '1' },
        canaries: [],
        stopped: false,
        modelVersion: { modelName: MODEL, version: '1' },
      });
    });

    it('starts a canary of version 2 at 20 %: a spec.canary entry, both versions tagged', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          source: { type: 'modelVersion', modelName: MODEL, version: '2' },
          canaryTrafficPercent: 20,
        }),
      );
      expect(res.body.error?.message).toBeUndefined();
      expect(res.status).toBe(201);
      expect(res.body.action).toBe('canary');
      const object = (await readService(NS_TEAM, svc))!;
      expect(object.spec.predictor.model.storageUri).toBe(storageOf(1));
      expect(object.spec.canary).toEqual([
        {
          trafficPercent: 20,
          predictor: {
            name: 'v2',
            serviceAccountName: 'kserve-models',
            minReplicas: 1,
            model: expect.objectContaining({ storageUri: storageOf(2) }),
          },
        },
      ]);
      expect(await servingTags('1')).toEqual({
        [tagKey]: { role: 'stable', trafficPercent: 80, mode: 'Standard' },
      });
      expect(await servingTags('2')).toEqual({
        [tagKey]: { role: 'canary', trafficPercent: 20, mode: 'Standard' },
      });
    });

    it('refuses a second canary while one runs (409), changing nothing', async () => {
      const before = (await readService(NS_TEAM, svc))!;
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          source: { type: 'modelVersion', modelName: MODEL, version: '3' },
          canaryTrafficPercent: 10,
        }),
      );
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(
        'already runs a canary (version 2)',
      );
      expect((await readService(NS_TEAM, svc))!.metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );
    });

    it('refuses a promote computed from a stale resourceVersion (409 naming the field managers)', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/${svc}/promote`,
        tokens.guest,
        { resourceVersion: '1' },
      );
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(
        /changed since you read it.*mlstack-portal/,
      );
      expect((await readService(NS_TEAM, svc))!.spec.canary).toHaveLength(1);
    });

    it('promotes: the canary predictor becomes the predictor, the tags follow', async () => {
      const current = (await readService(NS_TEAM, svc))!;
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/${svc}/promote`,
        tokens.guest,
        {
          resourceVersion: current.metadata.resourceVersion,
        },
      );
      expect(res.status).toBe(200);
      expect(res.body.mlflowTags).toEqual({
        written: [`${MODEL} v2`],
        removed: [`${MODEL} v1`],
        failed: [],
      });
      const object = (await readService(NS_TEAM, svc))!;
      expect(object.spec.canary).toBeUndefined();
      expect(object.spec.predictor).toMatchObject({
        name: 'v2',
        maxReplicas: 3,
        model: { storageUri: storageOf(2) },
      });
      expect(
        JSON.parse(object.metadata.annotations['mlstack.io/served-model'])
          .version,
      ).toBe('2');
      expect(
        object.metadata.annotations['mlstack.io/canary-model'],
      ).toBeUndefined();
      expect(await servingTags('1')).toEqual({});
      expect(await servingTags('2')).toEqual({
        [tagKey]: { role: 'stable', trafficPercent: 100, mode: 'Standard' },
      });
    });

    it('rolls back a canary of version 3: the entry goes, version 2 keeps all traffic', async () => {
      const started = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          source: { type: 'modelAlias', modelName: MODEL, alias: 'challenger' },
          canaryTrafficPercent: 50,
        }),
      );
      expect(started.status).toBe(201);
      expect(started.body.summary.canaries[0]).toMatchObject({
        name: 'v3',
        trafficPercent: 50,
      });
      expect(await servingTags('3')).toEqual({
        [tagKey]: { role: 'canary', trafficPercent: 50, mode: 'Standard' },
      });
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/${svc}/rollback`,
        tokens.guest,
        {
          resourceVersion: started.body.summary.resourceVersion,
        },
      );
      expect(res.status).toBe(200);
      const object = (await readService(NS_TEAM, svc))!;
      expect(object.spec.canary).toBeUndefined();
      expect(object.spec.predictor.model.storageUri).toBe(storageOf(2));
      expect(await servingTags('3')).toEqual({});
      expect(await servingTags('2')).toEqual({
        [tagKey]: { role: 'stable', trafficPercent: 100, mode: 'Standard' },
      });
    });

    it('stops and starts the service (serving.kserve.io/stop)', async () => {
      const stopped = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/${svc}/stop`,
        tokens.guest,
        {},
      );
      expect(stopped.status).toBe(200);
      expect(
        (await readService(NS_TEAM, svc))!.metadata.annotations[
          'serving.kserve.io/stop'
        ],
      ).toBe('true');
      const again = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/${svc}/stop`,
        tokens.guest,
        {},
      );
      expect(again.status).toBe(409);
      const started = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/${svc}/start`,
        tokens.guest,
        {},
      );
      expect(started.status).toBe(200);
      expect(started.body.summary.stopped).toBe(false);
    });

    it('deletes the service; the version tag goes with it', async () => {
      const res = await call(
        'DELETE',
        `${kserve('ship-fraud')}/inference-services/${svc}`,
        tokens.guest,
        {},
      );
      expect(res.status).toBe(200);
      expect(res.body.mlflowTags.removed).toEqual([`${MODEL} v2`]);
      expect(await servingTags('2')).toEqual({});
      for (let i = 0; i < 50 && (await readService(NS_TEAM, svc)); i++) {
        await new Promise(r => setTimeout(r, 100));
      }
      expect(await readService(NS_TEAM, svc)).toBeUndefined();
      const event = auditEvents
        .filter(e => e.eventId === 'kserve-service-delete')
        .pop()!;
      expect(event.outcome).toBe('succeeded');
      expect((event.meta.before as Json).metadata.name).toBe(svc);
    });
  });

  describe('Knative mode: canaryTrafficPercent', () => {
    const svc = 'fraud-kn';
    const tagKey = `mlstack.io/serving/harness/${NS_TEAM}/${svc}`;

    it('deploys the champion alias, then a canary of a run’s logged model, promotes it and rolls back the next', async () => {
      const created = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          serviceName: svc,
          mode: 'Knative',
          source: { type: 'modelAlias', modelName: MODEL, alias: 'champion' },
        }),
      );
      expect(created.status).toBe(201);
      const champion = seed.registeredModel.aliases.champion;
      expect(created.body.summary.servedModel.version).toBe(champion);
      let object = (await readService(NS_TEAM, svc))!;
      expect(
        object.metadata.annotations['serving.kserve.io/deploymentMode'],
      ).toBe('Knative');

      const other = versionOf(champion === '1' ? 3 : 1);
      const canary = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          serviceName: svc,
          mode: 'Knative',
          source: { type: 'loggedModel', modelId: other.modelId },
          canaryTrafficPercent: 30,
          runtime: 'kserve-mlserver',
        }),
      );
      expect(canary.status).toBe(201);
      object = (await readService(NS_TEAM, svc))!;
      expect(object.spec.canary).toBeUndefined();
      expect(object.spec.predictor).toMatchObject({
        canaryTrafficPercent: 30,
        model: {
          modelFormat: { name: 'mlflow' },
          runtime: 'kserve-mlserver',
          storageUri: `${ARTIFACTS}/${seed.experiments.fraudDetector.id}/models/${other.modelId}/artifacts`,
        },
      });
      // A logged model names no registered version: only the stable version is tagged.
      expect(await servingTags(champion)).toEqual({
        [tagKey]: { role: 'stable', trafficPercent: 70, mode: 'Knative' },
      });

      const promoted = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/${svc}/promote`,
        tokens.guest,
        {
          resourceVersion: object.metadata.resourceVersion,
        },
      );
      expect(promoted.status).toBe(200);
      object = (await readService(NS_TEAM, svc))!;
      expect(object.spec.predictor.canaryTrafficPercent).toBeUndefined();
      expect(
        JSON.parse(object.metadata.annotations['mlstack.io/served-model'])
          .modelId,
      ).toBe(other.modelId);
      expect(await servingTags(champion)).toEqual({});

      const next = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          serviceName: svc,
          mode: 'Knative',
          source: { type: 'modelVersion', modelName: MODEL, version: champion },
          canaryTrafficPercent: 10,
        }),
      );
      expect(next.status).toBe(201);
      const rolledBack = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/${svc}/rollback`,
        tokens.guest,
        {},
      );
      expect(rolledBack.status).toBe(200);
      object = (await readService(NS_TEAM, svc))!;
      expect(object.spec.predictor.canaryTrafficPercent).toBe(0);
      expect(await servingTags(champion)).toEqual({});
    });

    it('refuses a Standard-mode deploy to the Knative service (KServe keeps a service in its mode)', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({ serviceName: svc }),
      );
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('runs in Knative mode');
    });
  });

  describe('who may deploy', () => {
    it.each([
      [
        'riley (another team)',
        'riley',
        403,
        /user:default\/riley may not mlops\.kserve\.service\.deploy/,
      ],
      [
        'the ci service (no grant)',
        'ci',
        403,
        /service 'ci' may not mlops\.kserve\.service\.deploy.*serviceGrants/,
      ],
    ])(
      '%s: refused with a 403, nothing created, recorded as failed',
      async (_label, who, status, message) => {
        const name = `refused-${who}`;
        const res = await call(
          'POST',
          `${kserve('ship-fraud')}/deploy`,
          tokens[who],
          deployRequest({ serviceName: name }),
        );
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        expect(await readService(NS_TEAM, name)).toBeUndefined();
        const event = auditEvents
          .filter(e => e.eventId === 'kserve-deploy')
          .pop()!;
        expect(event.outcome).toBe('failed');
        expect(event.meta.service).toBe(name);
      },
    );

    it('no token: a 401, nothing created', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        undefined,
        deployRequest({ serviceName: 'refused-anonymous' }),
      );
      expect(res.status).toBe(401);
      expect(await readService(NS_TEAM, 'refused-anonymous')).toBeUndefined();
    });

    it('riley may not promote, roll back, stop or delete either', async () => {
      const created = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({ serviceName: 'fraud-guarded' }),
      );
      expect(created.status).toBe(201);
      for (const [method, route] of [
        ['POST', 'promote'],
        ['POST', 'rollback'],
        ['POST', 'stop'],
        ['POST', 'start'],
        ['DELETE', ''],
      ] as const) {
        const res = await call(
          method,
          `${kserve('ship-fraud')}/inference-services/fraud-guarded${
            route ? `/${route}` : ''
          }`,
          tokens.riley,
          {},
        );
        expect(res.status).toBe(403);
      }
      expect(
        (await readService(NS_TEAM, 'fraud-guarded'))!.metadata.resourceVersion,
      ).toBe(created.body.summary.resourceVersion);
    });

    it('pat (admin group) may deploy to the team’s project', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.pat,
        deployRequest({ serviceName: 'fraud-admin' }),
      );
      expect(res.status).toBe(201);
      expect(res.body.summary.servedModel.deployedBy).toBe('user:default/pat');
    });

    it('a target outside the allow-list, or not the entity’s namespace: 403, nothing created', async () => {
      const unlisted = await call(
        'POST',
        `${kserve('ship-unlisted')}/deploy`,
        tokens.guest,
        deployRequest({
          target: { cluster: 'harness', namespace: NS_UNLISTED },
          serviceName: 'fraud-unlisted',
        }),
      );
      expect(unlisted.status).toBe(403);
      expect(unlisted.body.error.message).toContain(
        `'${NS_UNLISTED}' on cluster 'harness' is not a deploy target`,
      );
      const elsewhere = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          target: { cluster: 'harness', namespace: NS_RISK },
          serviceName: 'fraud-elsewhere',
        }),
      );
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body.error.message).toContain(
        `keeps its services in namespace '${NS_TEAM}'`,
      );
      expect(await serviceNames(NS_UNLISTED)).toEqual([]);
      expect(await serviceNames(NS_RISK)).toEqual([]);
    });
  });

  describe('the service account the predictor runs as', () => {
    it('is the entity’s own when the target lists it', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-own-account')}/deploy`,
        tokens.guest,
        deployRequest({ serviceName: 'fraud-own-account' }),
      );
      expect(res.status).toBe(201);
      expect(
        (await readService(NS_TEAM, 'fraud-own-account'))!.spec.predictor
          .serviceAccountName,
      ).toBe('ship-predictor');
    });

    it('is refused (403, nothing created) when the entity names one the target does not list', async () => {
      const res = await call(
        'POST',
        `${kserve('ship-privileged')}/deploy`,
        tokens.guest,
        deployRequest({ serviceName: 'fraud-privileged' }),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        `component:default/ship-privileged asks for service account 'namespace-admin' (mlstack.io/kserve-service-account), which deploy target harness/${NS_TEAM} does not allow (kserve-models, ship-predictor`,
      );
      expect(await readService(NS_TEAM, 'fraud-privileged')).toBeUndefined();
    });
  });

  describe('services the portal did not make', () => {
    const isvcBody = (name: string, extra: Json) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name,
        namespace: NS_TEAM,
        annotations: { 'serving.kserve.io/deploymentMode': 'Knative' },
        ...extra.metadata,
      },
      spec: extra.spec,
    });

    it('promotes and replaces a kubectl-made service exactly (no leftover field of another manager)', async () => {
      await custom.createNamespacedCustomObject({
        ...isvc(NS_TEAM),
        fieldManager: 'kubectl-client-side-apply',
        body: isvcBody('fraud-kubectl', {
          spec: {
            predictor: {
              canaryTrafficPercent: 20,
              tensorflow: {
                storageUri: 'gs://kfserving-examples/models/tensorflow/flowers',
              },
            },
          },
        }),
      });
      const promoted = await call(
        'POST',
        `${kserve('ship-fraud')}/inference-services/fraud-kubectl/promote`,
        tokens.guest,
        {},
      );
      expect(promoted.status).toBe(200);
      let object = (await readService(NS_TEAM, 'fraud-kubectl'))!;
      expect(object.spec.predictor.canaryTrafficPercent).toBeUndefined();
      expect(object.spec.predictor.tensorflow).toEqual({
        storageUri: 'gs://kfserving-examples/models/tensorflow/flowers',
      });

      const replaced = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          serviceName: 'fraud-kubectl',
          mode: 'Knative',
        }),
      );
      expect(replaced.status).toBe(201);
      expect(replaced.body.action).toBe('replace');
      object = (await readService(NS_TEAM, 'fraud-kubectl'))!;
      expect(Object.keys(object.spec.predictor).sort()).toEqual([
        'maxReplicas',
        'minReplicas',
        'model',
        'serviceAccountName',
      ]);
      expect(object.spec.predictor.model.storageUri).toBe(storageOf(1));
    });

    it('will not deploy over a service of the namespace that is not the entity’s (409), leaving it as it was', async () => {
      await custom.createNamespacedCustomObject({
        ...isvc(NS_TEAM),
        body: isvcBody('other-entity-svc', {
          metadata: {
            labels: { 'backstage.io/kubernetes-id': 'other-entity' },
          },
          spec: {
            predictor: {
              sklearn: { storageUri: 's3://mlflow-artifacts/0/other' },
            },
          },
        }),
      });
      const before = (await readService(NS_TEAM, 'other-entity-svc'))!;
      const res = await call(
        'POST',
        `${kserve('ship-fraud')}/deploy`,
        tokens.guest,
        deployRequest({
          serviceName: 'other-entity-svc',
          mode: 'Knative',
        }),
      );
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(
        `InferenceService 'other-entity-svc' already exists in namespace '${NS_TEAM}' and is not one of the services of component:default/ship-fraud; choose another name`,
      );
      expect(
        (await readService(NS_TEAM, 'other-entity-svc'))!.metadata
          .resourceVersion,
      ).toBe(before.metadata.resourceVersion);
    });
  });

  describe('conflicts and bad input', () => {
    it('two first deploys of one name at once: one object, one 201 and one 409', async () => {
      const [a, b] = await Promise.all([
        call(
          'POST',
          `${kserve('ship-fraud')}/deploy`,
          tokens.guest,
          deployRequest({
            serviceName: 'fraud-race',
            expectedResourceVersion: null,
          }),
        ),
        call(
          'POST',
          `${kserve('ship-fraud')}/deploy`,
          tokens.pat,
          deployRequest({
            serviceName: 'fraud-race',
            expectedResourceVersion: null,
            source: { type: 'modelVersion', modelName: MODEL, version: '2' },
          }),
        ),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const loser = a.status === 409 ? a : b;
      const winner = a.status === 201 ? a : b;
      expect(loser.body.error.message).toMatch(
        /(created|changed) by someone else meanwhile.*mlstack-portal/,
      );
      const object = (await readService(NS_TEAM, 'fraud-race'))!;
      expect(object.spec.predictor.model.storageUri).toBe(
        storageOf(Number(winner.body.summary.servedModel.version)),
      );
    });

    it.each([
      [
        'an unknown version',
        { source: { type: 'modelVersion', modelName: MODEL, version: '999' } },
        404,
        /999/,
      ],
      [
        'a model that is not the entity’s',
        {
          source: {
            type: 'modelVersion',
            modelName: 'someone-elses',
            version: '1',
          },
        },
        404,
        /not one of the models of component:default\/ship-fraud/,
      ],
      [
        'a model with no S3 artifacts',
        { source: { type: 'modelVersion', modelName: MODEL, version: '4' } },
        400,
        /'dbfs:\/models\/fraud-detector\/1', outside the artifacts MLflow instance 'main' stores \(s3:\/\/mlflow-artifacts\)/,
      ],
      [
        'a version whose source is another bucket',
        { source: { type: 'modelVersion', modelName: MODEL, version: '5' } },
        400,
        /'s3:\/\/risk-team-bucket\/models\/x', outside the artifacts MLflow instance 'main' stores/,
      ],
      [
        'a limit below its request',
        { resources: { cpuRequest: '2', cpuLimit: '1' } },
        400,
        /resources: the cpu limit 1 is below its request 2/,
      ],
      [
        'no replica in Standard mode',
        { minReplicas: 0 },
        400,
        /minReplicas: Standard mode keeps at least one replica/,
      ],
      [
        'a non-DNS name',
        { serviceName: 'Fraud_Detector' },
        400,
        /serviceName: must be a DNS-1035 label/,
      ],
      [
        'a name too long for KServe',
        { serviceName: `f${'x'.repeat(45)}` },
        400,
        /at most 45/,
      ],
      [
        'a canary share over 99',
        { canaryTrafficPercent: 150 },
        400,
        /canaryTrafficPercent/,
      ],
      [
        'a canary of a service that does not exist',
        { canaryTrafficPercent: 10 },
        400,
        /does not exist yet/,
      ],
      [
        'an unknown runtime',
        { runtime: 'kserve-tritonserver' },
        400,
        /not one the portal deploys/,
      ],
      [
        'a bad quantity',
        { resources: { cpuRequest: 'lots' } },
        400,
        /resources.cpuRequest: not a Kubernetes quantity/,
      ],
      [
        'min above max replicas',
        { minReplicas: 4, maxReplicas: 2 },
        400,
        /minReplicas: 4 is more than maxReplicas 2/,
      ],
      ['an unknown field', { image: 'evil:latest' }, 400, /Unrecognized key/],
      ['a mode the target does not know', { mode: 'ModelMesh' }, 400, /mode/],
    ])(
      '%s: a clear 4xx, nothing created',
      async (_label, over, status, message) => {
        const before = await serviceNames(NS_TEAM);
        const res = await call(
          'POST',
          `${kserve('ship-fraud')}/deploy`,
          tokens.guest,
          deployRequest({ serviceName: 'fraud-bad', ...over }),
        );
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        expect(await serviceNames(NS_TEAM)).toEqual(before);
      },
    );

    it('MLflow down: a 503 naming the instance, and the serving state untouched', async () => {
      const before = await serviceNames(NS_TEAM);
      const res = await call(
        'POST',
        `${kserve('ship-mlflow-down')}/deploy`,
        tokens.guest,
        deployRequest({ serviceName: 'fraud-down' }),
      );
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain("MLflow instance 'down'");
      expect(await serviceNames(NS_TEAM)).toEqual(before);
    });
  });
});
