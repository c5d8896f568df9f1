import type { Entity } from '@backstage/catalog-model';
import {
  ARGO_WORKFLOW_SELECTOR_ANNOTATION,
  ARGO_WORKFLOW_TEMPLATE_ANNOTATION,
  KSERVE_INFERENCE_SERVICE_ANNOTATION,
  KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  MLFLOW_EXPERIMENT_NAME_ANNOTATION,
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
  parseNameList,
  readAnnotation,
} from '@mlstack/plugin-mlops-common';

/** Experiment names from the entity's `mlflow.org/experiment-name` annotation. */
export function getExperimentNames(entity: Entity): string[] {
  return parseNameList(
    entity.metadata.annotations?.[MLFLOW_EXPERIMENT_NAME_ANNOTATION],
  );
}

/** Model names from the entity's `mlflow.org/registered-model-name` annotation. */
export function getRegisteredModelNames(entity: Entity): string[] {
  return parseNameList(
    entity.metadata.annotations?.[MLFLOW_REGISTERED_MODEL_ANNOTATION],
  );
}

/**
 * True when the entity names MLflow experiments or registered models, i.e. when
 * the MLflow tab has something to show.
 *
 * @public
 */
export function isMlflowAvailable(entity: Entity): boolean {
  return (
    getExperimentNames(entity).length > 0 ||
    getRegisteredModelNames(entity).length > 0
  );
}

/**
 * True when the entity names MLflow registered models.
 *
 * @public
 */
export function isMlflowModelRegistryAvailable(entity: Entity): boolean {
  return getRegisteredModelNames(entity).length > 0;
}

/** The entity's `backstage.io/kubernetes-namespace`, if set. */
export function getKubernetesNamespace(entity: Entity): string | undefined {
  return readAnnotation(entity, KUBERNETES_NAMESPACE_ANNOTATION);
}

/** Template names from the entity's `mlstack.io/argo-workflow-template` annotation. */
export function getArgoWorkflowTemplateNames(entity: Entity): string[] {
  return parseNameList(
    entity.metadata.annotations?.[ARGO_WORKFLOW_TEMPLATE_ANNOTATION],
  );
}

/**
 * True when the entity has a workflow selector or names WorkflowTemplates,
 * i.e. when the Pipelines tab has something to show.
 *
 * @public
 */
export function isArgoWorkflowsAvailable(entity: Entity): boolean {
  return (
    !!readAnnotation(entity, ARGO_WORKFLOW_SELECTOR_ANNOTATION) ||
    getArgoWorkflowTemplateNames(entity).length > 0
  );
}

/**
 * True when the entity names InferenceServices or has a selector for them,
 * i.e. when the Serving tab has something to show.
 *
 * @public
 */
export function isKServeAvailable(entity: Entity): boolean {
  return (
    parseNameList(
      entity.metadata.annotations?.[KSERVE_INFERENCE_SERVICE_ANNOTATION],
    ).length > 0 ||
    !!readAnnotation(entity, KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION)
  );
}
