import type { Entity } from '@backstage/catalog-model';
import {
  DEPLOY_MODES,
  INFERENCE_SERVICE_NAME_MAX_LENGTH,
  QUANTITY,
  resourceProblems,
  dns1035LabelProblem,
  kserveServiceDeletePermission,
  kserveServiceDeployPermission,
  kserveServicePromotePermission,
  kserveServiceRollbackPermission,
  kserveServiceStopPermission,
} from '@mlstack/plugin-mlops-common';
import type express from 'express';
import { z } from 'zod';
import type { KServeEntityService } from '../service/kserve/KServeEntityService';
import type {
  DeployWrite,
  KServeEntityActions,
} from '../service/kserve/KServeEntityActions';
import { EntityActionDeps, entityAction } from './entityAction';
import { parse, tailLines } from './parse';

const logsQuery = z.object({
  component: z
    .enum(['predictor', 'transformer', 'explainer'])
    .default('predictor'),
  tailLines,
});

/** A Kubernetes resource quantity (`500m`, `1`, `2Gi`, `1.5`). */
const quantity = z
  .string()
  .max(32)
  .regex(QUANTITY, 'not a Kubernetes quantity (e.g. 500m, 1, 512Mi, 2Gi)');

const name = z.string().min(1).max(256);

const deployBody = z
  .object({
    source: z.discriminatedUnion('type', [
      z
        .object({
          type: z.literal('modelVersion'),
          modelName: name,
          version: z
            .string()
            .regex(/^[1-9][0-9]{0,9}$/, 'not a version number'),
        })
        .strict(),
      z
        .object({
          type: z.literal('modelAlias'),
          modelName: name,
          alias: z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,255}$/, 'not an MLflow alias'),
        })
        .strict(),
      z
        .object({
          type: z.literal('loggedModel'),
          modelId: z
            .string()
            .regex(/^m-[0-9a-f]{1,64}$/, 'not a logged model id'),
        })
        .strict(),
    ]),
    target: z
      .object({
        cluster: z.string().min(1).max(253),
        namespace: z.string().min(1).max(63),
      })
      .strict(),
    serviceName: z.string().superRefine((value, ctx) => {
      const problem = dns1035LabelProblem(
        value,
        INFERENCE_SERVICE_NAME_MAX_LENGTH,
      );
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    mode: z.enum(['Standard', 'Knative'] satisfies typeof DEPLOY_MODES),
    runtime: z.string().min(1).max(253).optional(),
    canaryTrafficPercent: z.number().int().min(0).max(99),
    resources: z
      .object({
        cpuRequest: quantity.optional(),
        cpuLimit: quantity.optional(),
        memoryRequest: quantity.optional(),
        memoryLimit: quantity.optional(),
      })
      .strict()
      .optional(),
    minReplicas: z.number().int().min(0).max(100).optional(),
    maxReplicas: z.number().int().min(1).max(100).optional(),
    expectedResourceVersion: z
      .string()
      .regex(/^[0-9]{1,20}$/, 'not a resourceVersion')
      .nullable()
      .optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    for (const problem of resourceProblems(body.resources)) {
      ctx.addIssue({ code: 'custom', path: ['resources'], message: problem });
    }
    if (body.mode === 'Standard' && body.minReplicas === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['minReplicas'],
        message:
          'Standard mode keeps at least one replica (scale to zero is a Knative feature)',
      });
    }
    if (
      body.minReplicas !== undefined &&
      body.maxReplicas !== undefined &&
      body.minReplicas > body.maxReplicas
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['minReplicas'],
        message: `${body.minReplicas} is more than maxReplicas ${body.maxReplicas}`,
      });
    }
  });

const rolloutBody = z
  .object({
    resourceVersion: z
      .string()
      .regex(/^[0-9]{1,20}$/)
      .optional(),
  })
  .strict();

export interface KserveRouteDeps extends EntityActionDeps {
  entityOf(req: express.Request): Promise<Entity>;
  services: KServeEntityService;
  deploys: KServeEntityActions;
}

