import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  lineageEntityContent,
  mlflowEntityContent,
  mlflowModelsEntityCard,
  mlopsApi,
  pipelinesEntityContent,
  servingEntityContent,
} from './extensions';

/**
 * The MLStack frontend plugin for the new frontend system: the `MlopsApi`, the
 * "MLflow", "Pipelines" (Argo Workflows), "Serving" (KServe) and "Lineage" entity tabs
 * and the MLflow models entity card.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'mlops',
  title: 'MLStack',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    mlopsApi,
    mlflowEntityContent,
    mlflowModelsEntityCard,
    pipelinesEntityContent,
    servingEntityContent,
    lineageEntityContent,
  ],
});

export {
  isArgoWorkflowsAvailable,
  isKServeAvailable,
  isMlflowAvailable,
  isMlflowModelRegistryAvailable,
} from './conditions';
export { mlopsApiRef } from './api';
export type {
  GetArgoNodeLogsOptions,
  GetInferenceServiceLogsOptions,
  GetLineageOptions,
  GetLogsOptions,
  GetMlflowLoggedModelsOptions,
  ListArgoWorkflowsOptions,
  ListMlflowArtifactsOptions,
  MlopsApi,
  MlopsEntityRef,
  SearchMlflowRunsOptions,
} from './api';
