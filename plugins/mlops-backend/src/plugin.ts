import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { MlflowInstances } from '@mlstack/plugin-mlops-node';
import { createRouter } from './router';
import { EntityLoader } from './service/EntityLoader';
import { MlflowEntityService } from './service/mlflow/MlflowEntityService';

/**
 * The `mlops` backend plugin.
 *
 * @public
 */
export const mlopsPlugin = createBackendPlugin({
  pluginId: 'mlops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ config, httpAuth, httpRouter, catalog }) {
        const mlflow = new MlflowEntityService({
          instances: MlflowInstances.fromConfig(config),
        });
        httpRouter.use(
          await createRouter({
            entityLoader: new EntityLoader({ catalog, httpAuth }),
            mlflow,
          }),
        );
      },
    });
  },
});
