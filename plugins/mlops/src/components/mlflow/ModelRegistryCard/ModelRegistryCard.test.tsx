import { screen, within } from '@testing-library/react';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import { entity, modelsResponse } from '../../../__testUtils__/fixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { ModelRegistryCard } from './ModelRegistryCard';

function versionRow(table: HTMLElement, version: string): HTMLElement {
  return within(table)
    .getByText(new RegExp(`^Version ${version}\\b`))
    .closest('tr') as HTMLElement;
}

describe('ModelRegistryCard', () => {
  it('lists versions newest first with status, aliases and links', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<ModelRegistryCard />, { api });

    const table = await screen.findByRole('table', {
      name: 'Versions of fraud-detector',
    });
    const versions = within(table)
      .getAllByText(/^Version \d+\b/)
      .map(e => e.textContent);
    expect(versions).toEqual([
      expect.stringMatching(/^Version 4\b/),
      expect.stringMatching(/^Version 3\b/),
      expect.stringMatching(/^Version 2\b/),
    ]);

    const v3 = versionRow(table, '3');
    expect(within(v3).getByText('champion')).toBeInTheDocument();
    expect(within(v3).queryByText('challenger')).toBeNull();
    expect(within(v3).getByText('Ready')).toBeInTheDocument();
    expect(within(v3).getByRole('link', { name: /^a1b2c3d4/ })).toHaveAttribute(
      'href',
      modelsResponse.models[0].versions[1].runUiUrl,
    );
    expect(
      within(v3).getByRole('link', { name: /Version 3 of fraud-detector/ }),
    ).toHaveAttribute('href', modelsResponse.models[0].versions[1].uiUrl);

    const v4 = versionRow(table, '4');
    expect(within(v4).getByText('challenger')).toBeInTheDocument();
    expect(within(v4).getByText('Pending registration')).toBeInTheDocument();
    expect(
      within(versionRow(table, '2')).getByText('Registration failed'),
    ).toBeInTheDocument();

    expect(
      screen.getByRole('link', { name: /Open model in MLflow/ }),
    ).toHaveAttribute('href', modelsResponse.models[0].uiUrl);
  });

  it('lists the logged models of the experiments', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<ModelRegistryCard linkRunsToDetail />, { api });

    const table = await screen.findByRole('table', { name: 'Logged models' });
    expect(within(table).getByText('m-0123456789abcdef')).toBeInTheDocument();
    expect(
      within(table).getByRole('link', { name: 'a1b2c3d4' }),
    ).toHaveAttribute('href', expect.stringContaining('?run=a1b2c3d4'));
    expect(within(table).getByText('READY')).toBeInTheDocument();
  });

  it('names the annotation and the models the registry does not know', async () => {
    const api = fakeMlopsApi({
      getMlflowModels: async () => ({
        instance: 'default',
        models: [],
        missingModels: ['fraud-detector'],
        refusedModels: [],
      }),
    });
    await renderWithApi(<ModelRegistryCard />, { api });

    expect(
      await screen.findByText(
        'MLflow registered model not found: fraud-detector',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('mlflow.org/registered-model-name'),
    ).toBeInTheDocument();
  });

  it('skips registered models when the entity names none', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<ModelRegistryCard />, {
      api,
      entity: {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: { 'mlflow.org/experiment-name': 'fraud-detector' },
        },
      },
    });

    expect(
      await screen.findByRole('table', { name: 'Logged models' }),
    ).toBeInTheDocument();
    expect(api.getMlflowModels).not.toHaveBeenCalled();
  });

  it('shows the error when the registry is unreachable', async () => {
    const api = fakeMlopsApi({
      getMlflowModels: async () => {
        throw await responseError(503, 'MLflow timed out after 10s');
      },
    });
    await renderWithApi(<ModelRegistryCard />, { api });

    expect(
      await screen.findByText(
        'Error: MLflow is unavailable (503): MLflow timed out after 10s',
      ),
    ).toBeInTheDocument();
  });
});
