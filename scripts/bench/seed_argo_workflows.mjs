// Seeds the harness API server with N Argo Workflows (default 2,000) in one namespace, made
// from the real controller objects in third_party/argo-workflows/examples/workflows-with-status
// (spec, status with nodes, as the controller writes them), applied server-side so they carry
// managedFields like objects in a real cluster. Skips the work when the namespace already
// holds that many. Prints the namespace and the count.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

const { values: args } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    namespace: { type: 'string', default: 'bench-argo' },
    count: { type: 'string', default: '2000' },
    label: {
      type: 'string',
      default: 'app.kubernetes.io/part-of=bench-project',
    },
    concurrency: { type: 'string', default: '16' },
  },
});
const count = Number(args.count);
const [labelKey, labelValue] = args.label.split('=');
const kc = new k8s.KubeConfig();
kc.loadFromFile(args.kubeconfig);
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const core = kc.makeApiClient(k8s.CoreV1Api);

const exampleDir = path.resolve(
  import.meta.dirname,
  '../../third_party/argo-workflows/examples/workflows-with-status',
);
const examples = fs
  .readdirSync(exampleDir)
  .filter(f => f.endsWith('.yaml'))
  .sort()
  .flatMap(f =>
    parseAllDocuments(fs.readFileSync(path.join(exampleDir, f), 'utf8')).map(
      d => d.toJS(),
    ),
  );

/** How many matching workflows the namespace holds (the API server gives no count with a selector). */
async function existing() {
  let total = 0;
  let continueToken;
  do {
    const list = await custom.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: args.namespace,
      plural: 'workflows',
      labelSelector: args.label,
      limit: 500,
      _continue: continueToken,
    });
    total += list.items?.length ?? 0;
    continueToken = list.metadata?.continue || undefined;
  } while (continueToken);
  return total;
}

// The controller writes unset times as null (Go's zero time); the full-schema CRDs in
// third_party reject null for string fields, so nulls are dropped, as an apply would.
const withoutNulls = value =>
  JSON.parse(JSON.stringify(value, (_key, v) => (v === null ? undefined : v)));

function workflow(i) {
  const example = withoutNulls(examples[i % examples.length]);
  const base = example.metadata.generateName ?? `${example.metadata.name}-`;
  const started = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: `${base}${String(i).padStart(5, '0')}`,
      namespace: args.namespace,
      labels: { ...example.metadata.labels, [labelKey]: labelValue },
      annotations: example.metadata.annotations,
    },
    spec: example.spec,
    status: {
      ...example.status,
      startedAt: started.toISOString().replace(/\.\d+Z$/, 'Z'),
      finishedAt: new Date(started.getTime() + 95_000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z'),
    },
  };
}

await core
  .createNamespace({ body: { metadata: { name: args.namespace } } })
  .catch(e => {
    if (e.code !== 409) throw e;
  });
const have = await existing();
if (have >= count) {
  console.log(
    JSON.stringify({ namespace: args.namespace, workflows: have, seeded: 0 }),
  );
  process.exit(0);
}
let next = 0;
async function worker() {
  while (next < count) {
    const i = next++;
    await objects.patch(
      workflow(i),
      undefined,
      undefined,
      'mlstack-bench',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
  }
}
await Promise.all(Array.from({ length: Number(args.concurrency) }, worker));
console.log(
  JSON.stringify({
    namespace: args.namespace,
    workflows: count,
    seeded: count - have,
  }),
);
