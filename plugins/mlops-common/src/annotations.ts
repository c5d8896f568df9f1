/**
 * Annotations read by the MLStack plugins. Values name things; they never carry a URL:
 * the backend only talks to the MLflow instances and clusters configured for it.
 */

/** Comma-separated MLflow experiment names (the convention other portals use too). */
export const MLFLOW_EXPERIMENT_NAME_ANNOTATION = 'mlflow.org/experiment-name';

/** Comma-separated names of MLflow registered models belonging to the entity. */
export const MLFLOW_REGISTERED_MODEL_ANNOTATION =
  'mlflow.org/registered-model-name';

/** Name of a configured MLflow instance (`mlops.mlflow.instances[].name`); default if absent. */
export const MLFLOW_INSTANCE_ANNOTATION = 'mlflow.org/instance';

/** Splits a comma-separated annotation value into trimmed, non-empty, unique names. */
export function parseNameList(value: string | undefined): string[] {
  if (!value) {
    return [];
  }
  return Array.from(
    new Set(
      value
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    ),
  );
}
