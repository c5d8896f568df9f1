import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Request } from 'express';
import { callerKey } from './caller';

export interface EntityRefParams {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Reads the entity a request is about from the catalog, with the caller's own credentials:
 * an entity the caller may not see is reported exactly like one that does not exist.
 *
 * A page of the MLflow tab makes several requests about one entity within a second; each
 * caller's answer is kept for `ttlMs` (default 5 s), so a change of the entity or of the
 * caller's permissions shows after at most that long. Failures are not kept.
 */
export class EntityLoader {
  private readonly recent = new Map<
    string,
    { entity: Promise<Entity>; expiresAt: number }
  >();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      httpAuth: HttpAuthService;
      ttlMs?: number;
      now?: () => number;
    },
  ) {
    this.ttlMs = deps.ttlMs ?? 5_000;
    this.now = deps.now ?? Date.now;
  }

  /**
   * The entity; with `fresh`, read from the catalog now, never from the kept answers (actions
   * decide on the entity as the catalog has it at that moment).
   */
  async load(
    req: Request,
    ref: EntityRefParams,
    options?: { fresh?: boolean },
  ): Promise<Entity> {
    const credentials = await this.deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = stringifyEntityRef(ref).toLocaleLowerCase('en-US');
    if (options?.fresh) {
      return this.fetch(entityRef, credentials);
    }
    const key = `${callerKey(credentials)}\u0000${entityRef}`;
    const now = this.now();
    const kept = this.recent.get(key);
    if (kept && kept.expiresAt > now) {
      return kept.entity;
    }
    this.forgetExpired(now);
    const entity = this.fetch(entityRef, credentials);
    this.recent.set(key, { entity, expiresAt: now + this.ttlMs });
    entity.catch(() => this.recent.delete(key));
    return entity;
  }

  private async fetch(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  }

  private forgetExpired(now: number) {
    for (const [key, kept] of this.recent) {
      if (kept.expiresAt <= now) {
        this.recent.delete(key);
      }
    }
  }
}
