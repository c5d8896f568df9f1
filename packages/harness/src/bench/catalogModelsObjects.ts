/**
 * The claiming entities and Kubernetes objects of `yarn bench catalog-models`, on stdout.
 *   --what catalog: BENCH claimers as catalog documents (JSON documents separated by `---`,
 *     valid YAML for a file location): Components as the ml-project template registers them,
 *     component:default/<claimer-prefix>NNNN claiming registered model <model-prefix>NNNN of
 *     the bench's MLflow instance, owned by ml-team (the owner the seeded models are tagged
 *     with), in the bench namespace on the bench cluster.
 *   --what kube: one List for `kubectl apply` (idempotent): the namespace (owned by ml-team) and
 *     --services InferenceServices, deployed (labels and records as the portal's deploy
 *     writes them) for every (claimers / services)th claimer and serving its model.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/bench/catalogModelsObjects.ts \
 *     --what catalog|kube [--claimers 1000] [--services 20] [--claimer-prefix P] [--model-prefix P] \
 *     [--instance NAME] [--cluster NAME] [--namespace NS] [--owner REF]
 */
import { parseArgs } from 'node:util';
import {
  DEPLOYED_FOR_ANNOTATION,
  KUBERNETES_CLUSTER_ANNOTATION,
  OWNER_KEY,
  SERVED_MODEL_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import { runMain } from '../cli';
import type { KubeObject } from '../upstreamRelabel';

export interface CatalogModelsOptions {
  claimers: number;
  services: number;
  claimerPrefix: string;
  modelPrefix: string;
  instance: string;
  cluster: string;
  namespace: string;
  owner: string;
}

const pad = (i: number) => String(i).padStart(4, '0');

/** The claiming Components, one per claimer. */
export function claimerEntities(options: CatalogModelsOptions): KubeObject[] {
  return Array.from({ length: options.claimers }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `${options.claimerPrefix}${pad(i)}`,
      annotations: {
        'mlflow.org/registered-model-name': `${options.modelPrefix}${pad(i)}`,
        'mlflow.org/instance': options.instance,
        'backstage.io/kubernetes-namespace': options.namespace,
        [KUBERNETES_CLUSTER_ANNOTATION]: options.cluster,
      },
    },
    spec: {
      type: 'ml-project',
      lifecycle: 'experimental',
      owner: options.owner,
    },
  }));
}

/** The namespace and the InferenceServices of every (claimers / services)th claimer, as one List. */
export function claimerServices(options: CatalogModelsOptions): KubeObject {
  const { claimers, namespace } = options;
  const step = Math.max(1, Math.floor(claimers / options.services));
  const services = [];
  for (
    let i = 0;
    i < claimers && services.length < options.services;
    i += step
  ) {
    const claimer = `${options.claimerPrefix}${pad(i)}`;
    const model = `${options.modelPrefix}${pad(i)}`;
    const storageUri = `s3://mlflow-artifacts/${model}/v1`;
    services.push({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: claimer,
        namespace,
        labels: { 'backstage.io/kubernetes-id': claimer },
        annotations: {
          [SERVED_MODEL_ANNOTATION]: JSON.stringify({
            instance: options.instance,
            modelName: model,
            version: '1',
            storageUri,
            deployedAt: '2026-11-01T00:00:00Z',
          }),
          [DEPLOYED_FOR_ANNOTATION]: `component:default/${claimer}`,
        },
      },
      spec: {
        predictor: {
          model: { modelFormat: { name: 'mlflow' }, storageUri },
        },
      },
    });
  }
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          annotations: { [OWNER_KEY]: options.owner },
        },
      },
      ...services,
    ],
  };
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      what: { type: 'string' },
      claimers: { type: 'string', default: '1000' },
      services: { type: 'string', default: '20' },
      'claimer-prefix': { type: 'string', default: 'bench-models-project-' },
      'model-prefix': { type: 'string', default: 'bench-model-' },
      instance: { type: 'string', default: 'bench-models' },
      cluster: { type: 'string', default: 'bench-models' },
      namespace: { type: 'string', default: 'bench-catalog-models' },
      owner: { type: 'string', default: 'group:default/ml-team' },
    },
  });
  const options: CatalogModelsOptions = {
    claimers: Number(args.claimers),
    services: Number(args.services),
    claimerPrefix: args['claimer-prefix'],
    modelPrefix: args['model-prefix'],
    instance: args.instance,
    cluster: args.cluster,
    namespace: args.namespace,
    owner: args.owner,
  };
  if (args.what === 'catalog') {
    for (const entity of claimerEntities(options)) {
      console.log(`---\n${JSON.stringify(entity)}`);
    }
  } else if (args.what === 'kube') {
    console.log(JSON.stringify(claimerServices(options)));
  } else {
    throw new Error('--what catalog or --what kube');
  }
}

if (require.main === module) {
  runMain(main);
}
