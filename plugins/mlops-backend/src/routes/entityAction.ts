import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { ownerOfEntity } from '@mlstack/plugin-mlops-common';
import type express from 'express';
import type { ActionPermissions } from '../service/permissions/ActionPermissions';

export type AuditMeta = NonNullable<
  Parameters<AuditorService['createEvent']>[0]['meta']
>;

/** Who acts, as the objects and audit records name it: the user entity ref, or the service. */
export function actorOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject;
}

export interface EntityActionDeps {
  /** The entity as the catalog has it now, for actions (never a kept answer). */
  freshEntityOf(req: express.Request): Promise<Entity>;
  httpAuth: HttpAuthService;
  actionPermissions: ActionPermissions;
  auditor: AuditorService;
}

export interface EntityActionOptions<T, R = never> {
  eventId: string;
  permission: ResourcePermission<'catalog-entity'>;
  meta: AuditMeta;
  status: number;
  /**
   * Reads (never writes) the action needs, started on the entity first read, alongside the
   * permission decision. Their result reaches `run` only when the caller may act and the entity
   * did not change meanwhile; otherwise it is dropped unseen.
   */
  readAhead?(entity: Entity, actor: string | undefined): Promise<R>;
  /** Takes the action on the entity the decision was made on; `meta` is added to the audit success. */
  run(
    entity: Entity,
    actor: string | undefined,
    readAhead: Promise<R> | undefined,
  ): Promise<{ body: T; meta: AuditMeta }>;
}

/**
 * Takes an action on an entity on a caller's behalf: the entity is read with the caller's
 * credentials (404 if hidden), then the audit event starts; the permission is checked and the
 * action taken inside it, so that a refusal is recorded as a failure too.
 *
 * The policy decides on the entity as the catalog has it when it asks; the scope (namespace
 * owner) must be judged on that same version. So the entity is read fresh before and after
 * the decision, and an entity that changed meanwhile (e.g. its owner) is a 409, nothing done.
 * Reads the action needs may start before the decision (`readAhead`); what they found is used
 * only on the same version of the entity, after the decision allowed it.
 */
export function entityAction(deps: EntityActionDeps) {
  return async function act<T, R = never>(
    req: express.Request,
    res: express.Response,
    options: EntityActionOptions<T, R>,
  ): Promise<void> {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entity = await deps.freshEntityOf(req);
    const entityRef = stringifyEntityRef(entity);
    const event = await deps.auditor.createEvent({
      eventId: options.eventId,
      severityLevel: 'medium',
      request: req,
      meta: { entityRef, ...options.meta },
    });
    const actor = actorOf(credentials);
    const readAhead = options.readAhead?.(entity, actor);
    // Awaited by `run` when the caller may act; a refusal must not leave it unhandled.
    readAhead?.catch(() => undefined);
    try {
      // The permission first: a caller who may not act learns nothing about the scope.
      await deps.actionPermissions.require(
        options.permission,
        entity,
        credentials,
      );
      const decidedOn = await deps.freshEntityOf(req);
      if (
        decidedOn.metadata.etag !== entity.metadata.etag ||
        ownerOfEntity(decidedOn) !== ownerOfEntity(entity)
      ) {
        throw new ConflictError(
          `${entityRef} changed in the catalog while the action was being authorized; nothing was done, try again`,
        );
      }
      const { body, meta } = await options.run(decidedOn, actor, readAhead);
      await event.success({ meta });
      res.status(options.status).json(body);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  };
}
