/**
 * Trust, against the real backend: the auth backend signs users in through the catalog, the
 * permission backend runs the MLStack policy, the catalog evaluates `isEntityOwner`, and the
 * MLStack backend acts on the harness's real kube-apiserver (Argo/KServe CRDs) and MLflow.
 *
 * 1. The permission matrix: every MLStack action by an entity's direct owner, a member of the
 *    owning group, an admin group member, a user of another team, a service with and without
 *    a grant, and no token; the "yes" changes the cluster, the "no" is a 403 that names the
 *    permission and why, changes nothing, and is recorded by the auditor as failed.
 * 2. Forged entities: entities of another team whose annotations point at the owner's
 *    namespace, experiment and model, at everything (selectors), at unknown clusters and
 *    instances: refused, and no response body carries the owner's data.
 */
import {
  failedStepsWorkflow,
  runningTemplateWorkflow,
  type KubeObject,
} from '@internal/harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  harnessClients,
  trainingTemplate,
} from './__testUtils__/harnessClients';
import { startTrustBackend } from './__testUtils__/trustBackend';

jest.setTimeout(120_000);

const stamp = `${Date.now().toString(36)}`;

const OWNER_KEY = 'mlstack.io/owner';
const NS_TEAM = `trust-team-${stamp}`;
const NS_OLIVE = `trust-olive-${stamp}`;
const NS_RISK = `trust-risk-${stamp}`;
const TEMPLATE = 'trust-train';
const PART_OF = { 'app.kubernetes.io/part-of': 'trust-fraud' };
const EXPERIMENT = `trust-exp-${stamp}`;
const UNCLAIMED_EXPERIMENT = `trust-unclaimed-${stamp}`;
const MODEL = `trust-model-${stamp}`;
const CI_TOKEN = `ci-${stamp}-${Math.random().toString(36).slice(2)}`;
const UNGRANTED_TOKEN = `ungranted-${stamp}-${Math.random()
  .toString(36)
  .slice(2)}`;

const { kube, mlflowUrl, core, custom, argo, mlflow } = harnessClients();

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

const teamAnnotations = (namespace: string) => ({
  'backstage.io/kubernetes-namespace': namespace,
  'argoworkflows.argoproj.io/workflow-selector':
    'app.kubernetes.io/part-of=trust-fraud',
  'mlstack.io/argo-workflow-template': TEMPLATE,
  'mlstack.io/kserve-inference-service': 'trust-isvc',
  'mlflow.org/experiment-name': EXPERIMENT,
  'mlflow.org/registered-model-name': MODEL,
});

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'olive' },
    spec: { memberOf: [] },
  },
  component('trust-fraud', 'group:default/ml-team', teamAnnotations(NS_TEAM)),
  component('trust-olive', 'user:default/olive', teamAnnotations(NS_OLIVE)),
  component('trust-unclaimed', 'group:default/ml-team', {
    'mlflow.org/experiment-name': UNCLAIMED_EXPERIMENT,
  }),
  // What another team can register: its own entities, aimed at the ml-team's objects.
  component('forged-namespace', 'group:default/risk-team', {
    ...teamAnnotations(NS_TEAM),
    'mlflow.org/experiment-name': 'none',
    'mlflow.org/registered-model-name': 'none',
  }),
  component('forged-mlflow', 'group:default/risk-team', {
    'mlflow.org/experiment-name': EXPERIMENT,
    'mlflow.org/registered-model-name': MODEL,
  }),
  component('forged-selector-not', 'group:default/risk-team', {
    'backstage.io/kubernetes-namespace': NS_RISK,
    'argoworkflows.argoproj.io/workflow-selector': '!x',
    'mlstack.io/kserve-selector': '!x',
  }),
  component('forged-selector-exists', 'group:default/risk-team', {
    'backstage.io/kubernetes-namespace': NS_RISK,
    'argoworkflows.argoproj.io/workflow-selector': 'app.kubernetes.io/part-of',
    'mlstack.io/kserve-selector': 'app.kubernetes.io/part-of notin (x)',
  }),
  component('forged-cluster', 'group:default/risk-team', {
    'backstage.io/kubernetes-namespace': NS_TEAM,
    'mlstack.io/kubernetes-cluster': 'production-eu',
    'mlstack.io/argo-workflow-template': TEMPLATE,
  }),
  component('forged-instance', 'group:default/risk-team', {
    'mlflow.org/experiment-name': EXPERIMENT,
    'mlflow.org/instance': 'team-private',
  }),
  // Registered by the risk team as the ml-team's, then flipped to its own (see below).
  component('flip', 'group:default/ml-team', teamAnnotations(NS_TEAM)),
];

