import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import {
  experimentsResponse,
  runPage,
  secondRunPage,
} from '../../../__testUtils__/fixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { RunsTable } from './RunsTable';

const entityRef = {
  kind: 'Component',
  namespace: 'default',
  name: 'fraud-detector',
};
const experiments = experimentsResponse.experiments;

const findRuns = () =>
  screen.findByRole('link', { name: 'Open run rf-baseline in MLflow' });

/** The table row of a run, found by its MLflow link. */
function rowOf(name: string): HTMLElement {
  return screen
    .getByRole('link', { name: `Open run ${name} in MLflow` })
    .closest('tr') as HTMLElement;
}

function lastSearch(api: ReturnType<typeof fakeMlopsApi>) {
  const calls = api.searchMlflowRuns.mock.calls;
  return calls[calls.length - 1][1];
}

describe('RunsTable', () => {
  it('renders runs with their status, nesting, commit and the first metric columns', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      <RunsTable entityRef={entityRef} experiments={experiments} />,
      { api },
    );

    await findRuns();
    const row = rowOf;
    expect(
      within(row('rf-baseline')).getByRole('link', { name: 'rf-baseline' }),
    ).toHaveAttribute('href', expect.stringContaining('?run=a1b2c3d4'));
    expect(
      within(row('rf-baseline')).getByText('Finished'),
    ).toBeInTheDocument();
    expect(within(row('rf-baseline')).getByText('0f1e2d3')).toBeInTheDocument();
    expect(within(row('rf-baseline')).getByText('0.9312')).toBeInTheDocument();
    expect(within(row('rf-baseline')).getByText('2m 5s')).toBeInTheDocument();
    expect(within(row('rf-deeper')).getByText('Failed')).toBeInTheDocument();
    expect(within(row('hpo-trial-1')).getByText('Running')).toBeInTheDocument();
    expect(
      within(row('hpo-trial-1')).getByText(/child of/),
    ).toBeInTheDocument();
    expect(
      within(row('hpo-trial-1')).getByRole('link', { name: 'rf-baseline' }),
    ).toHaveAttribute('href', expect.stringContaining('?run=a1b2c3d4'));
    expect(within(row('queued')).getByText('Scheduled')).toBeInTheDocument();
    expect(within(row('stopped')).getByText('Killed')).toBeInTheDocument();
    expect(
      within(row('rf-baseline')).getByRole('link', {
        name: 'Open run rf-baseline in MLflow',
      }),
    ).toHaveAttribute('href', runPage.runs[0].uiUrl);

    // default: the first three metrics as columns, params only on demand
    const headers = screen
      .getAllByRole('columnheader')
      .map(h => h.textContent?.trim());
    expect(headers).toEqual(expect.arrayContaining(['accuracy', 'f1', 'auc']));
    expect(headers).not.toContain('loss');
    expect(headers).not.toContain('lr');

    expect(api.searchMlflowRuns).toHaveBeenCalledWith(
      'component:default/fraud-detector',
      {
        experimentIds: undefined,
        filter: undefined,
        orderBy: ['attributes.start_time DESC'],
        pageToken: undefined,
        maxResults: 25,
      },
    );
  });

  it('sorts on the server when a metric header is clicked', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      <RunsTable entityRef={entityRef} experiments={experiments} />,
      { api },
    );
    await findRuns();

    // switching columns keeps the direction (descending by start time at first)
    await userEvent.click(screen.getByRole('button', { name: 'accuracy' }));
    await waitFor(() =>
      expect(lastSearch(api)?.orderBy).toEqual(['metrics.`accuracy` DESC']),
    );

    await userEvent.click(screen.getByRole('button', { name: 'accuracy' }));
    await waitFor(() =>
      expect(lastSearch(api)?.orderBy).toEqual(['metrics.`accuracy` ASC']),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Started' }));
    await waitFor(() =>
      expect(lastSearch(api)?.orderBy).toEqual(['attributes.start_time ASC']),
    );
  });

  it('sorts by a param column added with the column chooser', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      <RunsTable entityRef={entityRef} experiments={experiments} />,
      { api },
    );
    await findRuns();

    await userEvent.click(screen.getByRole('button', { name: /Columns/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Params: lr' }));
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Metrics: auc' }),
    );
    await userEvent.keyboard('{Escape}');

    const headers = screen
      .getAllByRole('columnheader')
      .map(h => h.textContent?.trim());
    expect(headers).toContain('lr');
    expect(headers).not.toContain('auc');

    await userEvent.click(screen.getByRole('button', { name: 'lr' }));
    await waitFor(() =>
      expect(lastSearch(api)?.orderBy).toEqual(['params.`lr` DESC']),
    );
  });

  it('pages forward with nextPageToken and back with the token stack', async () => {
    const api = fakeMlopsApi({
      searchMlflowRuns: async (_ref, options) =>
        options?.pageToken === 'token-page-2' ? secondRunPage : runPage,
    });
    await renderWithApi(
      <RunsTable entityRef={entityRef} experiments={experiments} />,
      { api },
    );
    await findRuns();
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(
      await screen.findByRole('link', { name: 'older-run' }),
    ).toHaveAttribute('href', expect.stringContaining('?run=f6a7b8c9'));
    expect(lastSearch(api)?.pageToken).toBe('token-page-2');
    expect(screen.getByText(/Page 2/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await findRuns();
    expect(lastSearch(api)?.pageToken).toBeUndefined();
    expect(
      screen.queryByRole('link', { name: 'older-run' }),
    ).not.toBeInTheDocument();
  });

  it('passes the filter to MLflow and shows why MLflow rejected it', async () => {
    const message =
      "Invalid clause(s) in filter string: 'metrics.accuracy >>> 0.9'";
    const api = fakeMlopsApi({
      searchMlflowRuns: async (_ref, options) => {
        if (options?.filter) {
          throw await responseError(400, message);
        }
        return runPage;
      },
    });
    await renderWithApi(
      <RunsTable entityRef={entityRef} experiments={experiments} />,
      { api },
    );
    await findRuns();

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter runs' }),
      'metrics.accuracy >>> 0.9{Enter}',
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(lastSearch(api)?.filter).toBe('metrics.accuracy >>> 0.9');
    expect(screen.getByRole('textbox', { name: 'Filter runs' })).toHaveValue(
      'metrics.accuracy >>> 0.9',
    );
    expect(
      screen.getByText('No runs: the filter is not valid.'),
    ).toBeInTheDocument();
  });

  it('restricts the search to the experiment picked', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      <RunsTable entityRef={entityRef} experiments={experiments} />,
      { api },
    );
    await findRuns();

    await userEvent.click(screen.getByRole('button', { name: /Experiment/ }));
    await userEvent.click(
      screen.getByRole('option', { name: 'fraud-detector-hpo' }),
    );
    await waitFor(() => expect(lastSearch(api)?.experimentIds).toEqual(['2']));
  });

  it('enables Compare once two runs are selected', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(
      <RunsTable entityRef={entityRef} experiments={experiments} />,
      { api },
    );
    await findRuns();
    const compare = screen.getByRole('button', { name: /Compare/ });
    expect(compare).toBeDisabled();

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select run rf-baseline' }),
    );
    expect(screen.getByRole('button', { name: 'Compare (1)' })).toBeDisabled();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select run rf-deeper' }),
    );
    expect(screen.getByRole('button', { name: 'Compare (2)' })).toBeEnabled();
  });

  it('shows the error panel when MLflow is down', async () => {
    const api = fakeMlopsApi({
      searchMlflowRuns: async () => {
        throw await responseError(
          503,
          'MLflow at http://mlflow:5000 is unreachable',
        );
      },
    });
    await renderWithApi(
      <RunsTable entityRef={entityRef} experiments={experiments} />,
      { api },
    );
    expect(
      await screen.findByText(
        'Error: MLflow is unavailable (503): MLflow at http://mlflow:5000 is unreachable',
      ),
    ).toBeInTheDocument();
  });
});
