import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { mlopsPermissions, ownerOfEntity } from '@mlstack/plugin-mlops-common';

/** `mlops.permissions.serviceGrants`: which service subject may take which actions. */
export type ServiceGrants = ReadonlyMap<string, ReadonlySet<string>>;

const KNOWN_PERMISSIONS = new Set(mlopsPermissions.map(p => p.name));

/**
 * Reads `mlops.permissions.serviceGrants` (`[{ subject, permissions: [names] }]`). A grant that
 * names an unknown permission fails the start, so a typo does not silently grant nothing.
 */
export function readServiceGrants(config: Config): ServiceGrants {
  const grants = new Map<string, Set<string>>();
  const entries =
    config.getOptionalConfigArray('mlops.permissions.serviceGrants') ?? [];
  entries.forEach((entry, i) => {
    const subject = entry.getString('subject');
    const permissions = entry.getStringArray('permissions');
    for (const name of permissions) {
      if (!KNOWN_PERMISSIONS.has(name)) {
        throw new Error(
          `mlops.permissions.serviceGrants[${i}].permissions names '${name}', which is not an MLOps permission (known: ${[
            ...KNOWN_PERMISSIONS,
          ].join(', ')})`,
        );
      }
    }
    grants.set(
      subject,
      new Set([...(grants.get(subject) ?? []), ...permissions]),
    );
  });
  return grants;
}

/** Who a caller is, as messages and audit records name it. */
export function callerName(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') {
    return principal.userEntityRef ?? 'an unknown user';
  }
  return `service '${principal.subject ?? 'unknown'}'`;
}

/**
 * Decides whether a caller may take an MLOps action on an entity.
 *
 * Users: the permission policy decides, with the entity as the resource (so catalog rules such
 * as `isEntityOwner` apply). Services: Backstage's permission system lets every service
 * principal through (limited only by its token's access restrictions), so a service is refused
 * here unless `mlops.permissions.serviceGrants` grants its subject the permission; then its
 * access restrictions are checked too.
 */
export class ActionPermissions {
  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      serviceGrants: ServiceGrants;
    },
  ) {}

  /** Throws a NotAllowedError that names the caller, the permission, the entity and why. */
  async require(
    permission: ResourcePermission<'catalog-entity'>,
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const entityRef = stringifyEntityRef(entity);
    const caller = callerName(credentials);
    const principal = credentials.principal as {
      type: string;
      subject?: string;
    };
    if (principal.type === 'service') {
      const granted = this.deps.serviceGrants.get(principal.subject ?? '');
      if (!granted?.has(permission.name)) {
        throw new NotAllowedError(
          `${caller} may not ${permission.name} on ${entityRef}: mlops.permissions.serviceGrants does not grant it to that service`,
        );
      }
    }
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return;
    }
    if (principal.type === 'service') {
      throw new NotAllowedError(
        `${caller} may not ${permission.name} on ${entityRef}: its token's access restrictions do not include it`,
      );
    }
    const owner = ownerOfEntity(entity);
    throw new NotAllowedError(
      `${caller} may not ${
        permission.name
      } on ${entityRef}: the permission policy allows it to the entity's owner (${
        owner ?? 'none set'
      }) and its members, and to the admin groups, and ${caller} is neither`,
    );
  }
}
