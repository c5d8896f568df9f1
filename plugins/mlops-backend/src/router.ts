import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { artifactPathProblem } from '@mlstack/plugin-mlops-node';
import { addArgoRoutes } from './routes/argoRoutes';
import { addKserveRoutes } from './routes/kserveRoutes';
import { parse } from './routes/parse';
import type { ArgoWorkflowActions } from './service/argo/ArgoWorkflowActions';
import type { ArgoWorkflowService } from './service/argo/ArgoWorkflowService';
import type { InferenceServiceService } from './service/kserve/InferenceServiceService';
import type { EntityLoader } from './service/EntityLoader';
import type { ActionPermissions } from './service/permissions/ActionPermissions';
import type { MlflowEntityService } from './service/mlflow/MlflowEntityService';

/** A query value that may be given once or repeated (`?orderBy=a&orderBy=b`). */
const repeatable = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform(v => (v === undefined ? undefined : ([] as string[]).concat(v)));

const runsQuery = z.object({
  experimentId: repeatable,
  filter: z.string().max(4000).optional(),
  orderBy: repeatable,
  pageToken: z.string().max(4000).optional(),
  maxResults: z.coerce.number().int().min(1).max(500).default(25),
});

const metricHistoryQuery = z.object({
  maxResults: z.coerce.number().int().min(1).max(100_000).optional(),
});

const artifactsQuery = z.object({
  path: z
    .string()
    .max(2000)
    .optional()
    .superRefine((path, ctx) => {
      const problem =
        path === undefined ? undefined : artifactPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  pageToken: z.string().max(4000).optional(),
});

const loggedModelsQuery = z.object({
  experimentId: repeatable,
  pageToken: z.string().max(4000).optional(),
  maxResults: z.coerce.number().int().min(1).max(100).default(50),
});

export interface RouterOptions {
  entityLoader: EntityLoader;
  mlflow: MlflowEntityService;
  httpAuth: HttpAuthService;
  actionPermissions: ActionPermissions;
  auditor: AuditorService;
  workflows: ArgoWorkflowService;
  workflowActions: ArgoWorkflowActions;
  inferenceServices: InferenceServiceService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { entityLoader, mlflow } = options;
  const router = Router();
  router.use(express.json());

  const base = '/entities/:kind/:namespace/:name/mlflow';
  const entityOf = (req: express.Request) =>
    entityLoader.load(req, {
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });

  const freshEntityOf = (req: express.Request) =>
    entityLoader.load(
      req,
      {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      { fresh: true },
    );

  const entityRefOf = (req: express.Request) =>
    stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });

  router.get(`${base}/experiments`, async (req, res) => {
    res.json(await mlflow.getExperiments(await entityOf(req)));
  });

  router.get(`${base}/runs`, async (req, res) => {
    const query = parse(runsQuery, req.query);
    res.json(
      await mlflow.searchRuns(entityRefOf(req), entityOf(req), {
        experimentIds: query.experimentId,
        filter: query.filter,
        orderBy: query.orderBy,
        pageToken: query.pageToken,
        maxResults: query.maxResults,
      }),
    );
  });

  router.get(`${base}/runs/:runId`, async (req, res) => {
    res.json(await mlflow.getRun(await entityOf(req), req.params.runId));
  });

  router.get(`${base}/runs/:runId/metrics/:metricKey`, async (req, res) => {
    const query = parse(metricHistoryQuery, req.query);
    res.json(
      await mlflow.getMetricHistory(
        await entityOf(req),
        req.params.runId,
        req.params.metricKey,
        query.maxResults,
      ),
    );
  });

  router.get(`${base}/runs/:runId/artifacts`, async (req, res) => {
    const query = parse(artifactsQuery, req.query);
    res.json(
      await mlflow.listArtifacts(await entityOf(req), req.params.runId, query),
    );
  });

  router.get(`${base}/models`, async (req, res) => {
    res.json(await mlflow.getModels(await entityOf(req)));
  });

  router.get(`${base}/logged-models`, async (req, res) => {
    const query = parse(loggedModelsQuery, req.query);
    res.json(
      await mlflow.getLoggedModels(await entityOf(req), {
        experimentIds: query.experimentId,
        pageToken: query.pageToken,
        maxResults: query.maxResults,
      }),
    );
  });

  addArgoRoutes(router, {
    entityOf,
    freshEntityOf,
    httpAuth: options.httpAuth,
    actionPermissions: options.actionPermissions,
    auditor: options.auditor,
    workflows: options.workflows,
    actions: options.workflowActions,
  });
  addKserveRoutes(router, {
    entityOf,
    services: options.inferenceServices,
  });

  return router;
}
