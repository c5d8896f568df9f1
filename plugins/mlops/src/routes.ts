import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the legacy `EntityMlflowContent` is mounted. */
export const rootRouteRef = createRouteRef({
  id: 'mlops:mlflow',
});
