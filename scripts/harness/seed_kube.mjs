#!/usr/bin/env node
// Seeds the harness Kubernetes API server with the Argo Workflows and KServe objects of the
// example ML project (catalog-info.yaml: fraud-detector), so its Pipelines and Serving tabs
// have something to show. There is no Argo or KServe controller in the harness: the objects
// carry the statuses recorded upstream (third_party/*/examples), relabelled for the entity
// and moved to recent times.
//
//   node scripts/harness/seed_kube.mjs [--kubeconfig FILE] [--context NAME] [--namespace NS]
//
// The kubeconfig defaults to $KUBECONFIG, else $MLSTACK_HARNESS_DIR/kubeconfig, else
// .tools/harness/kubeconfig (what scripts/harness/harness.sh writes). Re-running replaces the
// objects. Prints a JSON summary of what it created on stdout.
import * as k8s from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const kubeconfig = arg(
  'kubeconfig',
  process.env.KUBECONFIG ??
    path.join(
      process.env.MLSTACK_HARNESS_DIR ?? path.join(root, '.tools/harness'),
      'kubeconfig',
    ),
);
const context = arg('context', undefined);
const NS = arg('namespace', 'ml-projects');
const ENTITY = 'fraud-detector';
const TEMPLATE = 'fraud-detector-train';
const PART_OF = { 'app.kubernetes.io/part-of': ENTITY };
// The example project's owner (catalog-info.yaml), as mlops:kubernetes:apply records it.
const OWNER = arg('owner', 'group:default/ml-team');
const OWNER_ANNOTATION = 'mlstack.io/owner';

const ARGO = { group: 'argoproj.io', version: 'v1alpha1' };
const KSERVE = { group: 'serving.kserve.io', version: 'v1beta1' };

function log(message) {
  process.stderr.write(`seed_kube: ${message}\n`);
}

function readYaml(relative) {
  return k8s.loadYaml(fs.readFileSync(path.join(root, relative), 'utf8'));
}

/** Deep copy with every occurrence of `from` in strings and keys replaced by `to`. */
function rename(obj, from, to) {
  return JSON.parse(JSON.stringify(obj).split(from).join(to));
}

const iso = ms => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Moves every RFC 3339 time of a status so that its earliest one is `start`. */
function retime(status, start) {
  const times = [];
  JSON.stringify(status, (_k, v) => {
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v)) {
      times.push(Date.parse(v));
    }
    return v;
  });
  const delta = start - Math.min(...times);
  return JSON.parse(
    JSON.stringify(status, (_k, v) =>
      typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v)
        ? iso(Date.parse(v) + delta)
        : v,
    ),
  );
}

/** The object as it is created: no server-owned metadata. */
function fresh(obj, name, labels) {
  const { metadata } = obj;
  return {
    ...obj,
    metadata: {
      name,
      namespace: NS,
      labels: { ...(metadata.labels ?? {}), ...labels },
      annotations: metadata.annotations,
    },
  };
}

const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfig);
if (context) {
  kc.setCurrentContext(context);
}
const core = kc.makeApiClient(k8s.CoreV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);

function isStatus(error, code) {
  return (
    error?.code === code ||
    error?.statusCode === code ||
    error?.response?.statusCode === code
  );
}

async function ensureNamespace() {
  let existing;
  try {
    existing = await core.readNamespace({ name: NS });
  } catch (e) {
    if (!isStatus(e, 404)) throw e;
    await core.createNamespace({
      body: {
        metadata: {
          name: NS,
          labels: PART_OF,
          annotations: { [OWNER_ANNOTATION]: OWNER },
        },
      },
    });
    log(`created namespace ${NS} owned by ${OWNER}`);
    return;
  }
  if (existing.metadata?.annotations?.[OWNER_ANNOTATION] !== OWNER) {
    existing.metadata.annotations = {
      ...existing.metadata.annotations,
      [OWNER_ANNOTATION]: OWNER,
    };
    await core.replaceNamespace({ name: NS, body: existing });
    log(`namespace ${NS} now owned by ${OWNER}`);
  }
}

/** Creates the object, replacing one of the same name; writes its status through the status subresource when `statusSubresource`. */
async function put(api, plural, obj, { statusSubresource = false } = {}) {
  const name = obj.metadata.name;
  const ref = { ...api, namespace: NS, plural, name };
  try {
    await custom.deleteNamespacedCustomObject(ref);
    for (let i = 0; i < 50; i++) {
      try {
        await custom.getNamespacedCustomObject(ref);
        await new Promise(r => setTimeout(r, 100));
      } catch (e) {
        if (isStatus(e, 404)) break;
        throw e;
      }
    }
  } catch (e) {
    if (!isStatus(e, 404)) throw e;
  }
  const { status, ...spec } = obj;
  let created = await custom.createNamespacedCustomObject({
    ...api,
    namespace: NS,
    plural,
    body: statusSubresource ? spec : obj,
  });
  if (statusSubresource && status) {
    created = await custom.replaceNamespacedCustomObjectStatus({
      ...ref,
      body: { ...created, status },
    });
  }
  log(`created ${plural}/${name}`);
  return created;
}

