import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Throws a NotAllowedError unless the permission policy allows the caller the permission on
 * the entity (`resourceRef` is the entity ref, so catalog rules such as isEntityOwner apply).
 */
export async function requirePermission(options: {
  permissions: PermissionsService;
  permission: ResourcePermission<'catalog-entity'>;
  entityRef: string;
  credentials: BackstageCredentials;
}): Promise<void> {
  const { permissions, permission, entityRef, credentials } = options;
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef: entityRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Not allowed: ${permission.name} on ${entityRef}`,
    );
  }
}
