/**
 * Bad input, against the real backend (the trust backend of `trust.integration.test.ts` plus
 * the scaffolder with the MLStack actions): a table of malformed requests to the MLStack routes
 * (MLflow, Argo, KServe), entities with broken annotations, scaffolder action inputs and
 * ml-project template parameters (through the scaffolder's dry-run API). Each row has the
 * status it must get and a pattern its message must match, naming the field or value that
 * was wrong; none may be a 500. After every row, every group and the whole table, the backend
 * still answers its readiness check and a good request still works.
 */
import {
  requireHarnessService,
  runningTemplateWorkflow,
} from '@internal/harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  harnessClients,
  trainingTemplate,
} from './__testUtils__/harnessClients';
import { startTrustBackend } from './__testUtils__/trustBackend';

jest.setTimeout(180_000);

const stamp = `${Date.now().toString(36)}`;
const s3 = requireHarnessService('s3');

const OWNER_KEY = 'mlstack.io/owner';
const ML_TEAM = 'group:default/ml-team';
const NS = `badinput-${stamp}`;
const TEMPLATE = 'bi-train';
const EXPERIMENT = `badinput-exp-${stamp}`;
const PART_OF = 'app.kubernetes.io/part-of';
const TEMPLATE_DIR = path.resolve(__dirname, '../../../templates/ml-project');

const { kube, mlflowUrl, core, custom, argo, mlflow } = harnessClients();

function component(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'ml-project', lifecycle: 'experimental', owner: ML_TEAM },
  };
}

const goodAnnotations = {
  'backstage.io/kubernetes-namespace': NS,
  'argoworkflows.argoproj.io/workflow-selector': `${PART_OF}=badinput`,
  'mlstack.io/argo-workflow-template': TEMPLATE,
  'mlstack.io/kserve-inference-service': 'bi-isvc',
  'mlflow.org/experiment-name': EXPERIMENT,
};

/** The entities: one good, one more with workflows of its own, and broken annotations. */
const entities = [
  component('bi-good', goodAnnotations),
  component('bi-other', {
    'backstage.io/kubernetes-namespace': NS,
    'argoworkflows.argoproj.io/workflow-selector': `${PART_OF}=badinput-other`,
  }),
  component('bi-ns-label', {
    ...goodAnnotations,
    'backstage.io/kubernetes-namespace': 'Fraud_Detection',
  }),
  component('bi-ns-long', {
    ...goodAnnotations,
    'backstage.io/kubernetes-namespace': 'n'.repeat(64),
  }),
  component('bi-no-ns', {
    'argoworkflows.argoproj.io/workflow-selector': `${PART_OF}=badinput`,
  }),
  component('bi-cluster', {
    ...goodAnnotations,
    'mlstack.io/kubernetes-cluster': 'production-eu',
  }),
  component('bi-selector-paren', {
    ...goodAnnotations,
    'argoworkflows.argoproj.io/workflow-selector': `${PART_OF} in (a`,
  }),
  component('bi-selector-key', {
    ...goodAnnotations,
    'argoworkflows.argoproj.io/workflow-selector': '-team-=fraud',
  }),
  component('bi-selector-all', {
    ...goodAnnotations,
    'argoworkflows.argoproj.io/workflow-selector': '!x',
  }),
  component('bi-kserve-selector', {
    ...goodAnnotations,
    'mlstack.io/kserve-selector': 'team=fraud=detection',
  }),
  component('bi-template-label', {
    ...goodAnnotations,
    'mlstack.io/argo-workflow-template': 'train_job_',
  }),
  component('bi-instance', {
    ...goodAnnotations,
    'mlflow.org/instance': 'team-private',
  }),
];

/** One bad request and what the backend must answer. */
interface Row {
  /** What is wrong with the request. */
  what: string;
  method?: 'GET' | 'POST';
  /** Route, from the backend's base URL. */
  route: string;
  /** A JSON body, or a raw string sent as is (with content-type application/json). */
  body?: unknown;
  /** null: no token (default: the guest user's, a member of the owning group). */
  token?: null;
  status: number;
  /** Matches the error message: names the offending field or value. */
  message: RegExp;
}

/** The error text of a response: Backstage's error body, or the scaffolder's schema errors. */
function messageOf(text: string): string {
  try {
    const body = JSON.parse(text);
    return (
      body.error?.message ??
      (Array.isArray(body.errors)
        ? body.errors.map((e: { stack: string }) => e.stack).join('; ')
        : text)
    );
  } catch {
    return text;
  }
}

const mlops = (entity: string) =>
  `/api/mlops/entities/component/default/${entity}`;
const good = mlops('bi-good');
const NO_RUN = '0123456789abcdef0123456789abcdef';
const DRY_RUN = '/api/scaffolder/v2/dry-run';

/** A dry-run of an inline template with a single step: `action` with `input`. */
function actionDryRun(action: string, input: Record<string, unknown>) {
  return {
    template: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'bad-input-action' },
      spec: {
        type: 'test',
        parameters: [],
        steps: [{ id: 'act', name: action, action, input }],
      },
    },
    values: {},
    secrets: {},
    directoryContents: [],
  };
}

const goodBucket = { bucket: `bi-bucket-${stamp}`, owner: ML_TEAM };
const goodExperiment = { name: `bi-dry-${stamp}`, owner: ML_TEAM };
const goodApply = {
  namespace: `ml-bi-${stamp}`,
  owner: ML_TEAM,
  manifestPaths: ['nothing.yaml'],
};