process.on('unhandledRejection', e => {
  let message = e?.message ?? String(e);
  try {
    message = JSON.parse(e.body).message ?? message;
  } catch {
    // not a Kubernetes Status body
  }
  log(`failed: ${message.slice(0, 2000)}`);
  process.exit(1);
});

const now = Date.now();
const minutes = m => m * 60_000;
const summary = {
  namespace: NS,
  workflowTemplates: [],
  workflows: {},
  inferenceServices: [],
};

await ensureNamespace();

// ---------------------------------------------------------------- WorkflowTemplate
const template = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: {
    name: TEMPLATE,
    labels: PART_OF,
    annotations: {
      'workflows.argoproj.io/title': 'Train the fraud detector',
      'workflows.argoproj.io/description':
        'Prepare the data, train, evaluate and register the model.',
      // What a portal user may set when submitting (dataset: its enum).
      'mlstack.io/submittable-parameters': JSON.stringify({
        'learning-rate': '0\\.[0-9]{1,4}|1(\\.0{1,4})?',
        'run-name': '[a-z0-9][a-z0-9-]{0,62}',
      }),
    },
  },
  spec: {
    entrypoint: 'diamond',
    arguments: {
      parameters: [
        {
          name: 'learning-rate',
          value: '0.1',
          description: 'Step size of the optimiser',
        },
        {
          name: 'dataset',
          value: 'v3',
          enum: ['v2', 'v3', 'v4'],
          description: 'DVC data version',
        },
        { name: 'run-name', description: 'MLflow run name' },
      ],
    },
    // The templates of Argo's dag-diamond example.
    templates: readYaml(
      'third_party/argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml',
    ).spec.templates,
  },
};
await put(ARGO, 'workflowtemplates', fresh(template, TEMPLATE, PART_OF));
summary.workflowTemplates.push(TEMPLATE);

const workflowLabels = phase => ({
  ...PART_OF,
  'workflows.argoproj.io/workflow-template': TEMPLATE,
  'workflows.argoproj.io/phase': phase,
  ...(phase === 'Running' ? {} : { 'workflows.argoproj.io/completed': 'true' }),
});
const withTemplate = (spec, parameters) => ({
  ...spec,
  workflowTemplateRef: undefined,
  arguments: {
    parameters: Object.entries(parameters).map(([name, value]) => ({
      name,
      value,
    })),
  },
});

// ---------------------------------------------------------------- a succeeded DAG
const diamondSource = readYaml(
  'third_party/argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml',
);
const diamondName = `${ENTITY}-dag-82q7s`;
const diamond = rename(
  fresh(diamondSource, 'dag-diamond-82q7s', {}),
  'dag-diamond-82q7s',
  diamondName,
);
diamond.metadata.labels = workflowLabels('Succeeded');
diamond.spec = withTemplate(diamond.spec, {
  'learning-rate': '0.1',
  dataset: 'v3',
  'run-name': 'baseline',
});
diamond.status = retime(diamond.status, now - minutes(90));
await put(ARGO, 'workflows', diamond);
summary.workflows.succeeded = diamondName;

// ---------------------------------------------------------------- a running DAG (same shape, D still running)
const liveName = `${ENTITY}-live-x7k2p`;
const live = rename(
  fresh(diamondSource, 'dag-diamond-82q7s', {}),
  'dag-diamond-82q7s',
  liveName,
);
live.metadata.labels = workflowLabels('Running');
live.spec = withTemplate(live.spec, {
  'learning-rate': '0.3',
  dataset: 'v4',
  'run-name': 'live',
});
live.status = retime(live.status, now - minutes(2));
{
  const s = live.status;
  s.phase = 'Running';
  s.progress = '3/4';
  delete s.finishedAt;
  s.conditions = [{ type: 'PodRunning', status: 'True' }];
  for (const node of Object.values(s.nodes)) {
    if (node.displayName === 'D' || node.type === 'DAG') {
      node.phase = 'Running';
      delete node.finishedAt;
      delete node.outputs;
      node.progress = node.type === 'DAG' ? '3/4' : '0/1';
    }
  }
  delete s.taskResultsCompletionStatus;
}
await put(ARGO, 'workflows', live);
summary.workflows.running = liveName;

