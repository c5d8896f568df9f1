import type { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  canonicalOwnerRef,
  mlopsPermissions,
} from '@mlstack/plugin-mlops-common';

const MLOPS_PERMISSION_NAMES = new Set(mlopsPermissions.map(p => p.name));

/**
 * Whether a permission is one of the MLStack actions (present or future: `mlops.*`).
 *
 * @public
 */
export function isMlopsPermission(permission: Permission): boolean {
  return (
    MLOPS_PERMISSION_NAMES.has(permission.name) ||
    permission.name.startsWith('mlops.')
  );
}

/**
 * `mlops.permissions` as the policy reads it.
 *
 * @public
 */
export interface MlopsPolicySettings {
  /** Canonical refs of the groups whose members may take every MLStack action. */
  adminGroups: string[];
}

/**
 * Reads `mlops.permissions.adminGroups`; an entry that is not an entity ref fails the start.
 *
 * @public
 */
export function readMlopsPolicySettings(config: Config): MlopsPolicySettings {
  const key = 'mlops.permissions.adminGroups';
  const groups = config.getOptionalStringArray(key) ?? [];
  return {
    adminGroups: groups.map((group, i) => {
      const ref = canonicalOwnerRef(group);
      if (!ref || !ref.startsWith('group:')) {
        throw new Error(
          `${key}[${i}] is '${group}', which is not a group entity ref like 'group:default/platform-team'`,
        );
      }
      return ref;
    }),
  };
}

/**
 * The MLStack permission policy.
 *
 * - The MLStack actions (`mlops.*`: Argo submit/resubmit/retry/stop/terminate and the deploy
 *   family) are allowed to members of the configured admin groups, and otherwise to the
 *   owners of the entity they act on: a conditional decision with the catalog's
 *   `isEntityOwner` rule, whose claims are the user's ownership refs (the user and the groups
 *   it is a member of). Anything else, including a request without a user, is denied.
 * - Every other permission is allowed, as before this policy: reading entity pages is
 *   governed by the catalog, and the other plugins keep their defaults.
 *
 * Service principals never reach a policy (Backstage decides them from the token's access
 * restrictions); the MLStack backend grants services actions only where
 * `mlops.permissions.serviceGrants` lists them.
 *
 * @public
 */
export class MlopsPermissionPolicy implements PermissionPolicy {
  constructor(private readonly settings: MlopsPolicySettings) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!isMlopsPermission(permission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const claims = user.info.ownershipEntityRefs;
    const lowerClaims = new Set(claims.map(c => c.toLocaleLowerCase('en-US')));
    if (this.settings.adminGroups.some(group => lowerClaims.has(group))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