describe('bad input: none crashes the backend, each is refused naming what was wrong', () => {
  let baseUrl: string;
  let stop: () => Promise<void>;
  let tmp: string;
  let gitRoot: string;
  let templateBody: (values: Record<string, unknown>) => object;
  const tokens: Record<string, string> = {};
  const data: { runId?: string; experimentId?: string } = {};

  beforeAll(async () => {
    await core.createNamespace({
      body: { metadata: { name: NS, annotations: { [OWNER_KEY]: ML_TEAM } } },
    });
    await custom.createNamespacedCustomObject({
      ...argo(NS, 'workflowtemplates'),
      body: trainingTemplate(TEMPLATE, NS),
    });
    for (const [name, partOf] of [
      ['bi-run-1', 'badinput'],
      ['bi-run-2', 'badinput'],
      ['bi-other-1', 'badinput-other'],
      ['bi-other-2', 'badinput-other'],
    ]) {
      await custom.createNamespacedCustomObject({
        ...argo(NS),
        body: runningTemplateWorkflow(NS, name, { [PART_OF]: partOf }),
      });
    }

    const experiment = await mlflow('experiments/create', {
      name: EXPERIMENT,
      tags: [{ key: OWNER_KEY, value: ML_TEAM }],
    });
    data.experimentId = experiment.experiment_id;
    const run = await mlflow('runs/create', {
      experiment_id: experiment.experiment_id,
      run_name: 'bad-input-training',
    });
    data.runId = run.run.info.run_id;
    await mlflow('runs/log-metric', {
      run_id: data.runId,
      key: 'accuracy',
      value: 0.9,
      timestamp: Date.now(),
      step: 0,
    });

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstack-badinput-'));
    gitRoot = path.join(tmp, 'git');
    fs.mkdirSync(gitRoot);
    const entitiesFile = path.join(tmp, 'entities.yaml');
    fs.writeFileSync(
      entitiesFile,
      entities.map(e => JSON.stringify(e)).join('\n---\n'),
    );

    const template = parseYaml(
      fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
    );
    const directoryContents = listFiles(TEMPLATE_DIR).map(file => ({
      path: path.relative(TEMPLATE_DIR, file),
      base64Content: fs.readFileSync(file).toString('base64'),
    }));
    templateBody = values => ({
      template,
      values,
      secrets: {},
      directoryContents,
    });

    const started = await startTrustBackend(
      {
        app: { baseUrl: 'http://localhost:3000' },
        backend: {
          baseUrl: 'http://localhost:7007',
          database: { client: 'better-sqlite3', connection: ':memory:' },
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
          permissions: { adminGroups: ['group:default/platform-team'] },
          mlflow: { instances: [{ name: 'main', baseUrl: mlflowUrl }] },
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
          s3: {
            endpoint: s3.endpoint,
            region: s3.region,
            accessKeyId: s3.accessKeyId,
            secretAccessKey: s3.secretAccessKey,
          },
          git: { allowedRoots: [gitRoot], allowedHosts: ['localhost'] },
          scaffolder: {
            kubernetesApply: { namespaces: [{ patterns: ['ml-*', 'team-*'] }] },
          },
        },
      },
      { scaffolder: true },
    );
    baseUrl = started.baseUrl;
    stop = () => started.backend.stop();

    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        tokens.guest = await started.signIn('user:default/guest');
        const res = await fetch(
          `${baseUrl}/api/catalog/entities/by-name/component/default/bi-instance`,
          { headers: { authorization: `Bearer ${tokens.guest}` } },
        );
        if (res.status === 200) break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error('catalog did not ingest the test entities');
      await new Promise(r => setTimeout(r, 500));
    }
  });

  afterAll(async () => {
    await stop?.();
    await core.deleteNamespace({ name: NS }).catch(() => undefined);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  function listFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        return ['__pycache__', '.pytest_cache'].includes(entry.name)
          ? []
          : listFiles(p);
      }
      return entry.isFile() ? [p] : [];
    });
  }

  async function call(
    route: string,
    options: { method?: string; body?: unknown; token?: string | null } = {},
  ) {
    const token = options.token === undefined ? tokens.guest : options.token;
    const res = await fetch(`${baseUrl}${route}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(options.body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
      },
      body:
        options.body === undefined || typeof options.body === 'string'
          ? (options.body as string | undefined)
          : JSON.stringify(options.body),
    });
    return { status: res.status, text: await res.text() };
  }

  async function readiness() {
    return (await fetch(`${baseUrl}/.backstage/health/v1/readiness`)).status;
  }

  /** What the backend answers to a row, and whether it is still ready afterwards. */
  async function answerOf(row: Row) {
    const res = await call(row.route, {
      method: row.method,
      body: row.body,
      token: row.token,
    });
    return {
      status: res.status,
      message: messageOf(res.text),
      readiness: await readiness(),
    };
  }

  /** The backend's readiness and good requests (MLStack routes, scaffolder dry-run). */
  async function serving() {
    const experiments = await call(`${good}/mlflow/experiments`);
    const run = await call(`${good}/mlflow/runs/${data.runId}`);
    const workflows = await call(`${good}/argo/workflows?limit=10`);
    const dryRun = await call(DRY_RUN, {
      body: actionDryRun('mlops:s3:create-bucket', goodBucket),
    });
    const json = (text: string) => JSON.parse(text);
    return {
      readiness: await readiness(),
      experiments: {
        status: experiments.status,
        names: json(experiments.text).experiments?.map((e: any) => e.name),
      },
      run: { status: run.status, body: json(run.text) },
      workflows: {
        status: workflows.status,
        names: json(workflows.text)
          .items?.map((i: any) => i.name)
          .sort(),
      },
      dryRun: { status: dryRun.status, body: json(dryRun.text) },
    };
  }

  const SERVING = () => ({
    readiness: 200,
    experiments: { status: 200, names: [EXPERIMENT] },
    run: {
      status: 200,
      body: expect.objectContaining({
        runId: data.runId,
        latestMetrics: [
          expect.objectContaining({ key: 'accuracy', value: 0.9 }),
        ],
      }),
    },
    workflows: { status: 200, names: ['bi-run-1', 'bi-run-2'] },
    dryRun: {
      status: 200,
      body: expect.objectContaining({
        output: {},
        steps: [expect.objectContaining({ id: 'act' })],
      }),
    },
  });

  // ------------------------------------------------------------------ MLflow routes
  const mlflowRows = (): Row[] => [
    {
      what: 'runs: maxResults=0',
      route: `${good}/mlflow/runs?maxResults=0`,
      status: 400,
      message: /^Invalid request: maxResults: .*>=1/,
    },
    {
      what: 'runs: maxResults=-1',
      route: `${good}/mlflow/runs?maxResults=-1`,
      status: 400,
      message: /^Invalid request: maxResults: .*>=1/,
    },
    {
      what: 'runs: maxResults=501',
      route: `${good}/mlflow/runs?maxResults=501`,
      status: 400,
      message: /^Invalid request: maxResults: .*<=500/,
    },
    {
      what: 'runs: maxResults=abc',
      route: `${good}/mlflow/runs?maxResults=abc`,
      status: 400,
      message: /^Invalid request: maxResults: .*number/,
    },
    {
      what: 'runs: maxResults=1.5',
      route: `${good}/mlflow/runs?maxResults=1.5`,
      status: 400,
      message: /^Invalid request: maxResults: .*expected int\b/,
    },
    {
      what: 'runs: maxResults given twice',
      route: `${good}/mlflow/runs?maxResults=1&maxResults=2`,
      status: 400,
      message: /^Invalid request: maxResults: .*expected number, received NaN/,
    },
    {
      what: 'runs: filter given twice',
      route: `${good}/mlflow/runs?filter=a&filter=b`,
      status: 400,
      message: /^Invalid request: filter: .*expected string, received array/,
    },
    {
      what: 'runs: no token',
      route: `${good}/mlflow/runs`,
      token: null,
      status: 401,
      message: /^Missing credentials$/,
    },
    {
      what: 'runs: a malformed filter',
      route: `${good}/mlflow/runs?filter=${encodeURIComponent(
        'metrics.accuracy >>> 0.5',
      )}`,
      status: 400,
      message: /^MLflow instance 'main': Invalid comparator '>>>'/,
    },
    {
      what: 'runs: a filter longer than 4000 characters',
      route: `${good}/mlflow/runs?filter=${'x'.repeat(4001)}`,
      status: 400,
      message: /^Invalid request: filter: .*4000/,
    },
    {
      what: 'runs: orderBy junk',
      route: `${good}/mlflow/runs?orderBy=${encodeURIComponent(
        'metrics.accuracy sideways; DROP TABLE runs',
      )}`,
      status: 400,
      message:
        /^MLflow instance 'main': Invalid order_by clause 'metrics\.accuracy sideways; DROP TABLE runs'/,
    },
    {
      what: "runs: an experimentId that is not the entity's",
      route: `${good}/mlflow/runs?experimentId=0`,
      status: 400,
      message:
        /^Experiment id\(s\) 0 are not among the experiments named by mlflow\.org\/experiment-name on bi-good/,
    },
    {
      what: 'runs: a pageToken longer than 4000 characters',
      route: `${good}/mlflow/runs?pageToken=${'A'.repeat(4001)}`,
      status: 400,
      message: /^Invalid request: pageToken: .*4000/,
    },
    {
      what: 'runs: a garbage pageToken',
      route: `${good}/mlflow/runs?pageToken=not-a-token`,
      status: 400,
      message: /^MLflow instance 'main': Invalid page token/,
    },
    {
      what: 'artifacts: path ..',
      route: `${good}/mlflow/runs/${NO_RUN}/artifacts?path=..`,
      status: 400,
      message: /^Invalid request: path: The artifact path '\.\.' is refused/,
    },
    {
      what: 'artifacts: path /etc/passwd',
      route: `${good}/mlflow/runs/${NO_RUN}/artifacts?path=/etc/passwd`,
      status: 400,
      message:
        /^Invalid request: path: The artifact path '\/etc\/passwd' is refused/,
    },
    {
      what: 'artifacts: path %2e%2e (decoded by the query parser)',
      route: `${good}/mlflow/runs/${NO_RUN}/artifacts?path=%2e%2e/secret`,
      status: 400,
      message:
        /^Invalid request: path: The artifact path '\.\.\/secret' is refused/,
    },
    {
      what: 'artifacts: path a\\b',
      route: `${good}/mlflow/runs/${NO_RUN}/artifacts?path=${encodeURIComponent(
        'a\\b',
      )}`,
      status: 400,
      message: /^Invalid request: path: The artifact path 'a\\b' is refused/,
    },
    {
      what: 'artifacts: path double-encoded ..',
      route: `${good}/mlflow/runs/${NO_RUN}/artifacts?path=%252e%252e%252fsecret`,
      status: 400,
      message:
        /^Invalid request: path: The artifact path '%2e%2e%2fsecret' is refused/,
    },
    {
      what: 'runs: experimentId as an object',
      route: `${good}/mlflow/runs?experimentId[a]=1`,
      status: 400,
      message: /^Invalid request: experimentId: /,
    },
    {
      what: 'metric history: maxResults=0',
      route: `${good}/mlflow/runs/${NO_RUN}/metrics/accuracy?maxResults=0`,
      status: 400,
      message: /^Invalid request: maxResults: .*>=1/,
    },
    {
      what: 'logged-models: maxResults=101',
      route: `${good}/mlflow/logged-models?maxResults=101`,
      status: 400,
      message: /^Invalid request: maxResults: .*<=100/,
    },
    {
      what: 'a run that does not exist',
      route: `${good}/mlflow/runs/${NO_RUN}`,
      status: 404,
      message: new RegExp(`${NO_RUN}.*component:default/bi-good`),
    },
    {
      what: 'a run id that is not an id',
      route: `${good}/mlflow/runs/${encodeURIComponent('../../etc')}`,
      status: 404,
      message:
        /^No run \.\.\/\.\.\/etc in the MLflow experiments of component:default\/bi-good$/,
    },
    {
      what: 'an entity that does not exist',
      route: `${mlops('no-such-entity')}/mlflow/experiments`,
      status: 404,
      message: /^No entity component:default\/no-such-entity in the catalog$/,
    },
    {
      what: 'an entity kind that is not a kind',
      route: `/api/mlops/entities/${encodeURIComponent(
        'comp onent',
      )}/default/bi-good/mlflow/experiments`,
      status: 404,
      message: /^No entity comp onent:default\/bi-good in the catalog$/,
    },
    {
      what: 'an entity name with a colon and slash',
      route: `/api/mlops/entities/component/default/${encodeURIComponent(
        'a:b/c',
      )}/mlflow/experiments`,
      status: 404,
      message: /^No entity component:default\/a:b\/c in the catalog$/,
    },
  ];

  // ------------------------------------------------------------------ Argo routes
  const argoRows = (): Row[] => [
    {
      what: 'workflows: limit=0',
      route: `${good}/argo/workflows?limit=0`,
      status: 400,
      message: /^Invalid request: limit: .*>=1/,
    },
    {
      what: 'workflows: limit=201',
      route: `${good}/argo/workflows?limit=201`,
      status: 400,
      message: /^Invalid request: limit: .*<=200/,
    },
    {
      what: 'workflows: limit=ten',
      route: `${good}/argo/workflows?limit=ten`,
      status: 400,
      message: /^Invalid request: limit: .*number/,
    },
    {
      what: 'workflows: a garbage continue token',
      route: `${good}/argo/workflows?continue=garbage!!`,
      status: 400,
      message: /continue token/i,
    },
    {
      what: 'workflows: an empty continue token',
      route: `${good}/argo/workflows?continue=`,
      status: 400,
      message: /^Invalid request: continue: /,
    },
    {
      what: 'workflows: a continue token over 8000 characters',
      route: `${good}/argo/workflows?continue=${'A'.repeat(8001)}`,
      status: 400,
      message: /^Invalid request: continue: .*8000/,
    },
    {
      what: 'workflows: a continue token of another entity',
      route: `${good}/argo/workflows?continue=OTHER_TOKEN`,
      status: 400,
      message: /since the first page/,
    },
    {
      what: 'a workflow name that is not a DNS name',
      route: `${good}/argo/workflows/Not_A_Name`,
      status: 400,
      message: /^'Not_A_Name' is not a valid workflow name$/,
    },
    {
      what: 'a workflow name longer than 253 characters',
      route: `${good}/argo/workflows/${'w'.repeat(254)}`,
      status: 400,
      message: /is not a valid workflow name$/,
    },
    {
      what: 'a workflow name with a NUL byte',
      route: `${good}/argo/workflows/bi-run-1%00`,
      status: 400,
      message: /^'bi-run-1[^']' is not a valid workflow name$/,
    },
    {
      what: 'a workflow that does not exist',
      route: `${good}/argo/workflows/no-such-workflow`,
      status: 404,
      message:
        /^No workflow no-such-workflow among the Argo workflows of component:default\/bi-good$/,
    },
    {
      what: 'logs: a node id with slashes',
      route: `${good}/argo/workflows/bi-run-1/nodes/${encodeURIComponent(
        '../../pods/x',
      )}/logs`,
      status: 404,
      message: /^Workflow 'bi-run-1' has no node '\.\.\/\.\.\/pods\/x'$/,
    },
    {
      what: 'logs: a container name that is not one',
      route: `${good}/argo/workflows/bi-run-1/nodes/x/logs?container=${encodeURIComponent(
        'main; cat /etc/passwd',
      )}`,
      status: 400,
      message: /^Invalid request: container: not a container name/,
    },
    {
      what: 'logs: tailLines=0',
      route: `${good}/argo/workflows/bi-run-1/nodes/x/logs?tailLines=0`,
      status: 400,
      message: /^Invalid request: tailLines: .*>=1/,
    },
    {
      what: 'logs: tailLines=100001',
      route: `${good}/argo/workflows/bi-run-1/nodes/x/logs?tailLines=100001`,
      status: 400,
      message: /^Invalid request: tailLines: .*<=100000/,
    },
    {
      what: 'submit: a body that is a JSON array',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: ['epochs', '3'],
      status: 400,
      message: /^Invalid request: body: .*object/,
    },
    {
      what: 'submit: a body that is a JSON string',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: '"epochs=3"',
      status: 400,
      message: /"epochs=3"" is not valid JSON/,
    },
    {
      what: 'submit: a body that is not JSON',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: '{"parameters": {',
      status: 400,
      message: /in JSON at position 16/,
    },
    {
      what: 'submit: a body over the JSON size limit',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: { parameters: { epochs: '1'.repeat(200_000) } },
      status: 413,
      message: /too large/i,
    },
    {
      what: 'submit: a JSON null body',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: 'null',
      status: 400,
      message: /"null" is not valid JSON/,
    },
    {
      what: 'submit: parameters null',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: { parameters: null },
      status: 400,
      message: /^Invalid request: parameters: /,
    },
    {
      what: 'submit: a parameter value that is not a string',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: { parameters: { epochs: 3 } },
      status: 400,
      message: /^Invalid request: parameters\.epochs: .*string/,
    },
    {
      what: 'submit: parameters as an array',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: { parameters: [{ name: 'epochs', value: '3' }] },
      status: 400,
      message: /^Invalid request: parameters: .*record|object/,
    },
    {
      what: 'submit: an unknown parameter',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: { parameters: { learningRate: '0.1' } },
      status: 400,
      message:
        /^WorkflowTemplate 'bi-train' has no parameter 'learningRate'; its parameters are: 'epochs', 'image', 'mode'$/,
    },
    {
      what: 'submit: a parameter that is not submittable',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: { parameters: { image: 'attacker/miner:latest' } },
      status: 400,
      message:
        /^Parameter 'image' of WorkflowTemplate 'bi-train' cannot be set/,
    },
    {
      what: 'submit: a value that does not match the pattern',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: { parameters: { epochs: '1000' } },
      status: 400,
      message: /^Parameter 'epochs' of WorkflowTemplate 'bi-train' must match/,
    },
    {
      what: 'submit: a value outside the enum',
      route: `${good}/argo/workflow-templates/${TEMPLATE}/submit`,
      body: { parameters: { mode: 'turbo' } },
      status: 400,
      message:
        /^Parameter 'mode' of WorkflowTemplate 'bi-train' must be one of 'fast', 'full'; got 'turbo'$/,
    },
    {
      what: "submit: a template that is not the entity's",
      route: `${good}/argo/workflow-templates/other-template/submit`,
      body: {},
      status: 404,
      message:
        /^No WorkflowTemplate other-template among the Argo workflow templates of component:default\/bi-good$/,
    },
    {
      what: 'resubmit: memoized',
      route: `${good}/argo/workflows/bi-run-1/resubmit`,
      body: { memoized: true },
      status: 400,
      message: /memoized outputs is not supported/,
    },
    {
      what: 'resubmit: memoized not a boolean',
      route: `${good}/argo/workflows/bi-run-1/resubmit`,
      body: { memoized: 'yes' },
      status: 400,
      message: /^Invalid request: memoized: .*boolean/,
    },
    ...(['resubmit', 'retry', 'stop', 'terminate'] as const).map(action => ({
      what: `${action}: a workflow that does not exist`,
      route: `${good}/argo/workflows/no-such-workflow/${action}`,
      body: {},
      status: 404,
      message:
        /^No workflow no-such-workflow among the Argo workflows of component:default\/bi-good$/,
    })),
    {
      what: 'retry: a workflow that is running, not failed',
      route: `${good}/argo/workflows/bi-run-2/retry`,
      body: {},
      status: 400,
      message:
        /^Cannot retry workflow 'bi-run-2' in phase Running; only Failed or Error workflows can be retried$/,
    },
    {
      what: 'stop: a workflow name that is not a DNS name',
      route: `${good}/argo/workflows/a..b/stop`,
      body: {},
      status: 400,
      message: /^'a\.\.b' is not a valid workflow name$/,
    },
  ];

  // ------------------------------------------------------------------ KServe routes
  const kserveRows = (): Row[] => [
    {
      what: 'logs: a component that is not one',
      route: `${good}/kserve/inference-services/bi-isvc/logs?component=sidecar`,
      status: 400,
      message: /^Invalid request: component: .*predictor/,
    },
    {
      what: 'logs: a service name that is not a DNS name',
      route: `${good}/kserve/inference-services/Bad_Service/logs`,
      status: 400,
      message: /^'Bad_Service' is not a valid InferenceService name$/,
    },
    {
      what: 'logs: tailLines=-5',
      route: `${good}/kserve/inference-services/bi-isvc/logs?tailLines=-5`,
      status: 400,
      message: /^Invalid request: tailLines: .*>=1/,
    },
    {
      what: 'logs: tailLines=many',
      route: `${good}/kserve/inference-services/bi-isvc/logs?tailLines=many`,
      status: 400,
      message: /^Invalid request: tailLines: .*number/,
    },
    {
      what: "logs: a service that is not the entity's",
      route: `${good}/kserve/inference-services/someone-elses/logs`,
      status: 404,
      message:
        /^No InferenceService someone-elses among the KServe InferenceServices of component:default\/bi-good$/,
    },
  ];

  // ------------------------------------------------------------------ entity annotations
  const annotationRows = (): Row[] => [
    {
      what: 'namespace annotation not a DNS label',
      route: `${mlops('bi-ns-label')}/argo/workflows`,
      status: 400,
      message:
        /^The backstage\.io\/kubernetes-namespace annotation of component:default\/bi-ns-label is 'Fraud_Detection', which is not a namespace name$/,
    },
    {
      what: 'namespace annotation of 64 characters',
      route: `${mlops('bi-ns-long')}/kserve/inference-services`,
      status: 400,
      message:
        /kubernetes-namespace annotation of component:default\/bi-ns-long is 'n{64}'/,
    },
    {
      what: 'no namespace annotation',
      route: `${mlops('bi-no-ns')}/argo/workflow-templates`,
      status: 400,
      message:
        /^component:default\/bi-no-ns has no backstage\.io\/kubernetes-namespace annotation/,
    },
    {
      what: 'an unknown cluster',
      route: `${mlops('bi-cluster')}/argo/workflows`,
      status: 400,
      message:
        /^Unknown Kubernetes cluster 'production-eu'; the configured clusters are: harness$/,
    },
    {
      what: "a selector with a '(' without its ')'",
      route: `${mlops('bi-selector-paren')}/argo/workflows`,
      status: 400,
      message:
        /workflow-selector annotation of component:default\/bi-selector-paren is not a valid label selector: .*'\(' without its '\)'/,
    },
    {
      what: 'a selector with an invalid label key',
      route: `${mlops('bi-selector-key')}/argo/workflows`,
      status: 400,
      message: /bi-selector-key is not a valid label selector: .*'-team-'/,
    },
    {
      what: 'a selector that selects everything (!x)',
      route: `${mlops('bi-selector-all')}/argo/workflows`,
      status: 400,
      message: /bi-selector-all is '!x', which selects too much/,
    },
    {
      what: 'a KServe selector with a syntax error',
      route: `${mlops('bi-kserve-selector')}/kserve/inference-services`,
      status: 400,
      message:
        /^The mlstack\.io\/kserve-selector annotation of component:default\/bi-kserve-selector is not a valid label selector: 'team=fraud=detection'/,
    },
    {
      what: 'a template name that cannot be a label value',
      route: `${mlops('bi-template-label')}/argo/workflows`,
      status: 400,
      message:
        /argo-workflow-template annotation of component:default\/bi-template-label names a template that cannot be a label value: 'train_job_'/,
    },
    {
      what: 'a template name that cannot be a label value, on submit',
      route: `${mlops(
        'bi-template-label',
      )}/argo/workflow-templates/train_job_/submit`,
      body: {},
      status: 400,
      message: /names a template that cannot be a label value: 'train_job_'/,
    },
    {
      what: 'an unknown MLflow instance',
      route: `${mlops('bi-instance')}/mlflow/experiments`,
      status: 400,
      message:
        /^Unknown MLflow instance 'team-private'; the configured instances are: main$/,
    },
  ];

  // ------------------------------------------------------------------ scaffolder actions
  const act = (action: string, input: Record<string, unknown>) =>
    actionDryRun(action, input);
  const actionRows = (): Row[] =>
    [
      // mlops:s3:create-bucket
      [
        'bucket: upper case',
        act('mlops:s3:create-bucket', { ...goodBucket, bucket: 'MyBucket' }),
        400,
        /^Invalid S3 bucket name 'MyBucket': .*lower-case/,
      ],
      [
        'bucket: too short',
        act('mlops:s3:create-bucket', { ...goodBucket, bucket: 'ab' }),
        400,
        /^Invalid S3 bucket name 'ab': a bucket name must be 3 to 63 characters long, not 2/,
      ],
      [
        'bucket: formatted as an IP address',
        act('mlops:s3:create-bucket', {
          ...goodBucket,
          bucket: '192.168.1.10',
        }),
        400,
        /^Invalid S3 bucket name '192\.168\.1\.10': .*IP address/,
      ],
      [
        'bucket: the xn-- prefix',
        act('mlops:s3:create-bucket', { ...goodBucket, bucket: 'xn--data' }),
        400,
        /^Invalid S3 bucket name 'xn--data': .*reserved prefix 'xn--'/,
      ],
      [
        'bucket: two adjacent dots',
        act('mlops:s3:create-bucket', { ...goodBucket, bucket: 'ml..data' }),
        400,
        /^Invalid S3 bucket name 'ml\.\.data': .*adjacent dots/,
      ],
      [
        'bucket: not a string',
        act('mlops:s3:create-bucket', { ...goodBucket, bucket: 42 }),
        400,
        /mlops:s3:create-bucket.*bucket.*string/,
      ],
      [
        'bucket: missing',
        act('mlops:s3:create-bucket', { owner: ML_TEAM }),
        400,
        /mlops:s3:create-bucket.*requires property "bucket"/,
      ],
      [
        'bucket: a prefix with ..',
        act('mlops:s3:create-bucket', { ...goodBucket, prefix: 'a/../b' }),
        400,
        /^Invalid prefix 'a\/\.\.\/b'/,
      ],
      [
        'bucket: an owner that is not a ref',
        act('mlops:s3:create-bucket', {
          ...goodBucket,
          owner: 'group:default/ml team',
        }),
        400,
        /^owner 'group:default\/ml team' is not an entity ref/,
      ],
      [
        'bucket: an owner the user is not a member of',
        act('mlops:s3:create-bucket', {
          ...goodBucket,
          owner: 'group:default/risk-team',
        }),
        403,
        /^User user:default\/guest is not group:default\/risk-team nor a member of it/,
      ],
      // mlops:mlflow:create-experiment
      [
        'experiment: a blank name',
        act('mlops:mlflow:create-experiment', {
          ...goodExperiment,
          name: '   ',
        }),
        400,
        /^The experiment name must not be empty$/,
      ],
      [
        'experiment: a name over 500 characters',
        act('mlops:mlflow:create-experiment', {
          ...goodExperiment,
          name: 'e'.repeat(501),
        }),
        400,
        /^The experiment name must be at most 500 characters$/,
      ],
      [
        'experiment: an owner that is not a ref',
        act('mlops:mlflow:create-experiment', {
          ...goodExperiment,
          owner: 'a:b:c',
        }),
        400,
        /^owner 'a:b:c' is not an entity ref/,
      ],
      [
        'experiment: the owner tag in tags',
        act('mlops:mlflow:create-experiment', {
          ...goodExperiment,
          tags: { [OWNER_KEY]: 'group:default/risk-team' },
        }),
        400,
        /The experiment tag 'mlstack\.io\/owner' is set from the owner input/,
      ],
      [
        'experiment: an artifactLocation that is not a URI',
        act('mlops:mlflow:create-experiment', {
          ...goodExperiment,
          artifactLocation: 'just/a/path',
        }),
        400,
        /^artifactLocation 'just\/a\/path' must be a URI/,
      ],
      [
        'experiment: an unknown instance',
        act('mlops:mlflow:create-experiment', {
          ...goodExperiment,
          instance: 'nowhere',
        }),
        400,
        /^Unknown MLflow instance 'nowhere'; the configured instances are: main$/,
      ],
      // mlops:kubernetes:apply
      [
        'apply: a namespace that is not a DNS label',
        act('mlops:kubernetes:apply', { ...goodApply, namespace: 'ML_Proj' }),
        400,
        /^namespace 'ML_Proj' is not a valid Kubernetes name/,
      ],
      [
        'apply: a namespace outside the allowed patterns',
        act('mlops:kubernetes:apply', {
          ...goodApply,
          namespace: 'kube-system',
          manifestPaths: [],
          s3Credentials: { secretName: 'x-s3', serviceAccountName: 'x-sa' },
        }),
        403,
        /may not write to namespace 'kube-system' on cluster 'harness': it matches none of the allowed patterns 'ml-\*', 'team-\*'/,
      ],
      [
        'apply: a manifest path escaping the workspace',
        act('mlops:kubernetes:apply', {
          ...goodApply,
          manifestPaths: ['../x.yaml'],
        }),
        400,
        /^manifestPaths: '\.\.\/x\.yaml' points outside the workspace$/,
      ],
      [
        'apply: an absolute manifest path',
        act('mlops:kubernetes:apply', {
          ...goodApply,
          manifestPaths: ['/etc/passwd'],
        }),
        400,
        /^manifestPaths: '\/etc\/passwd' must be a path relative to the workspace$/,
      ],
      [
        'apply: a manifest path that does not exist',
        act('mlops:kubernetes:apply', goodApply),
        400,
        /^manifestPaths: 'nothing\.yaml' does not exist in the workspace$/,
      ],
      [
        'apply: manifestPaths not a list',
        act('mlops:kubernetes:apply', {
          ...goodApply,
          manifestPaths: 'a.yaml',
        }),
        400,
        /mlops:kubernetes:apply.*manifestPaths.*array/,
      ],
      [
        'apply: an owner that is not a ref',
        act('mlops:kubernetes:apply', { ...goodApply, owner: 'user:/' }),
        400,
        /^owner 'user:\/' is not an entity ref/,
      ],
      [
        'apply: an unknown cluster',
        act('mlops:kubernetes:apply', {
          ...goodApply,
          manifestPaths: [],
          s3Credentials: { secretName: 'x-s3', serviceAccountName: 'x-sa' },
          cluster: 'production-eu',
        }),
        400,
        /^Unknown Kubernetes cluster 'production-eu'; the configured clusters are: harness$/,
      ],
      // mlops:publish:git
      [
        'an action that is not registered',
        act('mlops:s3:delete-bucket', goodBucket),
        404,
        /^Template action with ID 'mlops:s3:delete-bucket' is not registered/,
      ],
      [
        'publish: a host not in mlops.git.allowedHosts',
        act('mlops:publish:git', {
          remoteUrl: 'https://git.evil.example.com/ml/x.git',
        }),
        403,
        /host 'git\.evil\.example\.com' is not an allowed Git host \(mlops\.git\.allowedHosts: localhost\)/,
      ],
      [
        'publish: a look-alike of an allowed host',
        act('mlops:publish:git', {
          remoteUrl: 'http://localhost.evil.example.com/x.git',
        }),
        403,
        /host 'localhost\.evil\.example\.com' is not an allowed Git host/,
      ],
      [
        'publish: a file:// remote outside the allowed roots',
        act('mlops:publish:git', {
          remoteUrl: 'file:///etc/x.git',
          owner: 'group:default/ml-team',
        }),
        400,
        /^remoteUrl '\/etc\/x\.git' is not inside an allowed directory for local repositories/,
      ],
      [
        'publish: a path escaping the allowed root with ..',
        act('mlops:publish:git', {
          remoteUrl: 'GIT_ROOT/../escaped.git',
          owner: 'group:default/ml-team',
        }),
        400,
        /escaped\.git' is not inside an allowed directory/,
      ],
      [
        'publish: an ssh remote',
        act('mlops:publish:git', {
          remoteUrl: 'ssh://git@localhost/ml/x.git',
        }),
        400,
        /only local paths, file:\/\/ and http\(s\) remotes are supported, not ssh:/,
      ],
      [
        'publish: credentials in the remote',
        act('mlops:publish:git', {
          remoteUrl: 'https://user:hunter2@localhost/ml/x.git',
        }),
        400,
        /^remoteUrl must not carry credentials/,
      ],
      [
        'publish: a branch name git refuses',
        act('mlops:publish:git', {
          remoteUrl: 'GIT_ROOT/branch.git',
          owner: 'group:default/ml-team',
          defaultBranch: 'main..x',
        }),
        400,
        /^defaultBranch 'main\.\.x' is not a valid branch name$/,
      ],
      [
        'publish: a sourcePath that is not a directory of the workspace',
        act('mlops:publish:git', {
          remoteUrl: 'GIT_ROOT/source.git',
          owner: 'group:default/ml-team',
          sourcePath: 'no-such-dir',
        }),
        400,
        /^sourcePath 'no-such-dir' is not a directory of the workspace$/,
      ],
    ].map(([what, body, status, message]) => ({
      what: what as string,
      route: DRY_RUN,
      body,
      status: status as number,
      message: message as RegExp,
    }));

  // ------------------------------------------------------------------ template parameters
  const goodValues = () => ({
    name: `bi-proj-${stamp}`.slice(0, 40),
    owner: ML_TEAM,
    description: 'A bad-input test project.',
    framework: 'sklearn',
    mlflowInstance: 'main',
    mlflowTrackingUri: 'http://mlflow.mlflow.svc.cluster.local:5000',
    mlflowArtifactsDestination: 's3://mlflow-artifacts',
    bucket: 'dvc',
    s3Endpoint: 'http://minio.minio.svc.cluster.local:9000',
    cluster: 'harness',
    namespace: `ml-bi-${stamp}`,
    deploymentMode: 'Standard',
    cpuRequest: '100m',
    cpuLimit: '1',
    memoryRequest: '256Mi',
    memoryLimit: '1Gi',
    minReplicas: 1,
    maxReplicas: 2,
    repoTarget: 'local',
    remoteUrl: 'GIT_ROOT/bi-proj.git',
  });
  const templateRows = (): Row[] =>
    (
      [
        [
          'name: not a DNS-1035 label',
          { name: 'Bad_Name' },
          400,
          /instance\.name does not match pattern/,
        ],
        [
          'name: starts with a digit',
          { name: '1fraud' },
          400,
          /instance\.name does not match pattern/,
        ],
        [
          'name: longer than 40 characters',
          { name: 'a'.repeat(41) },
          400,
          /instance\.name does not meet maximum length of 40/,
        ],
        [
          'owner: missing',
          { owner: undefined },
          400,
          /instance requires property "owner"/,
        ],
        [
          'framework: not in the enum',
          { framework: 'tensorflow' },
          400,
          /instance\.framework is not one of enum values/,
        ],
        [
          'namespace: not a DNS label',
          { namespace: 'ML_Projects' },
          400,
          /instance\.namespace does not match pattern/,
        ],
        [
          'bucket: upper case and too short',
          { bucket: 'AB' },
          400,
          /instance\.bucket does not match pattern/,
        ],
        [
          'mlflowTrackingUri: not http(s)',
          { mlflowTrackingUri: 'ftp://mlflow:21' },
          400,
          /instance\.mlflowTrackingUri does not match pattern/,
        ],
        [
          'prefix: with ..',
          { prefix: '../other-team' },
          400,
          /instance\.prefix does not match pattern/,
        ],
        [
          'minReplicas: negative',
          { minReplicas: -1 },
          400,
          /instance\.minReplicas must be greater than or equal to 0/,
        ],
        [
          'maxReplicas: not an integer',
          { maxReplicas: 'two' },
          400,
          /instance\.maxReplicas is not of a type\(s\) integer/,
        ],
        [
          'memoryLimit: not a quantity',
          { memoryLimit: '1GB' },
          400,
          /instance\.memoryLimit does not match pattern/,
        ],
        [
          'remoteUrl: missing for a local repository',
          { remoteUrl: undefined },
          400,
          /^instance does not meet dependency required by instance\.repoTarget; instance\.repoTarget is not exactly one from/,
        ],
        [
          'description: longer than 300 characters',
          { description: 'd'.repeat(301) },
          400,
          /instance\.description does not meet maximum length of 300/,
        ],
        [
          'mlflowArtifactsDestination: not an s3:// URI',
          { mlflowArtifactsDestination: 'file:///etc' },
          400,
          /instance\.mlflowArtifactsDestination does not match pattern/,
        ],
        [
          'deploymentMode: not in the enum',
          { deploymentMode: 'Serverless' },
          400,
          /instance\.deploymentMode is not one of enum values: Standard,Knative/,
        ],
        [
          'namespace: valid, but not one the portal may write to',
          { namespace: 'kube-system' },
          403,
          /may not write to namespace 'kube-system' on cluster 'harness'/,
        ],
        [
          'owner: a team the user is not a member of',
          { owner: 'group:default/risk-team' },
          403,
          /^User user:default\/guest is not group:default\/risk-team nor a member of it/,
        ],
      ] as Array<[string, Record<string, unknown>, number, RegExp]>
    )
      .map(
        ([what, override, status, message]): Row => ({
          what,
          route: DRY_RUN,
          body: { values: override },
          status,
          message,
        }),
      )
      .concat([
        {
          what: 'the dry-run request without values',
          route: DRY_RUN,
          body: { raw: { template: 'ml-project', directoryContents: [] } },
          status: 400,
          message: /^request\/body must have required property 'values'$/,
        },
        {
          what: 'a template that is not a Template entity',
          route: DRY_RUN,
          body: {
            raw: {
              template: { apiVersion: 'v1', kind: 'ConfigMap' },
              values: {},
              directoryContents: [],
            },
          },
          status: 400,
          message: /^Input template is not a template$/,
        },
      ]);

  /** Fills in what the rows cannot know before the backend starts. */
  async function resolve(row: Row, group: string): Promise<Row> {
    const raw = (row.body as { raw?: unknown } | undefined)?.raw;
    if (raw) {
      return { ...row, body: raw };
    }
    if (row.route === DRY_RUN && group === 'template') {
      const override = (row.body as { values: Record<string, unknown> }).values;
      const values: Record<string, unknown> = {
        ...goodValues(),
        ...override,
      };
      for (const key of Object.keys(values)) {
        if (values[key] === undefined) delete values[key];
      }
      values.remoteUrl = (values.remoteUrl as string | undefined)?.replace(
        'GIT_ROOT',
        gitRoot,
      );
      if (values.remoteUrl === undefined) delete values.remoteUrl;
      return { ...row, body: templateBody(values) };
    }
    if (typeof row.body === 'object' && row.body !== null) {
      return {
        ...row,
        body: JSON.parse(
          JSON.stringify(row.body).replace(/GIT_ROOT/g, gitRoot),
        ),
      };
    }
    if (row.route.includes('OTHER_TOKEN')) {
      const other = await call(`${mlops('bi-other')}/argo/workflows?limit=1`);
      const token = JSON.parse(other.text).continue as string;
      return {
        ...row,
        route: row.route.replace(
          'OTHER_TOKEN',
          encodeURIComponent(token ?? ''),
        ),
      };
    }
    return row;
  }

  const groups: Array<[string, () => Row[]]> = [
    ['mlflow', mlflowRows],
    ['argo', argoRows],
    ['kserve', kserveRows],
    ['annotations', annotationRows],
    ['actions', actionRows],
    ['template', templateRows],
  ];

  it('has at least 60 distinct rows', () => {
    const all = groups.flatMap(([, rows]) => rows());
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all.map(r => r.what)).size).toBe(all.length);
    expect(all.filter(r => r.status >= 500)).toEqual([]);
  });

  describe.each(groups)('%s', (group, rows) => {
    it.each(rows().map(r => [r.what, r] as const))('%s', async (_what, row) => {
      const answer = await answerOf(await resolve(row, group));
      expect(answer).toEqual({
        status: row.status,
        message: expect.stringMatching(row.message),
        readiness: 200,
      });
      expect(answer.status).toBeLessThan(500);
    });

    it(`after the ${group} rows the backend is ready and good requests work`, async () => {
      expect(await serving()).toEqual(SERVING());
    });
  });

  it('after the whole table, a good ml-project dry-run still renders the project', async () => {
    expect(await readiness()).toBe(200);
    const res = await call(DRY_RUN, {
      body: templateBody({
        ...goodValues(),
        remoteUrl: `${gitRoot}/bi-proj.git`,
      }),
    });
    const body = JSON.parse(res.text);
    expect({ status: res.status, error: body.error ?? body.errors }).toEqual({
      status: 200,
    });
    expect(
      body.directoryContents.map((f: { path: string }) => f.path),
    ).toContain('catalog-info.yaml');
    expect(await serving()).toEqual(SERVING());
  });
});
