import type { Entity } from '@backstage/catalog-model';
import type express from 'express';
import { z } from 'zod';
import { artifactPathProblem } from '@mlstack/plugin-mlops-node';
import type { MlflowEntityService } from '../service/mlflow/MlflowEntityService';
import { parse } from './parse';

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

export interface MlflowRouteDeps {
  entityOf(req: express.Request): Promise<Entity>;
  /** The entity's ref from the path, before the entity is read (to start reads early). */
  entityRefOf(req: express.Request): string;
  mlflow: MlflowEntityService;
}

/** The MLflow routes of an entity (see @mlstack/plugin-mlops-common mlflow/api.ts). */
export function addMlflowRoutes(router: express.Router, deps: MlflowRouteDeps) {
  const { entityOf, entityRefOf, mlflow } = deps;
  const base = '/entities/:kind/:namespace/:name/mlflow';

  router.get(`${base}/experiments`, async (req, res) => {
    res.json(await mlflow.getExperiments(await entityOf(req)));
  });

  router.get(`${base}/runs`, async (req, res) => {
    const query = parse(runsQuery, req.query);
    res.json(
      await mlflow.searchRuns(entityRefOf(req), () => entityOf(req), {
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
}
