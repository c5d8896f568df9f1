import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  bigDetail,
  failedDetail,
  runningDetail,
} from '../../../__testUtils__/argoFixtures';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import {
  kubernetesEntity,
  lockedKubernetesEntity,
} from '../../../__testUtils__/fixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { PHASE_COLORS } from '../WorkflowGraph';
import { WorkflowDetail } from './WorkflowDetail';

const REF = 'component:default/fraud-detector';

function renderDetail(
  workflow: string,
  api = fakeMlopsApi(),
  options: { deny?: boolean; onOpenWorkflow?: (name: string) => void } = {},
) {
  return renderWithApi(
    <WorkflowDetail
      entityRef={options.deny ? 'component:default/fraud-detector-locked' : REF}
      workflow={workflow}
      onBack={() => {}}
      onOpenWorkflow={options.onOpenWorkflow ?? (() => {})}
    />,
    {
      api,
      entity: options.deny ? lockedKubernetesEntity : kubernetesEntity,
      authorize: options.deny ? 'DENY' : 'ALLOW',
    },
  );
}

function graphNode(name: string) {
  return screen.findByRole('button', { name });
}

/**
 * Clicks a node of the graph. A plain click event: d3-zoom's mousedown
 * handler needs a window on the event, which user-event's jsdom events lack.
 */
async function clickNode(name: string) {
  fireEvent.click(await graphNode(name));
}

function stepTitle(name: string) {
  return screen.findByText(`Step ${name}`);
}

