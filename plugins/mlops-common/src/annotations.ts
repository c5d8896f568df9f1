/**
 * Annotations read by the MLStack plugins. Values name things; they never carry a URL:
 * the backend only talks to the MLflow instances and clusters configured for it.
 */

import type { Entity } from '@backstage/catalog-model';

/**
 * Comma-separated MLflow experiment names (the convention other portals use too).
 *
 * @public
 */
export const MLFLOW_EXPERIMENT_NAME_ANNOTATION = 'mlflow.org/experiment-name';

/**
 * Comma-separated names of MLflow registered models belonging to the entity.
 *
 * @public
 */
export const MLFLOW_REGISTERED_MODEL_ANNOTATION =
  'mlflow.org/registered-model-name';

/**
 * Name of a configured MLflow instance (`mlops.mlflow.instances[].name`); default if absent.
 *
 * @public
 */
export const MLFLOW_INSTANCE_ANNOTATION = 'mlflow.org/instance';

/**
 * An entity's annotation, trimmed; undefined when it is missing or blank (a blank value says
 * nothing, so it is read as absent).
 *
 * @public
 */
export function readAnnotation(
  entity: Entity,
  name: string,
): string | undefined {
  return entity.metadata.annotations?.[name]?.trim() || undefined;
}

/**
 * Splits a comma-separated annotation value into trimmed, non-empty, unique names.
 *
 * @public
 */
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

/**
 * Label selector of the entity's Argo Workflows, e.g. `app.kubernetes.io/part-of=fraud-detector`
 * (the annotation the community Argo Workflows plugin reads, reused here).
 *
 * @public
 */
export const ARGO_WORKFLOW_SELECTOR_ANNOTATION =
  'argoworkflows.argoproj.io/workflow-selector';

/**
 * Comma-separated names of the entity's WorkflowTemplates. Runs submitted from them belong to
 * the entity (Argo labels them `workflows.argoproj.io/workflow-template=<name>`), and they are
 * the templates the Pipelines tab offers to submit.
 *
 * @public
 */
export const ARGO_WORKFLOW_TEMPLATE_ANNOTATION =
  'mlstack.io/argo-workflow-template';

/**
 * Comma-separated names of the entity's KServe InferenceServices.
 *
 * @public
 */
export const KSERVE_INFERENCE_SERVICE_ANNOTATION =
  'mlstack.io/kserve-inference-service';

/**
 * Label selector of the entity's KServe InferenceServices (instead of, or besides, names).
 *
 * @public
 */
export const KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION =
  'mlstack.io/kserve-selector';

/**
 * The service account the entity's deployed predictors run as (it holds the storage
 * credentials); overrides the deploy target's `serviceAccountName`.
 *
 * @public
 */
export const KSERVE_SERVICE_ACCOUNT_ANNOTATION =
  'mlstack.io/kserve-service-account';

/**
 * Namespace of the entity's Argo and KServe objects (Backstage's own annotation).
 *
 * @public
 */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Name of a configured cluster (`mlops.kubernetes.clusters[].name`); the default cluster if absent.
 *
 * @public
 */
export const KUBERNETES_CLUSTER_ANNOTATION = 'mlstack.io/kubernetes-cluster';
