import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { MlflowOwnership } from '@mlstack/plugin-mlops-common';
import {
  KubernetesClusters,
  MlflowInstances,
} from '@mlstack/plugin-mlops-node';
import { MODEL_PROVIDER_CONFIG_KEY, readModelProviderConfig } from './config';
import { ModelApiRelationsProcessor } from './processor/ModelApiRelationsProcessor';
import {
  MODEL_PROVIDER_NAME,
  MlstackModelProvider,
} from './provider/MlstackModelProvider';

/**
 * The MLStack catalog module: the relations processor for model entities, and, when
 * `catalog.providers.mlstackModels` is configured, the scheduled model provider.
 *
 * @public
 */
export const catalogModuleMlstackModels = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'mlstack-models',
  register(reg) {
    reg.registerInit({
      deps: {
        catalogProcessing: catalogProcessingExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({
        catalogProcessing,
        catalog,
        auth,
        config,
        logger,
        scheduler,
      }) {
        catalogProcessing.addProcessor(new ModelApiRelationsProcessor());
        const providerConfig = readModelProviderConfig(config);
        if (!providerConfig) {
          logger.info(
            `${MODEL_PROVIDER_NAME} is off: ${MODEL_PROVIDER_CONFIG_KEY} is not configured`,
          );
          return;
        }
        const provider = new MlstackModelProvider({
          catalog,
          auth,
          logger,
          registries: MlflowInstances.fromConfig(config, { logger }),
          clusters: KubernetesClusters.fromConfig(config),
          ownership: MlflowOwnership.fromConfig(config),
          maxModels: providerConfig.maxModels,
          taskRunner: scheduler.createScheduledTaskRunner(
            providerConfig.schedule,
          ),
        });
        catalogProcessing.addEntityProvider(provider);
      },
    });
  },
});