/** The KServe routes of an entity (see @mlstack/plugin-mlops-common kserve/api.ts and kserve/deploy.ts). */
export function addKserveRoutes(router: express.Router, deps: KserveRouteDeps) {
  const { entityOf, services, deploys } = deps;
  const act = entityAction(deps);
  const base = '/entities/:kind/:namespace/:name/kserve';

  /** The audit record of a write: where, what, and the object before and after. */
  const written = (write: DeployWrite) => ({
    body: write.result,
    meta: {
      action: write.result.action,
      cluster: write.result.cluster,
      namespace: write.result.namespace,
      service: write.result.service,
      mlflowTags: write.result.mlflowTags,
      before: write.before as object,
      after: write.after as object,
    },
  });

  router.get(`${base}/inference-services`, async (req, res) => {
    res.json(await services.listServices(await entityOf(req)));
  });

  router.get(`${base}/inference-services/:service/logs`, async (req, res) => {
    const query = parse(logsQuery, req.query);
    res.json(
      await services.getLogs(await entityOf(req), req.params.service, query),
    );
  });

  router.get(`${base}/inference-services/:service/events`, async (req, res) => {
    res.json(await services.getEvents(await entityOf(req), req.params.service));
  });

  router.get(`${base}/deploy/targets`, async (req, res) => {
    res.json(await deploys.targets(await entityOf(req)));
  });

  router.post(`${base}/deploy/preview`, async (req, res) => {
    const body = parse(deployBody, req.body ?? {}, 'body');
    // A dry run reaches the cluster's admission: only those who may deploy may preview.
    await act(req, res, {
      eventId: 'kserve-deploy-preview',
      permission: kserveServiceDeployPermission,
      meta: { service: body.serviceName, source: body.source },
      status: 200,
      // MLflow and the cluster are read while the permission is decided (the preview's time
      // is mostly theirs); the dry run itself waits for the decision.
      readAhead: (entity, actor) => deploys.previewReads(entity, body, actor),
      run: async (_entity, _actor, reads) => {
        const preview = await deploys.preview(await reads!);
        return { body: preview, meta: { action: preview.action } };
      },
    });
  });

  router.post(`${base}/deploy`, async (req, res) => {
    const body = parse(deployBody, req.body ?? {}, 'body');
    await act(req, res, {
      eventId: 'kserve-deploy',
      permission: kserveServiceDeployPermission,
      meta: {
        service: body.serviceName,
        target: body.target,
        mode: body.mode,
        source: body.source,
        canaryTrafficPercent: body.canaryTrafficPercent,
      },
      status: 201,
      run: async (entity, actor) =>
        written(await deploys.deploy(entity, body, actor)),
    });
  });

  for (const [verb, permission] of [
    ['promote', kserveServicePromotePermission],
    ['rollback', kserveServiceRollbackPermission],
    ['stop', kserveServiceStopPermission],
    ['start', kserveServiceStopPermission],
  ] as const) {
    router.post(
      `${base}/inference-services/:service/${verb}`,
      async (req, res) => {
        const body = parse(rolloutBody, req.body ?? {}, 'body');
        await act(req, res, {
          eventId: `kserve-service-${verb}`,
          permission,
          meta: {
            service: req.params.service,
            resourceVersion: body.resourceVersion ?? null,
          },
          status: 200,
          run: async entity =>
            written(
              await deploys.rollout(
                entity,
                req.params.service,
                verb,
                body.resourceVersion,
              ),
            ),
        });
      },
    );
  }

  router.delete(`${base}/inference-services/:service`, async (req, res) => {
    const body = parse(rolloutBody, req.body ?? {}, 'body');
    await act(req, res, {
      eventId: 'kserve-service-delete',
      permission: kserveServiceDeletePermission,
      meta: {
        service: req.params.service,
        resourceVersion: body.resourceVersion ?? null,
      },
      status: 200,
      run: async entity =>
        written(
          await deploys.remove(
            entity,
            req.params.service,
            body.resourceVersion,
          ),
        ),
    });
  });
}
