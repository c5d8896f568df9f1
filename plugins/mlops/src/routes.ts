import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the legacy `EntityMlflowContent` is mounted. */
export const rootRouteRef = createRouteRef({
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
