import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MlopsClient, mlopsApiRef } from './api';
import { mlflowRouteRef, pipelinesRouteRef, servingRouteRef } from './routes';
import type { ModelRegistryCardProps as EntityMlflowModelsCardProps } from './components/mlflow/ModelRegistryCard';

/**
 * The MLStack frontend plugin for the legacy frontend system. Apps on the new
 * frontend system use the default export of `@mlstack/plugin-mlops/alpha`.
 *
 * @public
 */
export const mlopsPlugin = createPlugin({
  id: 'mlops',
  apis: [
    createApiFactory({
      api: mlopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MlopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    mlflow: mlflowRouteRef,
    pipelines: pipelinesRouteRef,
    serving: servingRouteRef,
  },
});

/**
 * The MLflow entity tab: runs, run detail, run comparison and models. Render it
 * in an `EntityLayout.Route` guarded by `isMlflowAvailable`.
 *
 * @public
 */
export const EntityMlflowContent: () => JSX.Element = mlopsPlugin.provide(
  createRoutableExtension({
    name: 'EntityMlflowContent',
    component: () =>
      import('./components/mlflow/MlflowContent').then(m => m.MlflowContent),
    mountPoint: mlflowRouteRef,
  }),
);

/**
 * A card with the entity's MLflow registered models (versions, aliases) and
 * logged models.
 *
 * @public
 */
export const EntityMlflowModelsCard: (
  props: EntityMlflowModelsCardProps,
) => JSX.Element = mlopsPlugin.provide(
  createComponentExtension({
    name: 'EntityMlflowModelsCard',
    component: {
      lazy: () =>
        import('./components/mlflow/ModelRegistryCard').then(
          m => m.ModelRegistryCard,
        ),
    },
  }),
);

/**
 * The Pipelines entity tab: the entity's Argo Workflows runs, a run's graph,
 * steps and logs, actions on runs, and submitting from its templates. Render
 * it in an `EntityLayout.Route` guarded by `isArgoWorkflowsAvailable`.
 *
 * @public
 */
export const EntityPipelinesContent: () => JSX.Element = mlopsPlugin.provide(
  createRoutableExtension({
    name: 'EntityPipelinesContent',
    component: () =>
      import('./components/argo/PipelinesContent').then(
        m => m.PipelinesContent,
      ),
    mountPoint: pipelinesRouteRef,
  }),
);

/**
 * The Serving entity tab: the entity's KServe InferenceServices with their
 * readiness, model, traffic and logs. Render it in an `EntityLayout.Route`
 * guarded by `isKServeAvailable`.
 *
 * @public
 */
export const EntityServingContent: () => JSX.Element = mlopsPlugin.provide(
  createRoutableExtension({
    name: 'EntityServingContent',
    component: () =>
      import('./components/kserve/ServingContent').then(m => m.ServingContent),
    mountPoint: servingRouteRef,
  }),
);
