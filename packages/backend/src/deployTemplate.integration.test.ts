/**
 * templates/deploy-model as a real template run, against the real backend: the catalog
 * registers the template and an ML project from files, the auth backend signs users in through
 * the catalog (examples/org.yaml), and the scaffolder runs the template's steps (catalog:fetch,
 * mlops:kserve:deploy, debug:log) as a task, deploying MLflow model versions (seeded by the real
 * MLflow client, files on the harness's S3) to the harness's kube-apiserver (KServe CRDs, no
 * KServe controller).
 *
 * 1. guest (a member of the project's owner, ml-team): a task by version number creates the
 *    service (the object, its labels and annotations, the MLflow serving tag, the task's
 *    output as the template declares it); a second task by alias with a canary share starts a
 *    canary beside it.
 * 2. riley (risk-team): the same task fails, saying that the permission policy (the real
 *    permission backend with the MLStack policy) does not allow riley
 *    mlops.kserve.service.deploy on the project; nothing is created.
 * 3. A dry run of the template (the scaffolder's dry-run API) with the same values runs the
 *    server-side dry run only: nothing is stored in the cluster or in MLflow.
 */
import { seedMlflow, type MlflowSeedSummary } from '@internal/harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { harnessClients } from './__testUtils__/harnessClients';
import { startTrustBackend } from './__testUtils__/trustBackend';

jest.setTimeout(300_000);

const stamp = Date.now().toString(36);
const OWNER_KEY = 'mlstack.io/owner';
const ML_TEAM = 'group:default/ml-team';
const NS = `dt-team-${stamp}`;
const PREFIX = `dt-${stamp}-`;
const MODEL = `${PREFIX}fraud-detector`;
const ARTIFACTS = 's3://mlflow-artifacts';
const PROJECT = 'dt-fraud';
const PROJECT_REF = `component:default/${PROJECT}`;
/** The project's own service (its mlstack.io/kserve-inference-service annotation). */
const SERVICE = 'dt-fraud-svc';
const TEMPLATE_FILE = path.resolve(
  __dirname,
  '../../../templates/deploy-model/template.yaml',
);

const { kube, mlflowUrl, core, custom } = harnessClients();

type Json = Record<string, any>;

const isvc = (namespace: string) => ({
  group: 'serving.kserve.io',
  version: 'v1beta1',
  namespace,
  plural: 'inferenceservices',
});

