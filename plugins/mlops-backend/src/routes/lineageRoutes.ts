import type { Entity } from '@backstage/catalog-model';
import { LINEAGE_ROUTE_PATH } from '@mlstack/plugin-mlops-common';
import type express from 'express';
import { z } from 'zod';
import type { LineageService } from '../service/lineage/LineageService';
import { parse } from './parse';

const lineageQuery = z
  .object({
    model: z.string().min(1).max(256).optional(),
    version: z
      .string()
      .regex(/^[1-9][0-9]{0,9}$/, 'not a version number')
      .optional(),
    alias: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, 'not an MLflow alias')
      .optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.version !== undefined && query.alias !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['alias'],
        message: 'give either version or alias, not both',
      });
    }
  });

export interface LineageRouteDeps {
  entityOf(req: express.Request): Promise<Entity>;
  lineage: LineageService;
}

/** The lineage route of an entity (see @mlstack/plugin-mlops-common lineage/api.ts). */
export function addLineageRoutes(
  router: express.Router,
  deps: LineageRouteDeps,
) {
  router.get(LINEAGE_ROUTE_PATH, async (req, res) => {
    const query = parse(lineageQuery, req.query);
    res.json(await deps.lineage.lineage(await deps.entityOf(req), query));
  });
}
