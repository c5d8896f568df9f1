import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Permissions of the actions the MLStack plugins take on a cluster. Each is a resource
 * permission on the catalog entity the objects belong to, so a policy can decide with the
 * catalog's rules (e.g. `isEntityOwner`). Reads need no permission of their own: whoever may
 * read the entity may read its runs and services.
 */

/** Submit a Workflow from one of the entity's WorkflowTemplates. */
export const argoWorkflowSubmitPermission = createPermission({
  name: 'mlops.argo.workflow.submit',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Resubmit one of the entity's Workflows as a new Workflow. */
export const argoWorkflowResubmitPermission = createPermission({
  name: 'mlops.argo.workflow.resubmit',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Retry the failed nodes of one of the entity's Workflows. */
export const argoWorkflowRetryPermission = createPermission({
  name: 'mlops.argo.workflow.retry',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Stop one of the entity's Workflows (exit handlers still run). */
export const argoWorkflowStopPermission = createPermission({
  name: 'mlops.argo.workflow.stop',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Terminate one of the entity's Workflows (no exit handlers). */
export const argoWorkflowTerminatePermission = createPermission({
  name: 'mlops.argo.workflow.terminate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission of the MLStack plugins, for the permissions registry. */
export const mlopsPermissions = [
  argoWorkflowSubmitPermission,
  argoWorkflowResubmitPermission,
  argoWorkflowRetryPermission,
  argoWorkflowStopPermission,
  argoWorkflowTerminatePermission,
];
