import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { addArgoRoutes } from './routes/argoRoutes';
import { addKserveRoutes } from './routes/kserveRoutes';
import { addLineageRoutes } from './routes/lineageRoutes';
import { addMlflowRoutes } from './routes/mlflowRoutes';
import type { ArgoEntityActions } from './service/argo/ArgoEntityActions';
import type { ArgoEntityService } from './service/argo/ArgoEntityService';
import type { KServeEntityService } from './service/kserve/KServeEntityService';
import type { KServeEntityActions } from './service/kserve/KServeEntityActions';
import type { EntityLoader } from './service/EntityLoader';
import { LineageService } from './service/lineage/LineageService';
import type { ActionPermissions } from './service/permissions/ActionPermissions';
import type { MlflowEntityService } from './service/mlflow/MlflowEntityService';

export interface RouterOptions {
  entityLoader: EntityLoader;
  mlflow: MlflowEntityService;
  httpAuth: HttpAuthService;
  actionPermissions: ActionPermissions;
  auditor: AuditorService;
  workflows: ArgoEntityService;
  workflowActions: ArgoEntityActions;
  inferenceServices: KServeEntityService;
  deploys: KServeEntityActions;
  /** Default: built on the MLflow, workflow and InferenceService services above. */
  lineage?: LineageService;
}

/** Mounts the routes of each domain (routes/<domain>Routes.ts); every route is keyed by an entity. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { entityLoader } = options;
  const router = Router();
  router.use(express.json());

  const refOf = (req: express.Request) => ({
    kind: req.params.kind,
    namespace: req.params.namespace,
    name: req.params.name,
  });
  const entityOf = (req: express.Request) => entityLoader.load(req, refOf(req));
  const freshEntityOf = (req: express.Request) =>
    entityLoader.load(req, refOf(req), { fresh: true });
  const entityRefOf = (req: express.Request) => stringifyEntityRef(refOf(req));
  const actionDeps = {
    freshEntityOf,
    httpAuth: options.httpAuth,
    actionPermissions: options.actionPermissions,
    auditor: options.auditor,
  };

  addMlflowRoutes(router, { entityOf, entityRefOf, mlflow: options.mlflow });
  addArgoRoutes(router, {
    ...actionDeps,
    entityOf,
    workflows: options.workflows,
    actions: options.workflowActions,
  });
  addKserveRoutes(router, {
    ...actionDeps,
    entityOf,
    services: options.inferenceServices,
    deploys: options.deploys,
  });
  addLineageRoutes(router, {
    entityOf,
    lineage:
      options.lineage ??
      new LineageService({
        mlflow: options.mlflow,
        workflows: options.workflows,
        services: options.inferenceServices,
      }),
  });
  return router;
}
