import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Request } from 'express';

export interface EntityRefParams {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Reads the entity a request is about from the catalog, with the caller's own credentials:
 * an entity the caller may not see is reported exactly like one that does not exist.
 */
export class EntityLoader {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      httpAuth: HttpAuthService;
    },
  ) {}

  async load(req: Request, ref: EntityRefParams): Promise<Entity> {
    const credentials = await this.deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  }
}
