// The claiming entities and Kubernetes objects of `yarn bench catalog-models`, on stdout.
//   --what catalog: BENCH claimers as catalog documents (JSON documents separated by `---`,
//     valid YAML for a file location): Components as the ml-project template registers them,
//     component:default/<claimer-prefix>NNNN claiming registered model <model-prefix>NNNN of
//     the bench's MLflow instance, owned by ml-team (the owner the seeded models are tagged
//     with), in the bench namespace on the bench cluster.
//   --what kube: one List for `kubectl apply` (idempotent): the namespace (owned by ml-team) and
//     --services InferenceServices, deployed (labels and records as the portal's deploy
//     writes them) for every (claimers / services)th claimer and serving its model.
import { parseArgs } from 'node:util';

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
const claimers = Number(args.claimers);
const pad = i => String(i).padStart(4, '0');
const claimerName = i => `${args['claimer-prefix']}${pad(i)}`;
const modelName = i => `${args['model-prefix']}${pad(i)}`;

if (args.what === 'catalog') {
  for (let i = 0; i < claimers; i++) {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: claimerName(i),
        annotations: {
          'mlflow.org/registered-model-name': modelName(i),
          'mlflow.org/instance': args.instance,
          'backstage.io/kubernetes-namespace': args.namespace,
          'mlstack.io/kubernetes-cluster': args.cluster,
        },
      },
      spec: {
        type: 'ml-project',
        lifecycle: 'experimental',
        owner: args.owner,
      },
    };
    console.log(`---\n${JSON.stringify(entity)}`);
  }
} else if (args.what === 'kube') {
  const step = Math.max(1, Math.floor(claimers / Number(args.services)));
  const services = [];
  for (
    let i = 0;
    i < claimers && services.length < Number(args.services);
    i += step
  ) {
    const storageUri = `s3://mlflow-artifacts/${modelName(i)}/v1`;
    services.push({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: claimerName(i),
        namespace: args.namespace,
        labels: { 'backstage.io/kubernetes-id': claimerName(i) },
        annotations: {
          'mlstack.io/served-model': JSON.stringify({
            instance: args.instance,
            modelName: modelName(i),
            version: '1',
            storageUri,
            deployedAt: '2026-11-01T00:00:00Z',
          }),
          'mlstack.io/entity-ref': `component:default/${claimerName(i)}`,
        },
      },
      spec: {
        predictor: {
          model: { modelFormat: { name: 'mlflow' }, storageUri },
        },
      },
    });
  }
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
            annotations: { 'mlstack.io/owner': args.owner },
          },
        },
        ...services,
      ],
    }),
  );
} else {
  throw new Error('--what catalog or --what kube');
}
