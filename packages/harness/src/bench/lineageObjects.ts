/**
 * The Kubernetes objects of `yarn bench lineage`, as one List on stdout for `kubectl apply`
 * (idempotent): the namespace (owned by ml-team), the Argo Workflows the seeded runs name
 * (but every tenth, as if garbage-collected) and 20 InferenceServices in the entity's scope
 * (label app.kubernetes.io/part-of), each recording the version it serves
 * (mlstack.io/served-model, as a deploy writes it): services i and i+10 both serve version
 * 200-i; services 10..14 run version 180-i as a 20% canary.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/bench/lineageObjects.ts \
 *     --workflows JSON_ARRAY [--namespace NS] [--label KEY=VALUE] [--instance NAME] [--model NAME] \
 *     [--versions 200] [--services 20] [--storage-prefix URI]
 */
import { parseArgs } from 'node:util';
import {
  CANARY_MODEL_ANNOTATION,
  OWNER_KEY,
  SERVED_MODEL_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import { requireOptions, runMain } from '../cli';
import type { KubeObject } from '../upstreamRelabel';

const DEPLOYED_AT = '2026-11-01T00:00:00Z';

export interface LineageObjectsOptions {
  namespace: string;
  labels: Record<string, string>;
  instance: string;
  model: string;
  /** The latest version (versions run 1..latest). */
  latest: number;
  services: number;
  storagePrefix: string;
  /** The workflow names the MLflow seed printed. */
  workflows: string[];
}

/** The namespace, workflows and InferenceServices, as one List. */
export function lineageObjects(options: LineageObjectsOptions): KubeObject {
  const { namespace, labels, latest, storagePrefix } = options;
  const record = (version: number) =>
    JSON.stringify({
      instance: options.instance,
      modelName: options.model,
      version: String(version),
      storageUri: `${storagePrefix}/v${version}`,
      deployedAt: DEPLOYED_AT,
    });
  const workflows = options.workflows
    .filter((_, i) => i % 10 !== 9)
    .map(name => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name, namespace, labels },
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
  const services = Array.from({ length: options.services }, (_, i) => {
    const stable = latest - (i % 10);
    const canary = i >= 10 && i < 15 ? latest - 20 - i : undefined;
    return {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: `bench-lineage-${String(i).padStart(2, '0')}`,
        namespace,
        labels,
        annotations: {
          [SERVED_MODEL_ANNOTATION]: record(stable),
          ...(canary ? { [CANARY_MODEL_ANNOTATION]: record(canary) } : {}),
        },
      },
      spec: {
        predictor: {
          ...(canary ? { canaryTrafficPercent: 20 } : {}),
          model: {
            modelFormat: { name: 'mlflow' },
            storageUri: `${storagePrefix}/v${canary ?? stable}`,
          },
        },
      },
    };
  });
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          annotations: { [OWNER_KEY]: 'group:default/ml-team' },
        },
      },
      ...workflows,
      ...services,
    ],
  };
}

async function main() {
  const { values } = parseArgs({
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
      workflows: { type: 'string' },
    },
  });
  const args = requireOptions(values, ['workflows']);
  const [labelKey, labelValue] = args.label.split('=');
  console.log(
    JSON.stringify(
      lineageObjects({
        namespace: args.namespace,
        labels: { [labelKey]: labelValue },
        instance: args.instance,
        model: args.model,
        latest: Number(args.versions),
        services: Number(args.services),
        storagePrefix: args['storage-prefix'],
        workflows: JSON.parse(args.workflows),
      }),
    ),
  );
}

if (require.main === module) {
  runMain(main);
}
