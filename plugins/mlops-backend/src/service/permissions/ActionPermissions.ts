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
import {
  canonicalOwnerRef,
  mlopsPermissions,
  ownerOfEntity,
} from '@mlstack/plugin-mlops-common';
import { callerName } from '../caller';

/** One entry of `mlops.permissions.serviceGrants`. */
export interface ServiceGrant {
  /** The service's subject (e.g. a static external access token's `subject`). */
  subject: string;
  /** MLStack permission names it grants. */
  permissions: ReadonlySet<string>;
  /** When set, only on entities owned by one of these (canonical refs). */
  owners?: ReadonlySet<string>;
}

const KNOWN_PERMISSIONS = new Set(mlopsPermissions.map(p => p.name));

/**
 * Reads `mlops.permissions.serviceGrants`
 * (`[{ subject, permissions: [names], owners?: [entity refs] }]`). A grant that names an
 * unknown permission or an owner that is not an entity ref fails the start, naming the key,
 * so a typo does not silently grant nothing (or everything).
 */
export function readServiceGrants(config: Config): ServiceGrant[] {
  const entries =
    config.getOptionalConfigArray('mlops.permissions.serviceGrants') ?? [];
  return entries.map((entry, i) => {
    const key = `mlops.permissions.serviceGrants[${i}]`;
    const permissions = entry.getStringArray('permissions');
    for (const name of permissions) {
      if (!KNOWN_PERMISSIONS.has(name)) {
        throw new Error(
          `${key}.permissions names '${name}', which is not an MLStack permission (known: ${[
            ...KNOWN_PERMISSIONS,
          ].join(', ')})`,
        );
      }
    }
    const owners = entry.getOptionalStringArray('owners')?.map(owner => {
      const ref = canonicalOwnerRef(owner);
      if (!ref) {
        throw new Error(
          `${key}.owners names '${owner}', which is not an entity ref like 'group:default/ml-team'`,
        );
      }
      return ref;
    });
    return {
      subject: entry.getString('subject'),
      permissions: new Set(permissions),
      ...(owners ? { owners: new Set(owners) } : {}),
    };
  });
}

/**
 * Decides whether a caller may take an MLStack action on an entity.
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
      serviceGrants: ServiceGrant[];
      /**
       * `permission.enabled`: without the permission framework every authorize call allows,
       * so every action is refused instead.
       */
      permissionsEnabled: boolean;
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
    if (!this.deps.permissionsEnabled) {
      throw new NotAllowedError(
        `${caller} may not ${permission.name} on ${entityRef}: MLStack actions are refused while permission.enabled is not true (nothing would check who acts)`,
      );
    }
    if (principal.type === 'service') {
      const owner = ownerOfEntity(entity);
      const grants = this.deps.serviceGrants.filter(
        grant =>
          grant.subject === principal.subject &&
          grant.permissions.has(permission.name),
      );
      const granted = grants.some(
        grant =>
          !grant.owners || (owner !== undefined && grant.owners.has(owner)),
      );
      if (!granted) {
        throw new NotAllowedError(
          `${caller} may not ${
            permission.name
          } on ${entityRef}: mlops.permissions.serviceGrants does not grant it to that service${
            grants.length > 0 ? ` on entities of ${owner ?? 'no owner'}` : ''
          }`,
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
