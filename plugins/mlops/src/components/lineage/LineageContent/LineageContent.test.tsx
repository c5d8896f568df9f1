import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { LineageContent } from './LineageContent';
import { lineageResponse } from './lineageFixtures';

const REF = 'component:default/fraud-detector';

/**
 * Clicks a node of the graph with a plain click event: d3-zoom's mousedown handler fails in
 * jsdom, as in WorkflowDetail's tests.
 */
async function clickNode(name: string) {
  fireEvent.click(await screen.findByRole('button', { name }));
}

async function choose(label: string, option: RegExp) {
  await userEvent.click(screen.getByLabelText(label));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

describe('LineageContent', () => {
  it('folds a model of many versions to the newest and served ones until asked for all', async () => {
    const versions = Array.from({ length: 30 }, (_, i) => String(30 - i));
    const api = fakeMlopsApi({
      getLineage: async () => ({
        ...lineageResponse,
        model: 'm',
        versions: versions.map(version => ({ version, aliases: [] })),
        nodes: versions.map(version => ({
          id: `version:m/${version}`,
          kind: 'modelVersion' as const,
          label: `m v${version}`,
          fields: [],
          links: [],
        })),
        edges: [],
        gaps: [],
      }),
    });
    await renderWithApi(<LineageContent />, { api });
    const graph = await screen.findByRole('figure', { name: 'Lineage graph' });
    expect(
      await within(graph).findByRole('button', { name: 'Model version m v30' }),
    ).toBeInTheDocument();
    expect(
      within(graph).queryByRole('button', { name: 'Model version m v1' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(/20 versions neither among the newest/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Show all versions' }));
    expect(
      await within(graph).findByRole('button', { name: 'Model version m v1' }),
    ).toBeInTheDocument();
  });

  it('draws the graph and lists each gap with its reason', async () => {
    const api = fakeMlopsApi({ getLineage: async () => lineageResponse });
    await renderWithApi(<LineageContent />, { api });

    const graph = await screen.findByRole('figure', { name: 'Lineage graph' });
    expect(
      await within(graph).findByRole('button', {
        name: 'Argo workflow train-abc12 (Succeeded)',
      }),
    ).toBeInTheDocument();
    expect(
      await within(graph).findByRole('button', {
        name: 'InferenceService fraud-detector (Ready)',
      }),
    ).toBeInTheDocument();

    const gaps = screen.getByRole('list', { name: 'Lineage gaps' });
    expect(
      within(gaps)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      "Workflow train-old (tagged on run train-2) not found among the entity's Argo workflows (garbage-collected?)",
      'KServe: The InferenceServices could not be read from the cluster: connect ECONNREFUSED',
    ]);
    expect(api.getLineage).toHaveBeenCalledWith(REF, {});
  });

  it('refetches for the alias, the version and the model chosen', async () => {
    const api = fakeMlopsApi({ getLineage: async () => lineageResponse });
    await renderWithApi(<LineageContent />, { api });
    await screen.findByRole('figure', { name: 'Lineage graph' });

    await choose('Focus', /@champion \(v3\)/);
    await waitFor(() =>
      expect(api.getLineage).toHaveBeenLastCalledWith(REF, {
        model: 'fraud-detector',
        alias: 'champion',
      }),
    );
    await choose('Focus', /^Version 2$/);
    await waitFor(() =>
      expect(api.getLineage).toHaveBeenLastCalledWith(REF, {
        model: 'fraud-detector',
        version: '2',
      }),
    );
    await choose('Model', /fraud-detector-lite/);
    await waitFor(() =>
      expect(api.getLineage).toHaveBeenLastCalledWith(REF, {
        model: 'fraud-detector-lite',
      }),
    );
  });

  it('shows a selected node with links to the Pipelines and MLflow tabs', async () => {
    const api = fakeMlopsApi({ getLineage: async () => lineageResponse });
    await renderWithApi(<LineageContent />, {
      api,
      route: '/catalog/default/component/fraud-detector/lineage',
    });
    await clickNode('MLflow run train-3 (FINISHED)');
    expect(
      screen.getByRole('link', { name: 'Run detail (MLflow tab)' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-detector/mlflow?run=r3',
    );
    expect(
      screen.getByRole('table', { name: 'Fields of train-3' }),
    ).toHaveTextContent('metric auc0.91');

    await clickNode('Argo workflow train-abc12 (Succeeded)');
    expect(
      screen.getByRole('link', { name: 'Run detail (Pipelines)' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-detector/pipelines?workflow=train-abc12',
    );
  });

  it('says what failed when the backend refuses the query', async () => {
    const api = fakeMlopsApi({
      getLineage: async () => {
        throw await responseError(
          404,
          'Model fraud-detector has no alias gone',
        );
      },
    });
    await renderWithApi(<LineageContent />, { api });
    expect(
      await screen.findByText(
        /Could not load the lineage: Not found in lineage \(404\): Model fraud-detector has no alias gone/,
      ),
    ).toBeInTheDocument();
  });
});