async function readService(name: string) {
  try {
    return (await custom.getNamespacedCustomObject({
      ...isvc(NS),
      name,
    })) as Json;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

async function serviceNames(): Promise<string[]> {
  const list = (await custom.listNamespacedCustomObject(isvc(NS))) as Json;
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

/** All serving tags of the seeded versions. */
async function allServingTags(versions: string[]) {
  return Object.fromEntries(
    await Promise.all(versions.map(async v => [v, await servingTags(v)])),
  );
}

/** The ML project as the ml-project template's catalog-info.yaml describes one. */
const project = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: PROJECT,
    annotations: {
      'mlflow.org/experiment-name': `${PREFIX}fraud-detector`,
      'mlflow.org/registered-model-name': MODEL,
      'mlflow.org/instance': 'main',
      'mlstack.io/kserve-inference-service': SERVICE,
      'backstage.io/kubernetes-namespace': NS,
      'mlstack.io/kubernetes-cluster': 'harness',
    },
  },
  spec: { type: 'ml-project', lifecycle: 'experimental', owner: ML_TEAM },
};

/** The form's values as the scaffolder's frontend sends them (its defaults filled in). */
const formValues = (over: Json = {}): Json => ({
  entityRef: PROJECT_REF,
  sourceType: 'version',
  version: '1',
  mode: 'Standard',
  canaryTrafficPercent: 0,
  cpuRequest: '100m',
  cpuLimit: '1',
  memoryRequest: '256Mi',
  memoryLimit: '1Gi',
  minReplicas: 1,
  maxReplicas: 2,
  ...over,
});

interface TaskEvent {
  type: string;
  body: Json;
}

describe('templates/deploy-model: a real template run through the scaffolder', () => {
  let baseUrl: string;
  let stop: () => Promise<void>;
  let seed: MlflowSeedSummary;
  let tmp: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    seed = await seedMlflow(mlflowUrl, PREFIX);
    await core.createNamespace({
      body: {
        metadata: { name: NS, annotations: { [OWNER_KEY]: ML_TEAM } },
      },
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstack-deploy-template-'));
    const entitiesFile = path.join(tmp, 'entities.yaml');
    fs.writeFileSync(entitiesFile, JSON.stringify(project));
    const started = await startTrustBackend(
      {
        app: { baseUrl: 'http://localhost:3000' },
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        auth: { environment: 'development', providers: { 'test-users': {} } },
        catalog: {
          rules: [{ allow: ['Component', 'User', 'Group', 'Template'] }],
          locations: [
            {
              type: 'file',
              target: path.resolve(__dirname, '../../../examples/org.yaml'),
            },
            { type: 'file', target: entitiesFile },
            { type: 'file', target: TEMPLATE_FILE },
          ],
        },
        permission: { enabled: true },
        mlops: {
          permissions: { adminGroups: ['group:default/platform-team'] },
          mlflow: {
            instances: [
              {
                name: 'main',
                baseUrl: mlflowUrl,
                artifactsDestination: ARTIFACTS,
              },
            ],
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
                namespaces: [NS],
                modes: ['Standard', 'Knative'],
                serviceAccountName: 'kserve-models',
              },
            ],
          },
        },
      },
      { scaffolder: true },
    );
    baseUrl = started.baseUrl;
    stop = () => started.backend.stop();

    const catalogStatus = async (ref: string, token: string) =>
      (
        await fetch(`${started.baseUrl}/api/catalog/entities/by-name/${ref}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status;
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        tokens.guest = await started.signIn('user:default/guest');
        tokens.riley = await started.signIn('user:default/riley');
        const projectStatus = await catalogStatus(
          `component/default/${PROJECT}`,
          tokens.guest,
        );
        const templateStatus = await catalogStatus(
          'template/default/deploy-model',
          tokens.guest,
        );
        if (projectStatus === 200 && templateStatus === 200) break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) {
        throw new Error('the catalog did not ingest the project and template');
      }
      await new Promise(r => setTimeout(r, 500));
    }
  });

  afterAll(async () => {
    await stop?.();
    await core.deleteNamespace({ name: NS }).catch(() => undefined);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function call(
    method: 'GET' | 'POST',
    route: string,
    token: string,
    body?: object,
  ) {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /**
   * Starts a task of the registered template as the user, waits until it ends; its status,
   * its events, the completion event's output and the error messages of its log.
   */
  async function runTask(token: string, values: Json) {
    const created = await call('POST', '/api/scaffolder/v2/tasks', token, {
      templateRef: 'template:default/deploy-model',
      values,
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const deadline = Date.now() + 120_000;
    let task: Json;
    for (;;) {
      task = (await call('GET', `/api/scaffolder/v2/tasks/${id}`, token)).body;
      if (!['open', 'processing'].includes(task.status)) break;
      if (Date.now() > deadline) {
        throw new Error(`task ${id} still ${task.status} after 120 s`);
      }
      await new Promise(r => setTimeout(r, 250));
    }
    const events: TaskEvent[] = (
      await call('GET', `/api/scaffolder/v2/tasks/${id}/events`, token)
    ).body;
    const completion = events.find(e => e.type === 'completion');
    return {
      id,
      task,
      status: task.status as string,
      events,
      output: completion?.body.output as Json | undefined,
      messages: events.map(e => String(e.body.message ?? '')).join('\n'),
      stepStatus: Object.fromEntries(
        events
          .filter(e => e.body.stepId && e.body.status)
          .map(e => [e.body.stepId, e.body.status]),
      ),
    };
  }

  const versionOf = (v: string) =>
    seed.registeredModel.versions.find(m => m.version === v)!;
  const storageOf = (v: string) =>
    `${ARTIFACTS}/${seed.experiments.fraudDetector.id}/models/${
      versionOf(v).modelId
    }/artifacts`;
  const tagKey = (service: string) =>
    `mlstack.io/serving/harness/${NS}/${service}`;
  const seededVersions = () =>
    seed.registeredModel.versions.map(v => v.version);
  /** The champion (by alias), and a version that is not it (deployed first by number). */
  const champion = () => seed.registeredModel.aliases.champion;
  const first = () => seededVersions().find(v => v !== champion())!;

  it('riley (risk-team, not a member of ml-team): the permission policy refuses, the task fails saying why, nothing is created', async () => {
    const tagsBefore = await allServingTags(seededVersions());
    const run = await runTask(
      tokens.riley,
      formValues({ version: first(), serviceName: 'dt-refused' }),
    );
    expect(run.status).toBe('failed');
    expect(run.stepStatus).toMatchObject({
      project: 'completed',
      deploy: 'failed',
    });
    expect(run.messages).toContain(
      `User user:default/riley may not mlops.kserve.service.deploy on ${PROJECT_REF}: the permission policy denies it`,
    );
    expect(run.stepStatus.summary).not.toBe('completed');
    expect(await serviceNames()).toEqual([]);
    expect(await allServingTags(seededVersions())).toEqual(tagsBefore);
  });

  it('a dry run of the template with the same values stores nothing', async () => {
    const template = parseYaml(fs.readFileSync(TEMPLATE_FILE, 'utf8'));
    const tagsBefore = await allServingTags(seededVersions());
    const res = await call('POST', '/api/scaffolder/v2/dry-run', tokens.guest, {
      template,
      values: formValues({ version: first() }),
      secrets: {},
      directoryContents: [],
    });
    expect(res.status).toBe(200);
    const log = (res.body.log as Array<{ body: Json }>)
      .map(e => String(e.body.message ?? ''))
      .join('\n');
    expect(log).toContain(
      `Dry run: the API server accepts InferenceService '${SERVICE}' in namespace '${NS}' on cluster 'harness'`,
    );
    expect(log).toContain('nothing was stored');
    expect(res.body.output.text[0].content).toContain('**create**');
    expect(res.body.output.text[0].content).toContain(storageOf(first()));
    expect(await serviceNames()).toEqual([]);
    expect(await allServingTags(seededVersions())).toEqual(tagsBefore);
  });

  it('guest (ml-team): a task by version number creates the service, with the outputs the template declares', async () => {
    const version = first();
    const run = await runTask(tokens.guest, formValues({ version }));
    expect({ status: run.status, steps: run.stepStatus }).toEqual({
      status: 'completed',
      steps: {
        project: 'completed',
        deploy: 'completed',
        summary: 'completed',
      },
    });
    expect(run.task.createdBy).toBe('user:default/guest');

    // The template's output: the link to the project, and the Deployed text.
    expect(run.output!.links).toEqual([
      {
        title: 'Open the project (Serving tab)',
        icon: 'catalog',
        entityRef: PROJECT_REF,
      },
    ]);
    expect(run.output!.text).toHaveLength(1);
    const text = run.output!.text[0];
    expect(text.title).toBe('Deployed');
    expect(text.content).toContain('| What happened | **create** |');
    expect(text.content).toContain(
      `| InferenceService | \`${SERVICE}\` in \`${NS}\` |`,
    );
    expect(text.content).toContain(`| Model version | ${version} |`);
    expect(text.content).toContain(
      `| Storage URI | \`${storageOf(version)}\` |`,
    );
    expect(text.content).toContain(
      '| URL | not reported yet (KServe sets it once the service is ready) |',
    );
    expect(text.content).toContain('A canary takes 0 % of the traffic');
    // The summary step's log line, rendered from the deploy step's outputs.
    expect(run.messages).toMatch(
      new RegExp(
        `create of InferenceService ${SERVICE}\\s+in namespace ${NS}: model version\\s+${version} from\\s+${storageOf(
          version,
        ).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );

    // The object on the API server.
    const object = (await readService(SERVICE))!;
    expect(object?.metadata?.name).toBe(SERVICE);
    expect(object.metadata.labels['backstage.io/kubernetes-id']).toBe(PROJECT);
    expect(object.metadata.annotations).toMatchObject({
      'serving.kserve.io/deploymentMode': 'Standard',
      'mlstack.io/entity-ref': PROJECT_REF,
    });
    expect(
      JSON.parse(object.metadata.annotations['mlstack.io/served-model']),
    ).toMatchObject({
      modelName: MODEL,
      version,
      storageUri: storageOf(version),
      deployedBy: 'user:default/guest',
    });
    expect(object.metadata.managedFields.map((f: Json) => f.manager)).toEqual([
      'mlstack-portal',
    ]);
    expect(object.spec.predictor).toMatchObject({
      serviceAccountName: 'kserve-models',
      minReplicas: 1,
      maxReplicas: 2,
      model: {
        modelFormat: { name: 'sklearn' },
        runtime: 'kserve-sklearnserver',
        storageUri: storageOf(version),
        resources: {
          requests: { cpu: '100m', memory: '256Mi' },
          limits: { cpu: '1', memory: '1Gi' },
        },
      },
    });
    expect(object.spec.predictor.canaryTrafficPercent).toBeUndefined();
    expect(await serviceNames()).toEqual([SERVICE]);

    // The MLflow serving tag on the version.
    expect(await servingTags(version)).toEqual({
      [tagKey(SERVICE)]: {
        role: 'stable',
        trafficPercent: 100,
        mode: 'Standard',
      },
    });
  });

  it('guest: a second task by alias with 20 % canary starts a canary beside the served version', async () => {
    const stable = first();
    const run = await runTask(
      tokens.guest,
      formValues({
        sourceType: 'alias',
        version: undefined,
        alias: 'champion',
        canaryTrafficPercent: 20,
      }),
    );
    expect(run.status).toBe('completed');
    expect(run.output!.text[0].content).toContain(
      '| What happened | **canary** |',
    );
    expect(run.output!.text[0].content).toContain(
      `| Model version | ${champion()} |`,
    );
    expect(run.output!.text[0].content).toContain(
      'A canary takes 20 % of the traffic',
    );
    const object = (await readService(SERVICE))!;
    // Standard mode: the served version stays the predictor, the canary a spec.canary entry.
    expect(object.spec.predictor.model.storageUri).toBe(storageOf(stable));
    expect(object.spec.canary).toEqual([
      {
        trafficPercent: 20,
        predictor: expect.objectContaining({
          name: `v${champion()}`,
          model: expect.objectContaining({ storageUri: storageOf(champion()) }),
        }),
      },
    ]);
    expect(await servingTags(stable)).toEqual({
      [tagKey(SERVICE)]: {
        role: 'stable',
        trafficPercent: 80,
        mode: 'Standard',
      },
    });
    expect(await servingTags(champion())).toEqual({
      [tagKey(SERVICE)]: {
        role: 'canary',
        trafficPercent: 20,
        mode: 'Standard',
      },
    });
  });
});
