import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { mlopsPermissions } from '@mlstack/plugin-mlops-common';
import { MlflowInstances, readDeployTargets } from '@mlstack/plugin-mlops-node';
import { createRouter } from './router';
import { ArgoEntityActions } from './service/argo/ArgoEntityActions';
import { ArgoEntityService } from './service/argo/ArgoEntityService';
import { WorkflowSummaryCaches } from './service/argo/cache/WorkflowSummaryCaches';
import { EntityLoader } from './service/EntityLoader';
import {
  ActionPermissions,
  readServiceGrants,
} from './service/permissions/ActionPermissions';
import { KServeEntityService } from './service/kserve/KServeEntityService';
import { KServeEntityActions } from './service/kserve/KServeEntityActions';
import { ClusterProvider } from './service/kubernetes/ClusterProvider';
import { MlflowEntityService } from './service/mlflow/MlflowEntityService';
import { MlflowOwnership } from './service/mlflow/MlflowOwnership';
import { ServedVersionFinder } from './service/mlflow/ServedVersionFinder';

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
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        auditor,
        lifecycle,
        catalog,
      }) {
        permissionsRegistry.addPermissions(mlopsPermissions);
        const mlflow = new MlflowEntityService({
          instances: MlflowInstances.fromConfig(config),
          ownership: MlflowOwnership.fromConfig(config),
        });
        // Built on first use: a backend without any cluster still starts (its Kubernetes
        // routes answer 503 saying why).
        const clusters = new ClusterProvider({ config, logger });
        clusters.check();
        // Runs newest first across pages: summaries kept current by list + watch per scope.
        const workflowCaches = new WorkflowSummaryCaches({ logger });
        lifecycle.addShutdownHook(() => workflowCaches.stop());
        const workflows = new ArgoEntityService(clusters, workflowCaches);
        const inferenceServices = new KServeEntityService({
          clusters,
          versions: new ServedVersionFinder(mlflow),
          logger,
        });
        httpRouter.use(
          await createRouter({
            entityLoader: new EntityLoader({ catalog, httpAuth }),
            mlflow,
            httpAuth,
            actionPermissions: new ActionPermissions({
              permissions,
              serviceGrants: readServiceGrants(config),
              permissionsEnabled:
                config.getOptionalBoolean('permission.enabled') ?? false,
            }),
            auditor,
            workflows,
            workflowActions: new ArgoEntityActions(workflows),
            inferenceServices,
            deploys: new KServeEntityActions({
              clusters,
              mlflow,
              services: inferenceServices,
              targets: readDeployTargets(config),
            }),
          }),
        );
      },
    });
  },
});