async function createNamespace(name: string, owner: string) {
  await core.createNamespace({
    body: { metadata: { name, annotations: { [OWNER_KEY]: owner } } },
  });
}

async function createWorkflow(namespace: string, object: KubeObject) {
  await custom.createNamespacedCustomObject({
    ...argo(namespace),
    body: object,
  });
  return object.metadata.name as string;
}

/** A running workflow of the entity (to stop, terminate or resubmit). */
function running(namespace: string, name: string) {
  return createWorkflow(
    namespace,
    runningTemplateWorkflow(namespace, name, PART_OF),
  );
}

/**
 * A failed workflow of the entity (to retry): upstream `failed-retries-tjjsc`, whose node ids
 * derive from its name, so it keeps that name; an earlier copy is replaced.
 */
async function failed(namespace: string) {
  const object = failedStepsWorkflow(namespace, PART_OF);
  const name = object.metadata.name as string;
  await custom
    .deleteNamespacedCustomObject({ ...argo(namespace), name })
    .catch(() => undefined);
  for (let i = 0; i < 50; i++) {
    if (!(await workflowNames(namespace)).includes(name)) break;
    await new Promise(r => setTimeout(r, 100));
  }
  return createWorkflow(namespace, object);
}

async function readWorkflow(namespace: string, name: string) {
  return (await custom.getNamespacedCustomObject({
    ...argo(namespace),
    name,
  })) as KubeObject;
}

async function workflowNames(namespace: string): Promise<string[]> {
  const list = (await custom.listNamespacedCustomObject(
    argo(namespace),
  )) as KubeObject;
  return list.items.map((i: KubeObject) => i.metadata.name).sort();
}

type Action = 'submit' | 'resubmit' | 'retry' | 'stop' | 'terminate';
const ACTIONS: Action[] = ['submit', 'resubmit', 'retry', 'stop', 'terminate'];