describe('WorkflowDetail', () => {
  it('shows the run with its times, parameters and DAG', async () => {
    await renderDetail('train-diamond-82q7s');

    expect(
      await screen.findByRole('heading', { name: 'Run train-diamond-82q7s' }),
    ).toBeInTheDocument();
    const params = screen.getByRole('table', { name: 'Parameters' });
    expect(within(params).getByText('learning-rate')).toBeInTheDocument();
    expect(within(params).getByText('0.1')).toBeInTheDocument();
    expect(screen.getByText('19s')).toBeInTheDocument();

    for (const name of ['A', 'B', 'C', 'D']) {
      const node = await graphNode(`${name}: Succeeded`);
      expect(node).toHaveAttribute('data-phase', 'Succeeded');
    }
    expect(screen.getAllByTestId('edge')).toHaveLength(5);
    expect(
      within(screen.getByRole('list', { name: 'Legend' })).getByText(
        'Succeeded (5)',
      ),
    ).toBeInTheDocument();
  });

  it('draws failed steps red and lets a failed run be retried, not stopped', async () => {
    const api = fakeMlopsApi();
    await renderDetail('failed-retries-tjjsc', api);

    const failedPod = await graphNode('fail(0): Failed');
    expect(failedPod.querySelector('rect')).toHaveAttribute(
      'fill',
      PHASE_COLORS.Failed,
    );
    expect(screen.getByText('Failed (7)')).toBeInTheDocument();
    expect(
      screen.getByText('child failed-retries-tjjsc-20069324 failed', {
        selector: '.MuiAlert-message',
      }),
    ).toBeInTheDocument();

    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Retry' })).toBeEnabled(),
    );
    expect(screen.getByRole('button', { name: 'Resubmit' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Terminate' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Run the failed steps of failed-retries-tjjsc again',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Retry' }),
    );

    await waitFor(() =>
      expect(api.retryArgoWorkflow).toHaveBeenCalledWith(
        REF,
        'failed-retries-tjjsc',
      ),
    );
    await waitFor(() => expect(api.getArgoWorkflow).toHaveBeenCalledTimes(2));
  });

  it('does not offer Retry for a succeeded run', async () => {
    await renderDetail('train-diamond-82q7s');
    await screen.findByRole('heading', { name: 'Run train-diamond-82q7s' });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Resubmit' })).toBeEnabled(),
    );
    expect(screen.getByRole('button', { name: 'Retry' })).toBeDisabled();
    expect(
      screen.getByTitle('Only a failed or errored run can be retried'),
    ).toBeInTheDocument();
  });

  it('offers Stop and Terminate for a running run, and confirms them', async () => {
    const running = runningDetail();
    const api = fakeMlopsApi({ getArgoWorkflow: async () => running });
    await renderDetail(running.name, api);

    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Terminate' })).toBeEnabled(),
    );
    expect(screen.getByRole('button', { name: 'Stop' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeDisabled();
    expect(await graphNode('train: Running')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Terminate' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('exit handlers do not run');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.terminateArgoWorkflow).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Stop',
      }),
    );
    await waitFor(() =>
      expect(api.stopArgoWorkflow).toHaveBeenCalledWith(REF, running.name),
    );
  });

  it('disables every action without the permissions', async () => {
    const api = fakeMlopsApi({
      getArgoWorkflow: async () => failedDetail,
    });
    await renderDetail('failed-retries-tjjsc', api, { deny: true });
    await screen.findByRole('heading', { name: 'Run failed-retries-tjjsc' });

    expect(
      await screen.findByTitle(
        'You are not allowed to retry runs of this entity',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByTitle('You are not allowed to resubmit runs of this entity'),
    ).toBeInTheDocument();
    for (const name of ['Resubmit', 'Retry', 'Stop', 'Terminate']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
  });

  it('resubmits and opens the new run; shows a refusal plainly', async () => {
    const onOpenWorkflow = jest.fn();
    const api = fakeMlopsApi({
      retryArgoWorkflow: async () => {
        throw await responseError(
          403,
          'workflows.argoproj.io "failed-retries-tjjsc" is forbidden: User "mlstack" cannot update',
          'NotAllowedError',
        );
      },
    });
    await renderDetail('failed-retries-tjjsc', api, { onOpenWorkflow });

    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Retry' })).toBeEnabled(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    let dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Retry' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /Retry failed: Not allowed.*\(403\): workflows\.argoproj\.io "failed-retries-tjjsc" is forbidden/,
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(screen.getByRole('button', { name: 'Resubmit' }));
    dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resubmit' }),
    );
    await waitFor(() =>
      expect(onOpenWorkflow).toHaveBeenCalledWith('failed-retries-tjjsc-resub'),
    );
    expect(api.resubmitArgoWorkflow).toHaveBeenCalledWith(
      REF,
      'failed-retries-tjjsc',
    );
  });

  it('shows a clicked step with its inputs, outputs and logs', async () => {
    const api = fakeMlopsApi();
    // LogViewer sizes its list from its parent's box, which jsdom leaves empty.
    const sizes = [
      jest
        .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
        .mockReturnValue({
          width: 800,
          height: 300,
          top: 0,
          left: 0,
          right: 800,
          bottom: 300,
          x: 0,
          y: 0,
          toJSON: () => ({}),
        }),
    ];
    try {
      await renderDetail('train-diamond-82q7s', api);
      await clickNode('A: Succeeded');

      expect(await stepTitle('A')).toBeInTheDocument();
      const inputs = screen.getByRole('table', { name: 'Inputs parameters' });
      expect(within(inputs).getByText('message')).toBeInTheDocument();
      expect(
        screen.getByText(
          's3://my-bucket/train-diamond-82q7s/train-diamond-82q7s-echo-1310542453/main.log',
        ),
      ).toBeInTheDocument();
      expect(screen.getByText('echo')).toBeInTheDocument();
      expect(
        screen.getByText('train-diamond-82q7s-echo-1310542453', {
          selector: 'code',
        }),
      ).toBeInTheDocument();
      expect(await screen.findByText(/epoch 2 loss=0.31/)).toBeInTheDocument();
      expect(api.getArgoNodeLogs).toHaveBeenCalledWith(
        REF,
        'train-diamond-82q7s',
        'train-diamond-82q7s-1310542453',
      );
    } finally {
      sizes.forEach(s => s.mockRestore());
    }
  });

  it('says plainly why a step has no logs', async () => {
    const api = fakeMlopsApi({
      getArgoNodeLogs: async (_ref, workflow, nodeId) => ({
        workflow,
        nodeId,
        podName: 'failed-retries-tjjsc-fail-1229492679',
        container: 'main',
        available: false,
        reason: 'The pod was deleted by pod GC',
        text: '',
      }),
    });
    await renderDetail('failed-retries-tjjsc', api);
    await clickNode('fail(0): Failed');

    expect(
      await screen.findByText(
        'Logs are not available: The pod was deleted by pod GC',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('failed with exit code 1')).toBeInTheDocument();
  });

  it('does not fetch logs for a step group', async () => {
    const api = fakeMlopsApi();
    await renderDetail('failed-retries-tjjsc', api);
    await clickNode('[0]: Failed');
    expect(await stepTitle('[0]')).toBeInTheDocument();
    expect(api.getArgoNodeLogs).not.toHaveBeenCalled();
  });

  it('says why a run could not be loaded', async () => {
    const api = fakeMlopsApi({
      getArgoWorkflow: async () => {
        throw await responseError(
          404,
          "Workflow gone is not one of the entity's",
          'NotFoundError',
        );
      },
    });
    await renderDetail('gone', api);
    expect(
      await screen.findByText(
        "Error: Could not load run gone: Not found in Argo Workflows (404): Workflow gone is not one of the entity's",
      ),
    ).toBeInTheDocument();
  });

  it('renders a 500-node run with every node, and stays usable', async () => {
    const big = bigDetail(500);
    const api = fakeMlopsApi({ getArgoWorkflow: async () => big });
    const started = Date.now();
    await renderDetail(big.name, api);

    await waitFor(
      () => expect(screen.getAllByTestId('node')).toHaveLength(500),
      { timeout: 20_000 },
    );
    expect(screen.getAllByTestId('edge')).toHaveLength(499);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(20_000);

    // The failed steps are listed for quick access and open their details.
    await userEvent.click(screen.getByRole('button', { name: 'task-97' }));
    expect(await stepTitle('task-97')).toBeInTheDocument();
  }, 60_000);
});
