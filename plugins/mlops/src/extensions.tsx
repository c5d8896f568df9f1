import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { MlopsClient, mlopsApiRef } from './api';
import {
  isArgoWorkflowsAvailable,
  isKServeAvailable,
  isMlflowAvailable,
  isMlflowModelRegistryAvailable,
} from './conditions';

/** `MlopsApi` backed by the MLStack backend. */
export const mlopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: mlopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MlopsClient({ discoveryApi, fetchApi }),
    }),
});

/** The "MLflow" entity tab, for entities naming experiments or models. */
export const mlflowEntityContent = EntityContentBlueprint.make({
  name: 'mlflow',
  params: {
    path: 'mlflow',
    title: 'MLflow',
    filter: isMlflowAvailable,
    loader: () =>
      import('./components/mlflow/MlflowContent').then(m => (
        <m.MlflowContent />
      )),
  },
});

/** The registered and logged models card, for entities naming registered models. */
export const mlflowModelsEntityCard = EntityCardBlueprint.make({
  name: 'mlflow-models',
  params: {
    type: 'content',
    filter: isMlflowModelRegistryAvailable,
    loader: () =>
      import('./components/mlflow/ModelRegistryCard').then(m => (
        <m.ModelRegistryCard />
      )),
  },
});

/** The "Pipelines" entity tab, for entities with Argo workflows or templates. */
export const pipelinesEntityContent = EntityContentBlueprint.make({
  name: 'pipelines',
  params: {
    path: 'pipelines',
    title: 'Pipelines',
    filter: isArgoWorkflowsAvailable,
    loader: () =>
      import('./components/argo/PipelinesContent').then(m => (
        <m.PipelinesContent />
      )),
  },
});

/** The "Serving" entity tab, for entities with KServe InferenceServices. */
export const servingEntityContent = EntityContentBlueprint.make({
  name: 'serving',
  params: {
    path: 'serving',
    title: 'Serving',
    filter: isKServeAvailable,
    loader: () =>
      import('./components/kserve/ServingContent').then(m => (
        <m.ServingContent />
      )),
  },
});

/**
 * The "Lineage" entity tab: data → workflow → run → model version → services, for ML projects
 * and model Resources (`spec.type: ml-model`) that name registered models (the MLflow tab's filter).
 */
export const lineageEntityContent = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: 'lineage',
    title: 'Lineage',
    filter: isMlflowAvailable,
    loader: () =>
      import('./components/lineage/LineageContent').then(m => (
        <m.LineageContent />
      )),
  },
});
