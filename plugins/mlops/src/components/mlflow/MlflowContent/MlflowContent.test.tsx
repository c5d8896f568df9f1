import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import {
  entityWithoutAnnotations,
  experimentsResponse,
} from '../../../__testUtils__/fixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { MlflowContent } from './MlflowContent';

describe('MlflowContent', () => {
  it('asks for the experiment annotation when the entity names nothing in MLflow', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<MlflowContent />, {
      api,
      entity: entityWithoutAnnotations,
    });

    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/mlflow\.org\/experiment-name/).length,
    ).toBeGreaterThan(0);
    expect(api.getMlflowExperiments).not.toHaveBeenCalled();
    expect(api.searchMlflowRuns).not.toHaveBeenCalled();
  });

  it('shows experiments, their runs and the models of the entity', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<MlflowContent />, { api });

    expect(
      await screen.findByRole('link', {
        name: 'Open run rf-baseline in MLflow',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/fraud-detector-hpo/, { selector: 'a' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Versions of fraud-detector' }),
    ).toBeInTheDocument();
    expect(api.getMlflowExperiments).toHaveBeenCalledWith(
      'component:default/fraud-detector',
    );
  });

  it('names the annotation and the experiments MLflow does not know', async () => {
    const api = fakeMlopsApi({
      getMlflowExperiments: async () => ({
        ...experimentsResponse,
        experiments: [],
        missingExperiments: ['fraud-detector', 'fraud-detector-hpo'],
        refusedExperiments: [],
      }),
    });
    await renderWithApi(<MlflowContent />, { api });

    expect(
      await screen.findByText(
        'MLflow experiments not found: fraud-detector, fraud-detector-hpo',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('mlflow.org/experiment-name')).toBeInTheDocument();
    expect(api.searchMlflowRuns).not.toHaveBeenCalled();
  });

  it('warns about a missing experiment but still shows the others', async () => {
    const api = fakeMlopsApi({
      getMlflowExperiments: async () => ({
        ...experimentsResponse,
        experiments: experimentsResponse.experiments.slice(0, 1),
        missingExperiments: ['fraud-detector-hpo'],
        refusedExperiments: [],
      }),
    });
    await renderWithApi(<MlflowContent />, { api });

    expect(
      await screen.findByText(
        'Warning: MLflow experiment not found: fraud-detector-hpo',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', {
        name: 'Open run rf-baseline in MLflow',
      }),
    ).toBeInTheDocument();
  });

  it('shows the error panel with the backend message when MLflow is down', async () => {
    const down =
      'MLflow instance "default" at http://mlflow:5000 is unreachable';
    const api = fakeMlopsApi({
      getMlflowExperiments: async () => {
        throw await responseError(503, down);
      },
      getMlflowModels: async () => {
        throw await responseError(503, down);
      },
    });
    await renderWithApi(<MlflowContent />, { api });

    const panels = await screen.findAllByText(
      `Error: MLflow is unavailable (503): ${down}`,
    );
    expect(panels.length).toBeGreaterThanOrEqual(1);
    expect(api.searchMlflowRuns).not.toHaveBeenCalled();
  });

  it('opens a run from the table and comes back to it', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<MlflowContent />, { api });

    const row = (
      await screen.findByRole('link', {
        name: 'Open run rf-baseline in MLflow',
      })
    ).closest('tr') as HTMLElement;
    await userEvent.click(
      within(row).getByRole('link', { name: 'rf-baseline' }),
    );

    expect(
      await screen.findByRole('heading', { name: 'Run rf-baseline' }),
    ).toBeInTheDocument();
    expect(api.getMlflowRun).toHaveBeenCalledWith(
      'component:default/fraud-detector',
      'a1b2c3d4',
    );

    await userEvent.click(screen.getByRole('button', { name: 'All runs' }));
    expect(
      await screen.findByRole('link', {
        name: 'Open run rf-baseline in MLflow',
      }),
    ).toBeVisible();
    expect(
      screen.queryByRole('heading', { name: 'Run rf-baseline' }),
    ).toBeNull();
  });

  it('renders the compare view from the query string', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<MlflowContent />, {
      api,
      route: '/?compare=a1b2c3d4,b2c3d4e5',
    });

    expect(
      await screen.findByRole('heading', { name: 'Comparing 2 runs' }),
    ).toBeInTheDocument();
  });

  it('compares the runs selected in the table', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<MlflowContent />, { api });
    await screen.findByRole('link', { name: 'Open run rf-baseline in MLflow' });

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select run rf-baseline' }),
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select run hpo-trial-1' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Compare (2)' }));

    expect(
      await screen.findByRole('heading', { name: 'Comparing 2 runs' }),
    ).toBeInTheDocument();
    expect(api.getMlflowRun).toHaveBeenCalledWith(
      'component:default/fraud-detector',
      'c3d4e5f6',
    );
  });
});
