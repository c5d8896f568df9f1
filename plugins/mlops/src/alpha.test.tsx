import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { fakeMlopsApi } from './__testUtils__/fakeMlopsApi';
import { renderWithApi } from './__testUtils__/render';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  entity,
  entityWithoutAnnotations,
  kubernetesEntity,
} from './__testUtils__/fixtures';
import plugin from './alpha';
import { MlopsClient, mlopsApiRef } from './api';
import {
  mlflowEntityContent,
  mlflowModelsEntityCard,
  mlopsApi,
  pipelinesEntityContent,
  servingEntityContent,
} from './extensions';

describe('mlops frontend plugin (new frontend system)', () => {
  it('is the mlops plugin with the API, the MLflow tab and the models card', () => {
    expect(plugin.pluginId).toBe('mlops');
    expect(plugin.getExtension('api:mlops')).toBeTruthy();
    expect(plugin.getExtension('entity-content:mlops/mlflow')).toBeTruthy();
    expect(plugin.getExtension('entity-card:mlops/mlflow-models')).toBeTruthy();
    expect(plugin.getExtension('entity-content:mlops/pipelines')).toBeTruthy();
    expect(plugin.getExtension('entity-content:mlops/serving')).toBeTruthy();
  });

  it('adds the Pipelines tab, only for entities with Argo annotations', () => {
    const tester = createExtensionTester(pipelinesEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('pipelines');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Pipelines');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(kubernetesEntity)).toBe(true);
    expect(filter(entity)).toBe(false);
    expect(
      filter({
        ...entity,
        metadata: {
          name: 'x',
          annotations: { 'mlstack.io/argo-workflow-template': 'train' },
        },
      }),
    ).toBe(true);
  });

  it('adds the Serving tab, only for entities with KServe annotations', () => {
    const tester = createExtensionTester(servingEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('serving');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Serving');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(kubernetesEntity)).toBe(true);
    expect(filter(entity)).toBe(false);
    expect(
      filter({
        ...entity,
        metadata: {
          name: 'x',
          annotations: { 'mlstack.io/kserve-selector': 'app=fraud' },
        },
      }),
    ).toBe(true);
  });

  it('loads the Pipelines content of the tab', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      createExtensionTester(pipelinesEntityContent).reactElement(),
      { api, entity: kubernetesEntity },
    );
    expect(
      await screen.findByRole('link', { name: 'train-diamond-82q7s' }),
    ).toBeInTheDocument();
  });

  it('loads the Serving content of the tab', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      createExtensionTester(servingEntityContent).reactElement(),
      { api, entity: kubernetesEntity },
    );
    expect(
      await screen.findByRole('table', { name: 'Traffic of fraud-detector' }),
    ).toBeInTheDocument();
  });

  it('provides the MlopsClient for mlopsApiRef', () => {
    const factory = createExtensionTester(mlopsApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(mlopsApiRef.id);
    expect(Object.keys(factory.deps)).toEqual(['discoveryApi', 'fetchApi']);
  });

  it('adds the MLflow tab at mlflow, only for entities naming MLflow things', () => {
    const tester = createExtensionTester(mlflowEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('mlflow');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('MLflow');

    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity)).toBe(true);
    expect(filter(entityWithoutAnnotations)).toBe(false);
  });

  it('offers the models card only for entities naming registered models', () => {
    const tester = createExtensionTester(mlflowModelsEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity)).toBe(true);
    expect(
      filter({
        ...entity,
        metadata: {
          name: 'x',
          annotations: { 'mlflow.org/experiment-name': 'fraud' },
        },
      }),
    ).toBe(false);
  });

  it('installs into an app: the app serves MlopsClient for mlopsApiRef', () => {
    const { apis } = renderTestApp({ features: [plugin] });
    expect(apis.get(mlopsApiRef)).toBeInstanceOf(MlopsClient);
  });

  it('loads the MLflow content of the tab', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      createExtensionTester(mlflowEntityContent).reactElement(),
      { api },
    );
    expect(
      await screen.findByRole('link', {
        name: 'Open run rf-baseline in MLflow',
      }),
    ).toHaveAttribute('href', expect.stringContaining('/runs/a1b2c3d4'));
  });
});
