import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  KubernetesClusters,
  MlflowInstances,
} from '@mlstack/plugin-mlops-node';
import {
  createKubernetesApplyAction,
  createMlflowCreateExperimentAction,
  createPublishGitAction,
  createS3CreateBucketAction,
} from './actions';
import { readGitSettings } from './lib/git';
import { missingS3Keys, readS3Settings } from './lib/s3';

/**
 * Registers the MLStack scaffolder actions: `mlops:s3:create-bucket`,
 * `mlops:mlflow:create-experiment`, `mlops:kubernetes:apply` and `mlops:publish:git`.
 *
 * @public
 */
export const scaffolderModuleMlops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'mlops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, logger }) {
        // Invalid config fails the backend start, naming the key; absent config only fails
        // the actions that need it, when a template uses them.
        const s3 = readS3Settings(config);
        const missing = missingS3Keys(config);
        if (missing.length > 0) {
          logger.warn(
            `mlops.s3 is incomplete (${missing.join(
              ', ',
            )} not set): mlops:s3:create-bucket and the s3Credentials of mlops:kubernetes:apply will fail until it is`,
          );
        }
        const git = readGitSettings(config);
        const mlflow = MlflowInstances.fromConfig(config, { logger });
        let clusters: KubernetesClusters | undefined;
        scaffolder.addActions(
          createS3CreateBucketAction({ s3 }),
          createMlflowCreateExperimentAction({ mlflow }),
          createKubernetesApplyAction({
            // the kubeconfig is loaded on first use: a backend without one still starts
            clusters: () =>
              (clusters ??= KubernetesClusters.fromConfig(config)),
            s3,
          }),
          createPublishGitAction({ git }),
        );
      },
    });
  },
});
