import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { RunCompare } from './RunCompare';

const entityRef = 'component:default/fraud-detector';

describe('RunCompare', () => {
  it('marks the params whose values differ between the runs', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      <RunCompare entityRef={entityRef} runIds={['a1b2c3d4', 'b2c3d4e5']} />,
      { api },
    );

    const params = await screen.findByRole('table', {
      name: 'Parameters compared',
    });
    const row = (key: string) =>
      within(params)
        .getByText(key, { selector: 'code' })
        .closest('tr') as HTMLElement;

    expect(
      within(row('n_estimators')).getByText('differs'),
    ).toBeInTheDocument();
    expect(within(row('n_estimators')).getByText('100')).toBeInTheDocument();
    expect(within(row('n_estimators')).getByText('200')).toBeInTheDocument();
    expect(row('max_depth')).toHaveAttribute('data-differs', 'true');
    expect(row('lr')).not.toHaveAttribute('data-differs');
    expect(within(row('lr')).queryByText('differs')).toBeNull();
    expect(screen.getByText('2 of 3 differ')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Only differences' }),
    );
    expect(within(params).queryByText('lr', { selector: 'code' })).toBeNull();
    expect(row('max_depth')).toHaveAttribute('data-differs', 'true');
  });

  it('overlays the metric histories of all runs in one chart per metric', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      <RunCompare entityRef={entityRef} runIds={['a1b2c3d4', 'b2c3d4e5']} />,
      { api },
    );

    const chart = await screen.findByRole('figure', {
      name: 'History of accuracy',
    });
    await waitFor(() =>
      expect(api.getMlflowMetricHistory).toHaveBeenCalledWith(
        entityRef,
        'b2c3d4e5',
        'accuracy',
      ),
    );
    expect(api.getMlflowMetricHistory).toHaveBeenCalledWith(
      entityRef,
      'a1b2c3d4',
      'accuracy',
    );
    // one line per run, named in the legend
    await waitFor(() =>
      expect(chart.querySelectorAll('.recharts-line')).toHaveLength(2),
    );
    expect(within(chart).getByText('rf-baseline')).toBeInTheDocument();
    expect(within(chart).getByText('rf-deeper')).toBeInTheDocument();
    // the first four metrics are charted; others on demand
    expect(screen.getAllByRole('figure')).toHaveLength(4);
  });

  it('shows why the runs could not be loaded', async () => {
    const api = fakeMlopsApi({
      getMlflowRun: async () => {
        throw await responseError(
          404,
          'Run a1b2c3d4 is not in the experiments of component:default/fraud-detector',
          'NotFoundError',
        );
      },
    });
    await renderWithApi(
      <RunCompare entityRef={entityRef} runIds={['a1b2c3d4', 'b2c3d4e5']} />,
      { api },
    );
    expect(
      await screen.findByText(
        /Could not load the runs to compare: MLflow request failed \(404\): Run a1b2c3d4 is not in the experiments/,
      ),
    ).toBeInTheDocument();
  });
});
