import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  MlopsPermissionPolicy,
  readMlopsPolicySettings,
} from './MlopsPermissionPolicy';

/**
 * Installs the MLStack permission policy in the permission backend (in place of the
 * allow-all policy): MLStack actions for the entity's owners and `mlops.permissions.adminGroups`.
 *
 * @public
 */
export const permissionModuleMlopsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'mlops-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        const settings = readMlopsPolicySettings(config);
        logger.info(
          `MLStack actions are allowed to each entity's owners${
            settings.adminGroups.length
              ? ` and to ${settings.adminGroups.join(', ')}`
              : ''
          }`,
        );
        policy.setPolicy(new MlopsPermissionPolicy(settings));
      },
    });
  },
});
