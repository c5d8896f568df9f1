import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  mlflowEntityContent,
  mlflowModelsEntityCard,
  mlopsApi,
} from './extensions';

/**
 * The MLStack frontend plugin for the new frontend system: the `MlopsApi`, the
 * "MLflow" entity tab and the MLflow models entity card.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'mlops',
  title: 'MLflow',
  info: { packageJson: () => import('../package.json') },
  extensions: [mlopsApi, mlflowEntityContent, mlflowModelsEntityCard],
});

export {
  isMlflowAvailable,
  isMlflowModelRegistryAvailable,
} from './conditions';
export { mlopsApiRef } from './api';
