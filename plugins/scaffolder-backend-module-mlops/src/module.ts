import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  KubernetesClusters,
  MlflowInstances,
  NamespaceOwnershipConfig,
  readDeployTargets,
} from '@mlstack/plugin-mlops-node';
import {
  createKserveDeployAction,
  createKubernetesApplyAction,
  createMlflowCreateExperimentAction,
  createMlflowCreateRegisteredModelAction,
  createPublishGitAction,
  createS3CreateBucketAction,
} from './actions';
import { readGitSettings } from './lib/git';
import { readGiteaTargets } from './lib/gitea';
import type { InitiatorPolicy } from './lib/initiator';
import { missingS3Keys, readS3Settings } from './lib/s3';
import { APPLY_CONFIG_KEY, readScaffolderSettings } from './lib/settings';

/**
 * Registers the MLStack scaffolder actions: `mlops:s3:create-bucket`,
 * `mlops:mlflow:create-experiment`, `mlops:mlflow:create-registered-model`,
 * `mlops:kubernetes:apply`, `mlops:publish:git` and `mlops:kserve:deploy`.
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
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
      },
      async init({
        scaffolder,
        config,
        logger,
        userInfo,
        permissions,
        auditor,
      }) {
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
        const gitea = readGiteaTargets(config);
        const settings = readScaffolderSettings(config);
        const ownership = NamespaceOwnershipConfig.fromConfig(config);
        if (!settings.kubernetesApply.namespaces?.length) {
          logger.warn(
            `${APPLY_CONFIG_KEY}.namespaces is not configured: mlops:kubernetes:apply refuses every namespace until it is`,
          );
        }
        let clusters: KubernetesClusters | undefined;
        const initiator: InitiatorPolicy = {
          userInfo,
          allowServiceInitiators: settings.allowServiceInitiators,
        };
        const mlflow = MlflowInstances.fromConfig(config, { logger });
        const deployTargets = readDeployTargets(config);
        if (deployTargets.length === 0) {
          logger.warn(
            'mlops.deploy.targets is not configured: mlops:kserve:deploy refuses every namespace until it is',
          );
        }
        // the kubeconfig is loaded on first use: a backend without one still starts
        const kubernetesClusters = () =>
          (clusters ??= KubernetesClusters.fromConfig(config));
        scaffolder.addActions(
          createS3CreateBucketAction({ s3, initiator }),
          createMlflowCreateExperimentAction({ mlflow, initiator }),
          createMlflowCreateRegisteredModelAction({ mlflow, initiator }),
          createKubernetesApplyAction({
            clusters: kubernetesClusters,
            s3,
            policy: settings.kubernetesApply,
            ownership,
            initiator,
          }),
          createPublishGitAction({ git, initiator, gitea }),
          createKserveDeployAction({
            clusters: kubernetesClusters,
            mlflow,
            targets: deployTargets,
            ownership,
            strictOwnership:
              config.getOptionalBoolean('mlops.ownership.strict') ?? false,
            initiator,
            permissions,
            auditor,
          }),
        );
      },
    });
  },
});
