import { projectEntity, registeredModel } from '../__testUtils__/entities';
import { buildModelEntity } from './modelEntity';

const claimer = projectEntity({
  name: 'fraud-detector',
  owner: 'group:default/ml-team',
  models: 'fraud-model',
  namespace: 'ml-team',
  system: 'payments',
  extraAnnotations: {
    'mlstack.io/kubernetes-cluster': 'prod',
    'mlstack.io/kserve-selector': 'app.kubernetes.io/part-of=fraud',
    'mlflow.org/experiment-name': 'fraud-exp',
    'argoworkflows.argoproj.io/workflow-selector': 'app.kubernetes.io/part-of=fraud',
    'backstage.io/techdocs-ref': 'dir:.',
  },
});

function build(apiRefs: string[] = [], serviceNames: string[] = []) {
  return buildModelEntity({
    name: 'main-fraud-model',
    instance: 'main',
    model: registeredModel('fraud-model', {}, 'Scores card payments'),
    claimer,
    claimerRefs: ['component:default/fraud-detector'],
    owner: 'group:default/ml-team',
    apiRefs,
    serviceNames,
  });
}

describe('buildModelEntity', () => {
  it('is an ml-model Resource owned by the claimer’s owner, a dependency of the claimer, in its system', () => {
    const entity = build();
    expect(entity.kind).toBe('Resource');
    expect(entity.metadata).toMatchObject({
      name: 'main-fraud-model',
      namespace: 'default',
      title: 'fraud-model',
      description: 'Scores card payments',
    });
    expect(entity.spec).toEqual({
      type: 'ml-model',
      owner: 'group:default/ml-team',
      dependencyOf: ['component:default/fraud-detector'],
      system: 'payments',
    });
  });

  it('links to the model in MLflow and annotates the model, instance, claimer and the claimer’s MLflow, Argo and Kubernetes scope (nothing else)', () => {
    const entity = build(['api:default/prod-ml-team-fraud'], ['fraud']);
    expect(entity.metadata.links).toEqual([
      {
        url: 'http://mlflow.example.com/#/models/fraud-model',
        title: 'Model in MLflow',
        icon: 'dashboard',
      },
    ]);
    expect(entity.metadata.annotations).toEqual({
      'backstage.io/managed-by-location':
        'url:http://mlflow.example.com/#/models/fraud-model',
      'backstage.io/managed-by-origin-location':
        'url:http://mlflow.example.com/#/models/fraud-model',
      'backstage.io/kubernetes-namespace': 'ml-team',
      'mlstack.io/kubernetes-cluster': 'prod',
      'mlstack.io/kserve-selector': 'app.kubernetes.io/part-of=fraud',
      'mlflow.org/experiment-name': 'fraud-exp',
      'argoworkflows.argoproj.io/workflow-selector':
        'app.kubernetes.io/part-of=fraud',
      'mlflow.org/registered-model-name': 'fraud-model',
      'mlflow.org/instance': 'main',
      'mlstack.io/claimed-by': 'component:default/fraud-detector',
      'mlstack.io/kserve-inference-service': 'fraud',
    });
    expect(entity.spec?.providesApis).toEqual([
      'api:default/prod-ml-team-fraud',
    ]);
  });

  it('describes a model MLflow has no description for by name and instance', () => {
    const entity = buildModelEntity({
      name: 'main-m',
      instance: 'main',
      model: registeredModel('m'),
      claimer: projectEntity({
        name: 'p',
        owner: 'group:default/t',
        models: 'm',
      }),
      claimerRefs: ['component:default/p'],
      owner: 'group:default/t',
      apiRefs: [],
      serviceNames: [],
    });
    expect(entity.metadata.description).toBe(
      'MLflow registered model m (instance main)',
    );
    expect(entity.spec).not.toHaveProperty('system');
    expect(entity.spec).not.toHaveProperty('providesApis');
  });
});