describe('trust: permissions and owner-bound scopes against the real backend', () => {
  let baseUrl: string;
  let signIn: (user: string) => Promise<string>;
  let auditEvents: Array<{
    plugin: string;
    eventId: string;
    meta: Record<string, unknown>;
    outcome: string;
    error?: { name: string; message: string };
  }>;
  let stop: () => Promise<void>;
  const tokens: Record<string, string | undefined> = {};
  const teamData: { runId?: string; experimentId?: string } = {};
  let tmp: string;
  let entitiesFile: string;

  beforeAll(async () => {
    await createNamespace(NS_TEAM, 'group:default/ml-team');
    await createNamespace(NS_OLIVE, 'user:default/olive');
    await createNamespace(NS_RISK, 'group:default/risk-team');
    for (const namespace of [NS_TEAM, NS_OLIVE]) {
      await custom.createNamespacedCustomObject({
        ...argo(namespace, 'workflowtemplates'),
        body: trainingTemplate(TEMPLATE, namespace),
      });
    }
    await running(NS_TEAM, 'team-secret-run');

    const experiment = await mlflow('experiments/create', {
      name: EXPERIMENT,
      tags: [{ key: OWNER_KEY, value: 'group:default/ml-team' }],
    });
    teamData.experimentId = experiment.experiment_id;
    const run = await mlflow('runs/create', {
      experiment_id: experiment.experiment_id,
      run_name: 'team-secret-training',
    });
    teamData.runId = run.run.info.run_id;
    await mlflow('runs/log-metric', {
      run_id: teamData.runId,
      key: 'secret_accuracy',
      value: 0.987654,
      timestamp: Date.now(),
      step: 0,
    });
    await mlflow('experiments/create', { name: UNCLAIMED_EXPERIMENT });
    await mlflow('registered-models/create', {
      name: MODEL,
      tags: [{ key: OWNER_KEY, value: 'group:default/ml-team' }],
    });
    await mlflow('model-versions/create', {
      name: MODEL,
      source: 's3://team-secret-bucket/models/1',
    });

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstack-trust-'));
    entitiesFile = path.join(tmp, 'entities.yaml');
    fs.writeFileSync(
      entitiesFile,
      entities.map(e => JSON.stringify(e)).join('\n---\n'),
    );
    const caData = fs.readFileSync(kube.caFile, 'utf8');
    const started = await startTrustBackend({
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        database: { client: 'better-sqlite3', connection: ':memory:' },
        auth: {
          externalAccess: [
            { type: 'static', options: { token: CI_TOKEN, subject: 'ci' } },
            {
              type: 'static',
              options: { token: UNGRANTED_TOKEN, subject: 'nightly' },
            },
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
        mlflow: { instances: [{ name: 'main', baseUrl: mlflowUrl }] },
        kubernetes: {
          clusters: [
            {
              name: 'harness',
              url: kube.server,
              serviceAccountToken: kube.adminToken,
              caData,
            },
          ],
        },
      },
    });
    baseUrl = started.baseUrl;
    signIn = started.signIn;
    auditEvents = started.auditEvents;
    stop = () => started.backend.stop();

    // The catalog ingests the locations in the background: wait for the last entity and
    // for group membership (sign-in reads it).
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        tokens.guest = await signIn('user:default/guest');
        tokens.olive = await signIn('user:default/olive');
        tokens.pat = await signIn('user:default/pat');
        tokens.riley = await signIn('user:default/riley');
        const res = await get(
          '/api/catalog/entities/by-name/component/default/forged-instance',
          tokens.guest,
        );
        if (res.status === 200) break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error('catalog did not ingest the test entities');
      await new Promise(r => setTimeout(r, 500));
    }
    tokens.ci = CI_TOKEN;
    tokens.nightly = UNGRANTED_TOKEN;
    tokens.none = undefined;
  });

  afterAll(async () => {
    await stop?.();
    for (const name of [NS_TEAM, NS_OLIVE, NS_RISK]) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  function get(route: string, token?: string) {
    return fetch(`${baseUrl}${route}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  function post(route: string, token: string | undefined, body: object = {}) {
    return fetch(`${baseUrl}${route}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  /** The last event the MLStack backend recorded (other plugins, e.g. the catalog, record too). */
  const lastMlopsEvent = () =>
    auditEvents.filter(e => e.plugin === 'mlops').slice(-1)[0];

  const mlops = (entity: string) =>
    `/api/mlops/entities/component/default/${entity}`;

  /** Prepares a workflow for the action and calls it; returns the response and the workflow. */
  async function act(
    caller: string,
    entity: string,
    namespace: string,
    action: Action,
  ) {
    const token = tokens[caller];

    if (action === 'submit') {
      const before = await workflowNames(namespace);
      const res = await post(
        `${mlops(entity)}/argo/workflow-templates/${TEMPLATE}/submit`,
        token,
        { parameters: { epochs: '3', mode: 'full' } },
      );
      return { res, before, workflow: undefined };
    }
    const name =
      action === 'retry'
        ? await failed(namespace)
        : await running(
            namespace,
            `${caller}-${action}-${entity}`.slice(0, 60),
          );
    const before = await workflowNames(namespace);
    const res = await post(
      `${mlops(entity)}/argo/workflows/${name}/${action}`,
      token,
    );
    return { res, before, workflow: name };
  }

  /** What an action left on the cluster: workflows created since `before`, and the target's state. */
  async function effectOf(
    action: Action,
    namespace: string,
    before: string[],
    workflow: string | undefined,
  ) {
    const created = (await workflowNames(namespace)).filter(
      n => !before.includes(n),
    );
    if (action === 'submit' || action === 'resubmit') {
      const object =
        created.length === 1
          ? await readWorkflow(namespace, created[0])
          : undefined;
      return {
        created,
        creator: object?.metadata.labels?.['workflows.argoproj.io/creator'],
        parameters: Object.fromEntries(
          (object?.spec.arguments?.parameters ?? []).map((p: KubeObject) => [
            p.name,
            p.value,
          ]),
        ),
      };
    }
    const object = await readWorkflow(namespace, workflow!);
    return {
      created,
      shutdown: object.spec.shutdown,
      phase: object.status?.phase,
      lastAction: object.metadata.labels?.['workflows.argoproj.io/action'],
    };
  }

  const SUCCESS: Record<Action, number> = {
    submit: 201,
    resubmit: 201,
    retry: 200,
    stop: 200,
    terminate: 200,
  };

  describe('the permission matrix', () => {
    const allowed: Array<[string, string, string, string]> = [
      ['the direct owner', 'olive', 'trust-olive', NS_OLIVE],
      ['a member of the owning group', 'guest', 'trust-fraud', NS_TEAM],
      ['a member of an admin group', 'pat', 'trust-fraud', NS_TEAM],
    ];
    describe.each(allowed)('%s (%s) on %s', (_, caller, entity, namespace) => {
      it.each(ACTIONS)('may %s, and the cluster shows it', async action => {
        const { res, before, workflow } = await act(
          caller,
          entity,
          namespace,
          action,
        );
        const body = await res.json();
        expect({ status: res.status, error: body.error }).toEqual({
          status: SUCCESS[action],
        });
        const effect = await effectOf(action, namespace, before, workflow);
        expect(effect).toMatchObject(
          {
            submit: {
              created: [body.name],
              creator: `user-default-${caller}`,
              parameters: { epochs: '3', mode: 'full' },
            },
            resubmit: { created: [body.name] },
            // Reset for the controller to run again, as `argo retry` leaves it.
            retry: { created: [], phase: undefined, lastAction: 'Retry' },
            stop: { created: [], shutdown: 'Stop' },
            terminate: { created: [], shutdown: 'Terminate' },
          }[action],
        );
        const event = lastMlopsEvent();
        expect(event).toMatchObject({
          plugin: 'mlops',
          eventId: `argo-workflow-${action}`,
          outcome: 'succeeded',
          meta: {
            entityRef: `component:default/${entity}`,
            namespace,
            cluster: 'harness',
          },
        });
      });
    });

    const refused: Array<[string, string, string, string, RegExp]> = [
      [
        'a user of another team',
        'riley',
        'trust-fraud',
        NS_TEAM,
        /^user:default\/riley may not mlops\.argo\.workflow\.\w+ on component:default\/trust-fraud: the permission policy allows it to the entity's owner \(group:default\/ml-team\) and its members, and to the admin groups/,
      ],
      [
        'the owner of another entity',
        'olive',
        'trust-fraud',
        NS_TEAM,
        /^user:default\/olive may not mlops\.argo\.workflow\.\w+ on component:default\/trust-fraud/,
      ],
      [
        'a member of the owning group, on another owner’s entity',
        'guest',
        'trust-olive',
        NS_OLIVE,
        /^user:default\/guest may not mlops\.argo\.workflow\.\w+ on component:default\/trust-olive: .*owner \(user:default\/olive\)/,
      ],
      [
        'a service without a grant',
        'nightly',
        'trust-fraud',
        NS_TEAM,
        /^service 'nightly' may not mlops\.argo\.workflow\.\w+ on component:default\/trust-fraud: mlops\.permissions\.serviceGrants does not grant it/,
      ],
    ];
    describe.each(refused)(
      '%s (%s) on %s',
      (_, caller, entity, namespace, message) => {
        it.each(ACTIONS)(
          'may not %s: 403 naming the permission and why, nothing changed, audited as failed',
          async action => {
            const { res, before, workflow } = await act(
              caller,
              entity,
              namespace,
              action,
            );
            const body = await res.json();
            expect(res.status).toBe(403);
            expect(body.error.name).toBe('NotAllowedError');
            expect(body.error.message).toMatch(message);
            expect(body.error.message).toContain(
              `mlops.argo.workflow.${action}`,
            );
            const effect = await effectOf(action, namespace, before, workflow);
            expect(effect).toEqual(
              action === 'submit' || action === 'resubmit'
                ? { created: [], parameters: {} }
                : {
                    created: [],
                    shutdown: undefined,
                    phase: action === 'retry' ? 'Failed' : 'Running',
                    lastAction: undefined,
                  },
            );
            const event = lastMlopsEvent();
            expect(event).toMatchObject({
              plugin: 'mlops',
              eventId: `argo-workflow-${action}`,
              outcome: 'failed',
              meta: { entityRef: `component:default/${entity}` },
              error: { name: 'NotAllowedError' },
            });
          },
        );
      },
    );

    describe('a service with a grant (ci: submit only)', () => {
      it('may submit', async () => {
        const { res, before } = await act(
          'ci',
          'trust-fraud',
          NS_TEAM,
          'submit',
        );
        const body = await res.json();
        expect(res.status).toBe(201);
        const after = await workflowNames(NS_TEAM);
        expect(after.filter(n => !before.includes(n))).toEqual([body.name]);
        expect(lastMlopsEvent()).toMatchObject({
          eventId: 'argo-workflow-submit',
          outcome: 'succeeded',
        });
      });

      it.each(ACTIONS.filter(a => a !== 'submit'))(
        'may not %s (not granted)',
        async action => {
          const { res, before } = await act(
            'ci',
            'trust-fraud',
            NS_TEAM,
            action,
          );
          const body = await res.json();
          expect(res.status).toBe(403);
          expect(body.error.message).toBe(
            `service 'ci' may not mlops.argo.workflow.${action} on component:default/trust-fraud: mlops.permissions.serviceGrants does not grant it to that service`,
          );
          expect(await workflowNames(NS_TEAM)).toEqual(before);
          expect(lastMlopsEvent()).toMatchObject({
            eventId: `argo-workflow-${action}`,
            outcome: 'failed',
          });
        },
      );
    });

    it.each(ACTIONS)(
      'no token: %s is refused with 401, nothing changed',
      async action => {
        const { res, before } = await act(
          'none',
          'trust-fraud',
          NS_TEAM,
          action,
        );
        expect(res.status).toBe(401);
        expect(await workflowNames(NS_TEAM)).toEqual(before);
      },
    );

    it('reads stay open to every signed-in user: another team sees the owner’s runs', async () => {
      const res = await get(
        `${mlops('trust-fraud')}/argo/workflows?limit=200`,
        tokens.riley,
      );
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.items.map((i: any) => i.name)).toContain('team-secret-run');
    });
  });

  describe('submit takes only the parameters the template marks as submittable', () => {
    it('refuses the image, which the template does not list', async () => {
      const res = await post(
        `${mlops('trust-fraud')}/argo/workflow-templates/${TEMPLATE}/submit`,
        tokens.guest,
        { parameters: { image: 'attacker/miner:latest' } },
      );
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toBe(
        `Parameter 'image' of WorkflowTemplate '${TEMPLATE}' cannot be set from the portal: only parameters with an enum or listed in its mlstack.io/submittable-parameters annotation may be set`,
      );
    });

    it('refuses a value outside the listed pattern', async () => {
      const res = await post(
        `${mlops('trust-fraud')}/argo/workflow-templates/${TEMPLATE}/submit`,
        tokens.guest,
        { parameters: { epochs: '10; rm -rf /' } },
      );
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain(
        "Parameter 'epochs' of WorkflowTemplate 'trust-train' must match [0-9]{1,3}",
      );
    });
  });

  it('an owner flipped after a read cannot carry an action into the old owner’s namespace', async () => {
    // The risk team reads through an entity that names the ml-team as owner (reads are open;
    // the answer is kept a few seconds), then makes the entity its own and acts at once.
    const read = await get(`${mlops('flip')}/argo/workflows`, tokens.riley);
    expect(read.status).toBe(200);
    const flipped = entities.map(e =>
      e.metadata.name === 'flip'
        ? { ...e, spec: { ...e.spec, owner: 'group:default/risk-team' } }
        : e,
    );
    fs.writeFileSync(
      entitiesFile,
      flipped.map(e => JSON.stringify(e)).join('\n---\n'),
    );
    await post('/api/catalog/refresh', tokens.riley, {
      entityRef: 'component:default/flip',
    });
    const deadline = Date.now() + 30_000;
    let owner: string | undefined;
    while (owner !== 'group:default/risk-team' && Date.now() < deadline) {
      const entity = await (
        await get(
          '/api/catalog/entities/by-name/component/default/flip',
          tokens.riley,
        )
      ).json();
      owner = entity.spec.owner;
      if (owner !== 'group:default/risk-team') {
        await new Promise(r => setTimeout(r, 250));
      }
    }
    expect(owner).toBe('group:default/risk-team');

    await running(NS_TEAM, 'flip-target');
    const res = await post(
      `${mlops('flip')}/argo/workflows/flip-target/stop`,
      tokens.riley,
    );
    const body = await res.json();
    expect(res.status).toBe(403);
    expect(body.error.message).toContain(
      `Namespace '${NS_TEAM}' on cluster 'harness' is not usable by component:default/flip`,
    );
    const target = await readWorkflow(NS_TEAM, 'flip-target');
    expect(target.spec.shutdown).toBeUndefined();
    expect(lastMlopsEvent()).toMatchObject({
      eventId: 'argo-workflow-stop',
      outcome: 'failed',
    });
  });

  describe('forged entities: another team aims its own entities at the owner’s objects', () => {
    const secretWords = () => [
      'team-secret-run',
      'team-secret-training',
      teamData.runId!,
      '0.987654',
      'team-secret-bucket',
    ];
    /** Nothing of the owner's in the body, beyond the names the caller asked for. */
    function expectNoTeamData(body: any, asked: string[] = []) {
      const text = JSON.stringify({ ...body, request: undefined });
      for (const word of secretWords().filter(w => !asked.includes(w))) {
        expect(text).not.toContain(word);
      }
    }

    it.each([
      ['argo/workflows'],
      ['argo/workflows/team-secret-run'],
      ['argo/workflow-templates'],
      ['kserve/inference-services'],
    ])(
      'GET %s on the owner’s namespace: 403 naming the namespace and both owners',
      async route => {
        const res = await get(
          `${mlops('forged-namespace')}/${route}`,
          tokens.riley,
        );
        const body = await res.json();
        expect(res.status).toBe(403);
        expect(body.error.message).toBe(
          `Namespace '${NS_TEAM}' on cluster 'harness' is not usable by component:default/forged-namespace: its mlstack.io/owner annotation names group:default/ml-team, and the entity's owner is group:default/risk-team`,
        );
        expectNoTeamData(body, route.split('/'));
      },
    );

    it('submit on the owner’s namespace by the forger (who owns the forged entity): 403, nothing created, audited', async () => {
      const before = await workflowNames(NS_TEAM);
      const res = await post(
        `${mlops(
          'forged-namespace',
        )}/argo/workflow-templates/${TEMPLATE}/submit`,
        tokens.riley,
      );
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toContain(
        `Namespace '${NS_TEAM}' on cluster 'harness' is not usable`,
      );
      expect(await workflowNames(NS_TEAM)).toEqual(before);
      expect(lastMlopsEvent()).toMatchObject({
        eventId: 'argo-workflow-submit',
        outcome: 'failed',
        error: { name: 'NotAllowedError' },
      });
    });

    it('the owner’s experiment and model are refused by name, with no data', async () => {
      const experiments = await get(
        `${mlops('forged-mlflow')}/mlflow/experiments`,
        tokens.riley,
      );
      expect(experiments.status).toBe(200);
      const body = await experiments.json();
      expect(body.experiments).toEqual([]);
      expect(body.refusedExperiments).toEqual([
        {
          name: EXPERIMENT,
          reason: `Experiment '${EXPERIMENT}' belongs to group:default/ml-team (tag mlstack.io/owner), and the owner of component:default/forged-mlflow is group:default/risk-team`,
        },
      ]);
      // Nothing but the name and the reason: no id, tags or URL of the owner's experiment.
      expect(Object.keys(body.refusedExperiments[0]).sort()).toEqual([
        'name',
        'reason',
      ]);
      expect(JSON.stringify(body)).not.toContain('experimentId');

      const models = await get(
        `${mlops('forged-mlflow')}/mlflow/models`,
        tokens.riley,
      );
      const modelsBody = await models.json();
      expect(models.status).toBe(200);
      expect(modelsBody.models).toEqual([]);
      expect(modelsBody.refusedModels.map((m: any) => m.name)).toEqual([MODEL]);
      expectNoTeamData(modelsBody);
    });

    it.each([
      ['runs', 200],
      ['logged-models', 200],
    ])(
      'GET mlflow/%s through the forged entity lists nothing of the owner',
      async (route, status) => {
        const res = await get(
          `${mlops('forged-mlflow')}/mlflow/${route}`,
          tokens.riley,
        );
        const body = await res.json();
        expect(res.status).toBe(status);
        expectNoTeamData(body);
      },
    );

    it.each([
      (id: string) => `runs/${id}`,
      (id: string) => `runs/${id}/metrics/secret_accuracy`,
      (id: string) => `runs/${id}/artifacts`,
    ])(
      'a run of the owner read by id through the forged entity: 404 like a missing run (%#)',
      async routeOf => {
        const res = await get(
          `${mlops('forged-mlflow')}/mlflow/${routeOf(teamData.runId!)}`,
          tokens.riley,
        );
        const missing = await get(
          `${mlops('forged-mlflow')}/mlflow/${routeOf(
            '0123456789abcdef0123456789abcdef',
          )}`,
          tokens.riley,
        );
        expect(res.status).toBe(404);
        expect(missing.status).toBe(404);
        const body = await res.json();
        expectNoTeamData(body, [teamData.runId!]);
        expect(body.error.message).toBe(
          (await missing.json()).error.message.replace(
            '0123456789abcdef0123456789abcdef',
            teamData.runId!,
          ),
        );
      },
    );

    it.each([
      [
        'forged-selector-not',
        'argo/workflows',
        'argoworkflows.argoproj.io/workflow-selector',
        '!x',
      ],
      [
        'forged-selector-not',
        'kserve/inference-services',
        'mlstack.io/kserve-selector',
        '!x',
      ],
      [
        'forged-selector-exists',
        'argo/workflows',
        'argoworkflows.argoproj.io/workflow-selector',
        'app.kubernetes.io/part-of',
      ],
      [
        'forged-selector-exists',
        'kserve/inference-services',
        'mlstack.io/kserve-selector',
        'app.kubernetes.io/part-of notin (x)',
      ],
    ])(
      '%s %s: a selector that selects everything is a 400 naming it',
      async (entity, route, annotation, value) => {
        const res = await get(`${mlops(entity)}/${route}`, tokens.riley);
        const body = await res.json();
        expect(res.status).toBe(400);
        expect(body.error.message).toBe(
          `The ${annotation} annotation of component:default/${entity} is '${value}', which selects too much: name at least one label value (e.g. app.kubernetes.io/part-of=my-project)`,
        );
      },
    );

    it('an unknown cluster is a 400 naming the configured ones', async () => {
      const res = await get(
        `${mlops('forged-cluster')}/argo/workflow-templates`,
        tokens.riley,
      );
      const body = await res.json();
      expect(res.status).toBe(400);
      expect(body.error.message).toContain('production-eu');
      expect(body.error.message).toContain('harness');
    });

    it('an unknown MLflow instance is a 400 naming it', async () => {
      const res = await get(
        `${mlops('forged-instance')}/mlflow/runs`,
        tokens.riley,
      );
      const body = await res.json();
      expect(res.status).toBe(400);
      expect(body.error.message).toContain('team-private');
      expectNoTeamData(body);
    });
  });

  it('an unclaimed experiment is shown, marked unclaimed; the owner’s own is owned', async () => {
    const unclaimed = await (
      await get(`${mlops('trust-unclaimed')}/mlflow/experiments`, tokens.guest)
    ).json();
    expect(unclaimed.experiments.map((e: any) => [e.name, e.claim])).toEqual([
      [UNCLAIMED_EXPERIMENT, 'unclaimed'],
    ]);
    const owned = await (
      await get(`${mlops('trust-fraud')}/mlflow/experiments`, tokens.riley)
    ).json();
    expect(owned.experiments.map((e: any) => [e.name, e.claim])).toEqual([
      [EXPERIMENT, 'owned'],
    ]);
    expect(owned.refusedExperiments).toEqual([]);
  });
});
