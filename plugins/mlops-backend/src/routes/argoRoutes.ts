import type { Entity } from '@backstage/catalog-model';
import {
  argoWorkflowResubmitPermission,
  argoWorkflowRetryPermission,
  argoWorkflowStopPermission,
  argoWorkflowSubmitPermission,
  argoWorkflowTerminatePermission,
  ArgoWorkflowSummary,
  isDns1123Label,
} from '@mlstack/plugin-mlops-common';
import type express from 'express';
import { z } from 'zod';
import type { ArgoEntityActions } from '../service/argo/ArgoEntityActions';
import type { ArgoEntityService } from '../service/argo/ArgoEntityService';
import { EntityActionDeps, entityAction } from './entityAction';
import { parse, tailLines } from './parse';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(25),
  continue: z.string().min(1).max(8000).optional(),
});

const logsQuery = z.object({
  container: z
    .string()
    .refine(name => isDns1123Label(name), 'not a container name')
    .optional(),
  tailLines,
});

const submitBody = z.object({
  parameters: z.record(z.string(), z.string()).optional(),
});

const resubmitBody = z.object({ memoized: z.boolean().optional() });

export interface ArgoRouteDeps extends EntityActionDeps {
  entityOf(req: express.Request): Promise<Entity>;
  workflows: ArgoEntityService;
  actions: ArgoEntityActions;
}

/** The Argo Workflows routes of an entity (see @mlstack/plugin-mlops-common argo/api.ts). */
export function addArgoRoutes(router: express.Router, deps: ArgoRouteDeps) {
  const { entityOf, workflows, actions } = deps;
  const base = '/entities/:kind/:namespace/:name/argo';

  const act = entityAction(deps);

  /** An action whose result is a workflow: its scope and name go into the audit record. */
  function workflowAction(
    run: (
      entity: Entity,
      actor: string | undefined,
    ) => Promise<ArgoWorkflowSummary>,
  ) {
    return async (entity: Entity, actor: string | undefined) => {
      const scope = await workflows.scopeOf(entity);
      const summary = await run(entity, actor);
      return {
        body: summary,
        meta: {
          cluster: scope.cluster.name,
          namespace: scope.namespace,
          workflow: summary.name,
        },
      };
    };
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
        run: workflowAction((entity, actor) =>
          actions.submit(entity, req.params.template, {
            parameters: body.parameters,
            actor,
          }),
        ),
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
      run: workflowAction((entity, actor) =>
        actions.resubmit(entity, req.params.workflow, {
          memoized: body.memoized,
          actor,
        }),
      ),
    });
  });

  router.post(`${base}/workflows/:workflow/retry`, async (req, res) => {
    await act(req, res, {
      eventId: 'argo-workflow-retry',
      permission: argoWorkflowRetryPermission,
      meta: { workflow: req.params.workflow },
      status: 200,
      run: workflowAction((entity, actor) =>
        actions.retry(entity, req.params.workflow, { actor }),
      ),
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
        run: workflowAction((entity, actor) =>
          actions.shutdown(entity, req.params.workflow, strategy, { actor }),
        ),
      });
    });
  }
}
