import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * Where the legacy `EntityMlflowContent` (the MLflow tab) is mounted. Its id
 * is the one the ref had as `rootRouteRef`.
 */
export const mlflowRouteRef = createRouteRef({
  id: 'mlops:mlflow',
});

/** Where the legacy `EntityPipelinesContent` is mounted. */
export const pipelinesRouteRef = createRouteRef({
  id: 'mlops:pipelines',
});

/** Where the legacy `EntityServingContent` is mounted. */
export const servingRouteRef = createRouteRef({
  id: 'mlops:serving',
});
