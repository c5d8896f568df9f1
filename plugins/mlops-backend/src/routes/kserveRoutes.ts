import type { Entity } from '@backstage/catalog-model';
import type express from 'express';
import { z } from 'zod';
import type { InferenceServiceService } from '../service/kserve/InferenceServiceService';
import { parse, tailLines } from './parse';

const logsQuery = z.object({
  component: z
    .enum(['predictor', 'transformer', 'explainer'])
    .default('predictor'),
  tailLines,
});

/** The KServe routes of an entity (see @mlstack/plugin-mlops-common kserve/api.ts). */
export function addKserveRoutes(
  router: express.Router,
  deps: {
    entityOf(req: express.Request): Promise<Entity>;
    services: InferenceServiceService;
  },
) {
  const { entityOf, services } = deps;
  const base = '/entities/:kind/:namespace/:name/kserve';

  router.get(`${base}/inference-services`, async (req, res) => {
    res.json(await services.listServices(await entityOf(req)));
  });

  router.get(`${base}/inference-services/:service/logs`, async (req, res) => {
    const query = parse(logsQuery, req.query);
    res.json(
      await services.getLogs(await entityOf(req), req.params.service, query),
    );
  });
}
