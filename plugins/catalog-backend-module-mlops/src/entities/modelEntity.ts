import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  KSERVE_INFERENCE_SERVICE_ANNOTATION,
  MLFLOW_INSTANCE_ANNOTATION,
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
  MlflowRegisteredModel,
} from '@mlstack/plugin-mlops-common';
import {
  CLAIMED_BY_ANNOTATION,
  COPIED_SCOPE_ANNOTATIONS,
  ML_MODEL_RESOURCE_TYPE,
} from './annotations';

export interface ModelEntityInput {
  /** The entity name the namer gave the model. */
  name: string;
  /** The configured MLflow instance. */
  instance: string;
  model: Pick<MlflowRegisteredModel, 'name' | 'description' | 'uiUrl'>;
  /** The first claiming entity: the model's owner, system, namespace and Kubernetes scope. */
  claimer: Entity;
  /** Every claiming entity of the same owner (refs), the first one first. */
  claimerRefs: string[];
  /** The owner (full ref) of the claiming entities. */
  owner: string;
  /** Refs of the API entities of the services serving the model. */
  apiRefs: string[];
  /** Names of the InferenceServices serving the model, in the claimer's namespace. */
  serviceNames: string[];
}

function copiedAnnotations(claimer: Entity): Record<string, string> {
  const source = claimer.metadata.annotations ?? {};
  return Object.fromEntries(
    COPIED_SCOPE_ANNOTATIONS.filter(key => source[key]).map(key => [
      key,
      source[key],
    ]),
  );
}

/**
 * The `Resource` entity of a registered model (`spec.type: ml-model`): owned by its claimer's
 * owner, a dependency of its claimers, in its first claimer's system and namespace, linked to
 * the model in MLflow's UI, and annotated so that the portal's MLflow and Serving views work on
 * it (the model and instance, the claimer's Kubernetes annotations, the services serving it).
 */
export function buildModelEntity(input: ModelEntityInput): Entity {
  const { claimer, model } = input;
  const location = `url:${model.uiUrl}`;
  const system = claimer.spec?.system;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: input.name,
      namespace: claimer.metadata.namespace ?? 'default',
      title: model.name,
      description:
        model.description?.trim() ||
        `MLflow registered model ${model.name} (instance ${input.instance})`,
      tags: ['ml-model', 'mlflow'],
      links: [
        { url: model.uiUrl, title: 'Model in MLflow', icon: 'dashboard' },
      ],
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        ...copiedAnnotations(claimer),
        [MLFLOW_REGISTERED_MODEL_ANNOTATION]: model.name,
        [MLFLOW_INSTANCE_ANNOTATION]: input.instance,
        [CLAIMED_BY_ANNOTATION]: input.claimerRefs[0],
        ...(input.serviceNames.length > 0
          ? {
              [KSERVE_INFERENCE_SERVICE_ANNOTATION]:
                input.serviceNames.join(','),
            }
          : {}),
      },
    },
    spec: {
      type: ML_MODEL_RESOURCE_TYPE,
      owner: input.owner,
      dependencyOf: input.claimerRefs,
      ...(typeof system === 'string' && system ? { system } : {}),
      ...(input.apiRefs.length > 0 ? { providesApis: input.apiRefs } : {}),
    },
  };
}
