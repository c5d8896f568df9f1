import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import { artifactsModelDir, runs } from '../../../__testUtils__/fixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { RunDetail } from './RunDetail';

const entityRef = 'component:default/fraud-detector';

describe('RunDetail', () => {
  it('shows params, latest metrics, user tags and a link to MLflow', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<RunDetail entityRef={entityRef} runId="a1b2c3d4" />, {
      api,
    });

    expect(
      await screen.findByRole('heading', { name: 'Run rf-baseline' }),
    ).toBeInTheDocument();
    const params = screen.getByRole('table', { name: 'Parameters' });
    expect(
      within(
        within(params)
          .getByText('n_estimators', { selector: 'code' })
          .closest('tr') as HTMLElement,
      ).getByText('100'),
    ).toBeInTheDocument();
    const metrics = screen.getByRole('table', { name: 'Latest metrics' });
    expect(within(metrics).getByText('0.9312 (step 9)')).toBeInTheDocument();

    const tags = screen.getByRole('table', { name: 'Tags' });
    expect(within(tags).getByText('team')).toBeInTheDocument();
    expect(within(tags).queryByText('mlflow.user')).toBeNull();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Show mlflow.* tags' }),
    );
    expect(
      within(screen.getByRole('table', { name: 'Tags' })).getByText(
        'mlflow.user',
      ),
    ).toBeInTheDocument();

    expect(
      screen.getByRole('link', { name: /Open in MLflow/ }),
    ).toHaveAttribute('href', runs[0].uiUrl);
  });

  it('charts the history of the chosen metrics with the step on the x axis', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<RunDetail entityRef={entityRef} runId="a1b2c3d4" />, {
      api,
    });

    await screen.findByRole('figure', { name: 'History of accuracy' });
    expect(
      screen.getAllByRole('figure').map(f => f.getAttribute('aria-label')),
    ).toEqual([
      'History of accuracy',
      'History of auc',
      'History of f1',
      'History of loss',
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'auc' }));
    expect(screen.queryByRole('figure', { name: 'History of auc' })).toBeNull();

    const chart = screen.getByRole('figure', { name: 'History of accuracy' });
    await waitFor(() =>
      expect(chart.querySelectorAll('.recharts-line')).toHaveLength(1),
    );
    expect(within(chart).getByText('step')).toBeInTheDocument();
    expect(api.getMlflowMetricHistory).toHaveBeenCalledWith(
      entityRef,
      'a1b2c3d4',
      'accuracy',
    );
  });

  it('browses artifact folders and pages', async () => {
    const api = fakeMlopsApi();
    const root = api.listMlflowArtifacts.getMockImplementation()!;
    api.listMlflowArtifacts.mockImplementation(async (ref, runId, options) =>
      options?.path === 'model' ? artifactsModelDir : root(ref, runId, options),
    );
    await renderWithApi(<RunDetail entityRef={entityRef} runId="a1b2c3d4" />, {
      api,
    });

    const list = await screen.findByRole('list', { name: 'Artifacts' });
    expect(within(list).getByText('confusion_matrix.png')).toBeInTheDocument();
    expect(within(list).getByText('20.0 KiB')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Open folder model' }),
    );
    expect(await screen.findByText('model.pkl')).toBeInTheDocument();
    expect(api.listMlflowArtifacts).toHaveBeenLastCalledWith(
      entityRef,
      'a1b2c3d4',
      { path: 'model', pageToken: undefined },
    );

    await userEvent.click(screen.getByRole('button', { name: 'artifacts' }));
    expect(await screen.findByText('confusion_matrix.png')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(api.listMlflowArtifacts).toHaveBeenLastCalledWith(
        entityRef,
        'a1b2c3d4',
        { path: undefined, pageToken: 'artifacts-2' },
      ),
    );
  });
});