// ---------------------------------------------------------------- a failed steps run with retries
const retriesSource = readYaml(
  'third_party/argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml',
);
const retriesName = `${ENTITY}-retries-tjjsc`;
// The upstream test object starts at metadata: no apiVersion or kind.
const retries = rename(
  fresh(
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', ...retriesSource },
    'failed-retries-tjjsc',
    {},
  ),
  'failed-retries-tjjsc',
  retriesName,
);
delete retries.metadata.selfLink;
retries.metadata.labels = workflowLabels('Failed');
retries.spec = withTemplate(retries.spec, {
  'learning-rate': '3.0',
  dataset: 'v2',
  'run-name': 'diverges',
});
{
  // The upstream object was captured while the second retry still ran (and its times are
  // inconsistent): finish it as Argo would, with times in order.
  const start = now - minutes(45);
  const s = retries.status;
  const at = seconds => iso(start + seconds * 1000);
  const times = {
    'fail(0)': [0, 8],
    'fail(1)': [9, 14],
    'delayed-fail(0)': [0, 9],
    'delayed-fail(1)': [10, 16],
  };
  s.phase = 'Failed';
  s.startedAt = at(0);
  s.finishedAt = at(16);
  s.progress = '0/4';
  s.message = `child '${retriesName}-20069324' failed`;
  for (const node of Object.values(s.nodes)) {
    const t = times[node.displayName];
    node.startedAt = at(t ? t[0] : 0);
    node.finishedAt = at(t ? t[1] : 16);
    node.phase = 'Failed';
    if (node.type === 'Retry') node.message = 'No more retries left';
    if (node.type === 'Pod') node.outputs = { exitCode: '1' };
  }
}
await put(ARGO, 'workflows', retries);
summary.workflows.failed = retriesName;

// ---------------------------------------------------------------- a 500-node DAG (a sharded sweep)
// Not from upstream: generated in the shape Argo records a DAG (root DAG node, Pod tasks with
// their children), to show that a large run stays usable. Five shards failed.
const sweepName = `${ENTITY}-sweep-5h2lq`;
{
  const count = 500;
  const width = 20;
  const start = now - minutes(20);
  const at = seconds => iso(start + seconds * 1000);
  const nodes = {};
  const failed = new Set([97, 194, 291, 388, 485]);
  nodes[sweepName] = {
    id: sweepName,
    name: sweepName,
    displayName: sweepName,
    type: 'DAG',
    templateName: 'sweep',
    phase: 'Failed',
    startedAt: at(0),
    finishedAt: at(600),
    progress: `${count - 1 - failed.size}/${count - 1}`,
    children: [],
  };
  for (let i = 1; i < count; i++) {
    const id = `${sweepName}-${i}`;
    const layer = Math.floor((i - 1) / width);
    nodes[id] = {
      id,
      name: `${sweepName}.shard-${i}`,
      displayName: `shard-${i}`,
      type: 'Pod',
      templateName: 'echo',
      boundaryID: sweepName,
      phase: failed.has(i) ? 'Failed' : 'Succeeded',
      message: failed.has(i) ? 'Error (exit code 1)' : undefined,
      startedAt: at(layer * 24),
      finishedAt: at(layer * 24 + 20),
      progress: '1/1',
      inputs: { parameters: [{ name: 'message', value: `shard ${i}` }] },
      outputs: { exitCode: failed.has(i) ? '1' : '0' },
    };
    const parent = i <= width ? sweepName : `${sweepName}-${i - width}`;
    (nodes[parent].children ??= []).push(id);
  }
  const sweep = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: sweepName, labels: workflowLabels('Failed') },
    spec: {
      entrypoint: 'sweep',
      arguments: { parameters: [{ name: 'run-name', value: 'sweep-500' }] },
      templates: [
        {
          name: 'sweep',
          dag: { tasks: [{ name: 'shard', template: 'echo' }] },
        },
        ...diamondSource.spec.templates.filter(t => t.name === 'echo'),
      ],
    },
    status: {
      phase: 'Failed',
      startedAt: at(0),
      finishedAt: at(600),
      progress: nodes[sweepName].progress,
      message: `child '${sweepName}-97' failed`,
      nodes,
    },
  };
  await put(
    ARGO,
    'workflows',
    fresh(sweep, sweepName, workflowLabels('Failed')),
  );
  summary.workflows.large = sweepName;
}

// ---------------------------------------------------------------- KServe
const isvcSource = JSON.parse(
  fs.readFileSync(
    path.join(
      root,
      'third_party/kserve/examples/status/flower-sample-isvc-with-status.json',
    ),
    'utf8',
  ),
).object;
const isvc = rename(
  rename(fresh(isvcSource, 'flower-sample', {}), 'flower-sample', ENTITY),
  'kserve-test',
  NS,
);
delete isvc.metadata.finalizers;
isvc.metadata.labels = PART_OF;
isvc.status = retime(isvc.status, now - minutes(30));
// The status was recorded for generation 2.
isvc.status.observedGeneration = 1;
// The Lineage tab: the service serves version 2 (the champion) of the example's registered
// model, as a portal deploy records it (mlops-common kserve/deploy.ts SERVED_MODEL_ANNOTATION).
isvc.metadata.annotations = {
  ...(isvc.metadata.annotations ?? {}),
  'mlstack.io/served-model': JSON.stringify({
    instance: 'default',
    modelName: ENTITY,
    version: '2',
    storageUri: Object.values(isvc.spec.predictor).find(
      component => typeof component?.storageUri === 'string',
    ).storageUri,
    deployedAt: new Date(now - minutes(30)).toISOString(),
  }),
};
await put(KSERVE, 'inferenceservices', isvc, { statusSubresource: true });
summary.inferenceServices.push(ENTITY);

process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
