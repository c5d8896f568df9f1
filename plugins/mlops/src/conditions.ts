import type { Entity } from '@backstage/catalog-model';
import {
  MLFLOW_EXPERIMENT_NAME_ANNOTATION,
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
  parseNameList,
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
