// The Kubernetes objects of `yarn bench lineage`, as one List on stdout for `kubectl apply`
// (idempotent): the namespace (owned by ml-team), the Argo Workflows the seeded runs name
// (but every tenth, as if garbage-collected) and 20 InferenceServices in the entity's scope
// (label app.kubernetes.io/part-of), each recording the version it serves
// (mlstack.io/served-model, as a deploy writes it): services i and i+10 both serve version
// 200-i; services 10..14 run version 180-i as a 20% canary.
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    namespace: { type: 'string', default: 'bench-lineage' },
    label: {
      type: 'string',
      default: 'app.kubernetes.io/part-of=bench-lineage-project',
    },
    instance: { type: 'string', default: 'bench-lineage' },
    model: { type: 'string', default: 'bench-lineage' },
    versions: { type: 'string', default: '200' },
    services: { type: 'string', default: '20' },
    'storage-prefix': {
      type: 'string',
      default: 's3://mlflow-artifacts/bench-lineage',
    },
    // The workflow names the MLflow seed printed (JSON array).
    workflows: { type: 'string' },
  },
});
const [labelKey, labelValue] = args.label.split('=');
const labels = { [labelKey]: labelValue };
const latest = Number(args.versions);
const deployedAt = '2026-11-01T00:00:00Z';

const record = version =>
  JSON.stringify({
    instance: args.instance,
    modelName: args.model,
    version: String(version),
    storageUri: `${args['storage-prefix']}/v${version}`,
    deployedAt,
  });

const workflows = JSON.parse(args.workflows)
  .filter((_, i) => i % 10 !== 9)
  .map(name => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: args.namespace, labels },
    spec: {
      entrypoint: 'train',
      templates: [{ name: 'train', container: { image: 'python:3.12' } }],
    },
    status: {
      phase: 'Succeeded',
      startedAt: '2026-11-01T00:00:00Z',
      finishedAt: '2026-11-01T00:05:00Z',
    },
  }));

const services = Array.from({ length: Number(args.services) }, (_, i) => {
  const stable = latest - (i % 10);
  const canary = i >= 10 && i < 15 ? latest - 20 - i : undefined;
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: `bench-lineage-${String(i).padStart(2, '0')}`,
      namespace: args.namespace,
      labels,
      annotations: {
        'mlstack.io/served-model': record(stable),
        ...(canary ? { 'mlstack.io/canary-model': record(canary) } : {}),
      },
    },
    spec: {
      predictor: {
        ...(canary ? { canaryTrafficPercent: 20 } : {}),
        model: {
          modelFormat: { name: 'mlflow' },
          storageUri: `${args['storage-prefix']}/v${canary ?? stable}`,
        },
      },
    },
  };
});

console.log(
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: args.namespace,
          annotations: { 'mlstack.io/owner': 'group:default/ml-team' },
        },
      },
      ...workflows,
      ...services,
    ],
  }),
);
