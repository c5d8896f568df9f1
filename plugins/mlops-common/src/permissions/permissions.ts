import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Permissions of the actions the MLStack plugins take on a cluster. Each is a resource
 * permission on the catalog entity the objects belong to, so a policy can decide with the
 * catalog's rules (e.g. `isEntityOwner`). Reads need no permission of their own: whoever may
 * read the entity may read its runs and services.
 */

/**
 * Submit a Workflow from one of the entity's WorkflowTemplates.
 *
 * @public
 */
export const argoWorkflowSubmitPermission = createPermission({
  name: 'mlops.argo.workflow.submit',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Resubmit one of the entity's Workflows as a new Workflow.
 *
 * @public
 */
export const argoWorkflowResubmitPermission = createPermission({
  name: 'mlops.argo.workflow.resubmit',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Retry the failed nodes of one of the entity's Workflows.
 *
 * @public
 */
export const argoWorkflowRetryPermission = createPermission({
  name: 'mlops.argo.workflow.retry',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Stop one of the entity's Workflows (exit handlers still run).
 *
 * @public
 */
export const argoWorkflowStopPermission = createPermission({
  name: 'mlops.argo.workflow.stop',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Terminate one of the entity's Workflows (no exit handlers).
 *
 * @public
 */
export const argoWorkflowTerminatePermission = createPermission({
  name: 'mlops.argo.workflow.terminate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Deploy a model version to a KServe InferenceService of the entity (create, replace, canary).
 *
 * @public
 */
export const kserveServiceDeployPermission = createPermission({
  name: 'mlops.kserve.service.deploy',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Promote the canary of one of the entity's InferenceServices to all traffic.
 *
 * @public
 */
export const kserveServicePromotePermission = createPermission({
  name: 'mlops.kserve.service.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Roll back the canary of one of the entity's InferenceServices.
 *
 * @public
 */
export const kserveServiceRollbackPermission = createPermission({
  name: 'mlops.kserve.service.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Stop or start one of the entity's InferenceServices (`serving.kserve.io/stop`).
 *
 * @public
 */
export const kserveServiceStopPermission = createPermission({
  name: 'mlops.kserve.service.stop',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Delete one of the entity's InferenceServices.
 *
 * @public
 */
export const kserveServiceDeletePermission = createPermission({
  name: 'mlops.kserve.service.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the MLStack plugins, for the permissions registry.
 *
 * @public
 */
export const mlopsPermissions = [
  argoWorkflowSubmitPermission,
  argoWorkflowResubmitPermission,
  argoWorkflowRetryPermission,
  argoWorkflowStopPermission,
  argoWorkflowTerminatePermission,
  kserveServiceDeployPermission,
  kserveServicePromotePermission,
  kserveServiceRollbackPermission,
  kserveServiceStopPermission,
  kserveServiceDeletePermission,
];
