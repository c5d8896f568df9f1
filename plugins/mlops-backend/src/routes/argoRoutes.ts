import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  argoWorkflowResubmitPermission,
  argoWorkflowRetryPermission,
  argoWorkflowStopPermission,
  argoWorkflowSubmitPermission,
  argoWorkflowTerminatePermission,
  ArgoWorkflowSummary,
  ownerOfEntity,
} from '@mlstack/plugin-mlops-common';
import { ConflictError } from '@backstage/errors';
import type express from 'express';
import { z } from 'zod';
import type { ArgoWorkflowActions } from '../service/argo/ArgoWorkflowActions';
import type { ArgoWorkflowService } from '../service/argo/ArgoWorkflowService';
import type { ActionPermissions } from '../service/permissions/ActionPermissions';
import { parse, tailLines } from './parse';

type AuditMeta = NonNullable<
  Parameters<AuditorService['createEvent']>[0]['meta']
>;

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(25),
  continue: z.string().min(1).max(8000).optional(),
});

const logsQuery = z.object({
  container: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'not a container name')
    .max(63)
    .optional(),
  tailLines,
});

const submitBody = z.object({
  parameters: z.record(z.string(), z.string()).optional(),
});

const resubmitBody = z.object({ memoized: z.boolean().optional() });

/** Who acts, as Argo's creator/actor labels record it: the user entity ref, or the service. */
function actorOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject;
}

export interface ArgoRouteDeps {
  entityOf(req: express.Request): Promise<Entity>;
  /** The entity as the catalog has it now, for actions (never a kept answer). */
  freshEntityOf(req: express.Request): Promise<Entity>;
  httpAuth: HttpAuthService;
  actionPermissions: ActionPermissions;
  auditor: AuditorService;
  workflows: ArgoWorkflowService;
  actions: ArgoWorkflowActions;
}

/** The Argo Workflows routes of an entity (see @mlstack/plugin-mlops-common argo/api.ts). */
export function addArgoRoutes(router: express.Router, deps: ArgoRouteDeps) {
  const {
    entityOf,
    freshEntityOf,
    httpAuth,
    actionPermissions,
    auditor,
    workflows,
    actions,
  } = deps;
  const base = '/entities/:kind/:namespace/:name/argo';

  /**
   * An action: the entity is read with the caller's credentials (404 if hidden), then the
   * audit event starts; the permission is checked and the action taken inside it, so that a
   * refusal is recorded as a failure too.
   *
   * The policy decides on the entity as the catalog has it when it asks; the scope (namespace
   * owner) must be judged on that same version. So the entity is read fresh before and after
   * the decision, and an entity that changed meanwhile (e.g. its owner) is a 409, nothing done.
   */
  async function act(
    req: express.Request,
    res: express.Response,
    options: {
      eventId: string;
      permission: ResourcePermission<'catalog-entity'>;
      meta: AuditMeta;
      status: number;
      run(
        entity: Entity,
        actor: string | undefined,
      ): Promise<ArgoWorkflowSummary>;
    },
  ) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entity = await freshEntityOf(req);
    const entityRef = stringifyEntityRef(entity);
    const event = await auditor.createEvent({
      eventId: options.eventId,
      severityLevel: 'medium',
      request: req,
      meta: { entityRef, ...options.meta },
    });
    try {
      // The permission first: a caller who may not act learns nothing about the scope.
      await actionPermissions.require(options.permission, entity, credentials);
      const decidedOn = await freshEntityOf(req);
      if (
        decidedOn.metadata.etag !== entity.metadata.etag ||
        ownerOfEntity(decidedOn) !== ownerOfEntity(entity)
      ) {
        throw new ConflictError(
          `${entityRef} changed in the catalog while the action was being authorized; nothing was done, try again`,
        );
      }
      const scope = await workflows.scopeOf(decidedOn);
      const summary = await options.run(decidedOn, actorOf(credentials));
      await event.success({
        meta: {
          cluster: scope.cluster.name,
          namespace: scope.namespace,
          workflow: summary.name,
        },
      });
      res.status(options.status).json(summary);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.get(`${base}/workflows`, async (req, res) => {
    const query = parse(listQuery, req.query);
    res.json(
      await workflows.listWorkflows(await entityOf(req), {
        limit: query.limit,
        continueToken: query.continue,
      }),
    );
  });

  router.get(`${base}/workflows/:workflow`, async (req, res) => {
    res.json(
      await workflows.getWorkflow(await entityOf(req), req.params.workflow),
    );
  });

  router.get(
    `${base}/workflows/:workflow/nodes/:nodeId/logs`,
    async (req, res) => {
      const query = parse(logsQuery, req.query);
      res.json(
        await workflows.getNodeLogs(
          await entityOf(req),
          req.params.workflow,
          req.params.nodeId,
          query,
        ),
      );
    },
  );

  router.get(`${base}/workflow-templates`, async (req, res) => {
    res.json(await workflows.getTemplates(await entityOf(req)));
  });

  router.post(
    `${base}/workflow-templates/:template/submit`,
    async (req, res) => {
      const body = parse(submitBody, req.body ?? {}, 'body');
      await act(req, res, {
        eventId: 'argo-workflow-submit',
        permission: argoWorkflowSubmitPermission,
        meta: {
          template: req.params.template,
          parameters: body.parameters ?? {},
        },
        status: 201,
        run: (entity, actor) =>
          actions.submit(entity, req.params.template, {
            parameters: body.parameters,
            actor,
          }),
      });
    },
  );

  router.post(`${base}/workflows/:workflow/resubmit`, async (req, res) => {
    const body = parse(resubmitBody, req.body ?? {}, 'body');
    await act(req, res, {
      eventId: 'argo-workflow-resubmit',
      permission: argoWorkflowResubmitPermission,
      meta: { workflow: req.params.workflow, memoized: body.memoized ?? false },
      status: 201,
      run: (entity, actor) =>
        actions.resubmit(entity, req.params.workflow, {
          memoized: body.memoized,
          actor,
        }),
    });
  });

  router.post(`${base}/workflows/:workflow/retry`, async (req, res) => {
    await act(req, res, {
      eventId: 'argo-workflow-retry',
      permission: argoWorkflowRetryPermission,
      meta: { workflow: req.params.workflow },
      status: 200,
      run: (entity, actor) =>
        actions.retry(entity, req.params.workflow, { actor }),
    });
  });

  for (const [verb, strategy, eventId, permission] of [
    ['stop', 'Stop', 'argo-workflow-stop', argoWorkflowStopPermission],
    [
      'terminate',
      'Terminate',
      'argo-workflow-terminate',
      argoWorkflowTerminatePermission,
    ],
  ] as const) {
    router.post(`${base}/workflows/:workflow/${verb}`, async (req, res) => {
      await act(req, res, {
        eventId,
        permission,
        meta: { workflow: req.params.workflow },
        status: 200,
        run: (entity, actor) =>
          actions.shutdown(entity, req.params.workflow, strategy, { actor }),
      });
    });
  }
}
