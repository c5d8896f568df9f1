import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  runningDetail,
  toSummary,
  workflowPage,
  workflowPage2,
} from '../../../__testUtils__/argoFixtures';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import {
  kubernetesEntity,
  kubernetesEntityWithoutNamespace,
  lockedKubernetesEntity,
} from '../../../__testUtils__/fixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { PipelinesContent } from './PipelinesContent';

const REF = 'component:default/fraud-detector';

async function findRow(name: string): Promise<HTMLElement> {
  const link = await screen.findByRole('link', { name });
  return link.closest('tr') as HTMLElement;
}

describe('PipelinesContent', () => {
  it('asks for the namespace annotation when the entity has none', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: kubernetesEntityWithoutNamespace,
    });

    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-namespace/).length,
    ).toBeGreaterThan(0);
    expect(api.listArgoWorkflows).not.toHaveBeenCalled();
  });

  it('lists the runs with phase, progress, template, parameters and message', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: kubernetesEntity,
    });

    const diamond = await findRow('train-diamond-82q7s');
    expect(within(diamond).getByText('Succeeded')).toBeInTheDocument();
    expect(within(diamond).getByText('4/4')).toBeInTheDocument();
    expect(within(diamond).getByText('19s')).toBeInTheDocument();
    expect(within(diamond).getByText('learning-rate=0.1')).toBeInTheDocument();
    expect(
      within(diamond).getByText('fraud-detector-train'),
    ).toBeInTheDocument();

    const failed = await findRow('failed-retries-tjjsc');
    expect(within(failed).getByText('Failed')).toBeInTheDocument();
    expect(
      within(failed).getByText('child failed-retries-tjjsc-20069324 failed'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Namespace ml-projects on cluster harness'),
    ).toBeInTheDocument();
    expect(api.listArgoWorkflows).toHaveBeenCalledWith(REF, {
      limit: 25,
      continue: undefined,
    });
  });

  it('pages with the continue token and back', async () => {
    const api = fakeMlopsApi({
      listArgoWorkflows: async (_ref, options) =>
        options?.continue === 'page-2-token' ? workflowPage2 : workflowPage,
    });
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: kubernetesEntity,
    });
    await findRow('train-diamond-82q7s');

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    const old = await findRow('train-old-1');
    expect(within(old).getByText('Error')).toBeInTheDocument();
    expect(api.listArgoWorkflows).toHaveBeenLastCalledWith(REF, {
      limit: 25,
      continue: 'page-2-token',
    });
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await findRow('train-diamond-82q7s')).toBeInTheDocument();
  });

  it('shows a running run with a live duration', async () => {
    const running = toSummary(
      runningDetail(new Date(Date.now() - 125_000).toISOString()),
    );
    const api = fakeMlopsApi({
      listArgoWorkflows: async () => ({ ...workflowPage, items: [running] }),
    });
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: kubernetesEntity,
    });
    const row = await findRow('train-live-x7k2p');
    expect(within(row).getByText('Running')).toBeInTheDocument();
    expect(within(row).getByText('1/3')).toBeInTheDocument();
    expect(within(row).getByText(/^2m \d+s$/)).toBeInTheDocument();
  });

  it.each([
    [
      400,
      'InputError',
      "Invalid annotation argoworkflows.argoproj.io/workflow-selector: 'app in ('",
      "The entity's Argo Workflows annotations or the request are not valid (400): Invalid annotation argoworkflows.argoproj.io/workflow-selector: 'app in ('",
    ],
    [
      403,
      'NotAllowedError',
      'workflows.argoproj.io is forbidden: User "mlstack" cannot list resource "workflows" in namespace "ml-projects"',
      /Not allowed: you or the backend's cluster account lack the permission \(403\): workflows\.argoproj\.io is forbidden/,
    ],
    [
      503,
      'ServiceUnavailableError',
      'Cluster harness at https://127.0.0.1:6443 is unreachable',
      "The cluster is unreachable or refused the backend's credentials (503): Cluster harness at https://127.0.0.1:6443 is unreachable",
    ],
  ])(
    'explains a %s from the backend',
    async (status, name, message, expected) => {
      const api = fakeMlopsApi({
        listArgoWorkflows: async () => {
          throw await responseError(status, message, name);
        },
      });
      await renderWithApi(<PipelinesContent />, {
        api,
        entity: kubernetesEntity,
      });
      expect(
        await screen.findByText(
          typeof expected === 'string'
            ? `Error: Could not list the runs: ${expected}`
            : expected,
        ),
      ).toBeInTheDocument();
    },
  );

  it('opens a run from the table and comes back', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: kubernetesEntity,
    });
    await userEvent.click(
      await screen.findByRole('link', { name: 'train-diamond-82q7s' }),
    );

    expect(
      await screen.findByRole('heading', { name: 'Run train-diamond-82q7s' }),
    ).toBeInTheDocument();
    expect(api.getArgoWorkflow).toHaveBeenCalledWith(
      REF,
      'train-diamond-82q7s',
    );

    await userEvent.click(screen.getByRole('button', { name: 'All runs' }));
    expect(
      await screen.findByRole('link', { name: 'train-diamond-82q7s' }),
    ).toBeVisible();
    expect(
      screen.queryByRole('heading', { name: 'Run train-diamond-82q7s' }),
    ).toBeNull();
  });

  it('submits a run with the edited parameters and opens it', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: kubernetesEntity,
    });

    const submit = await screen.findByRole('button', { name: 'Submit run' });
    await waitFor(() => expect(submit).toBeEnabled());
    await userEvent.click(submit);
    const dialog = await screen.findByRole('dialog');

    const lr = within(dialog).getByRole('textbox', { name: 'learning-rate' });
    expect(lr).toHaveValue('0.1');
    expect(
      within(dialog).getByText(
        'Step size of the optimiser · Default: 0.1 · Must match [0-9.]+',
      ),
    ).toBeInTheDocument();
    const runName = within(dialog).getByRole('textbox', { name: /run-name/ });
    expect(runName).toBeRequired();
    expect(
      within(dialog).getByRole('button', { name: 'Submit' }),
    ).toBeDisabled();
    // Not submittable: shown with the template's value, not editable, never sent.
    const image = within(dialog).getByRole('textbox', { name: 'image' });
    expect(image).toBeDisabled();
    expect(image).toHaveValue('registry.local/fraud-trainer:1.4.0');
    expect(
      within(dialog).getByText(
        'Default: registry.local/fraud-trainer:1.4.0 · Set by the template; not changeable from the portal',
      ),
    ).toBeInTheDocument();

    await userEvent.clear(lr);
    await userEvent.type(lr, '0.3; rm -rf /');
    await userEvent.type(runName, 'nightly');
    expect(lr).toHaveAttribute('aria-invalid', 'true');
    expect(
      within(dialog).getByRole('button', { name: 'Submit' }),
    ).toBeDisabled();
    await userEvent.clear(runName);

    await userEvent.clear(lr);
    await userEvent.type(lr, '0.3');
    await userEvent.type(runName, 'nightly');
    await userEvent.click(
      within(dialog).getByRole('button', { name: /dataset/ }),
    );
    await userEvent.click(await screen.findByRole('option', { name: 'v4' }));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit' }),
    );

    await waitFor(() =>
      expect(api.submitArgoWorkflow).toHaveBeenCalledWith(
        REF,
        'fraud-detector-train',
        {
          parameters: {
            'learning-rate': '0.3',
            dataset: 'v4',
            'run-name': 'nightly',
          },
        },
      ),
    );
    await waitFor(() =>
      expect(api.getArgoWorkflow).toHaveBeenCalledWith(
        REF,
        'fraud-detector-train-new01',
      ),
    );
  });

  it('shows why a submit failed and keeps the form', async () => {
    const api = fakeMlopsApi({
      submitArgoWorkflow: async () => {
        throw await responseError(
          400,
          'parameter run-name: value must be a DNS label',
        );
      },
    });
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: kubernetesEntity,
    });
    const submit = await screen.findByRole('button', { name: 'Submit run' });
    await waitFor(() => expect(submit).toBeEnabled());
    await userEvent.click(submit);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /run-name/ }),
      'Bad Name',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'parameter run-name: value must be a DNS label',
    );
    expect(api.getArgoWorkflow).not.toHaveBeenCalled();
  });

  it('disables Submit run without the submit permission', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: lockedKubernetesEntity,
      authorize: name =>
        name === 'mlops.argo.workflow.submit' ? 'DENY' : 'ALLOW',
    });
    await findRow('train-diamond-82q7s');
    await waitFor(() =>
      expect(api.getArgoWorkflowTemplates).toHaveBeenCalled(),
    );
    expect(
      await screen.findByTitle(
        'You are not allowed to submit runs of this entity',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Submit run' })).toBeDisabled();
  });

  it('names the templates the cluster does not have', async () => {
    const api = fakeMlopsApi({
      getArgoWorkflowTemplates: async () => ({
        cluster: 'harness',
        namespace: 'ml-projects',
        templates: [],
        missingTemplates: ['fraud-detector-train'],
      }),
    });
    await renderWithApi(<PipelinesContent />, {
      api,
      entity: kubernetesEntity,
    });
    expect(
      await screen.findByText(
        'Warning: WorkflowTemplate not found: fraud-detector-train',
      ),
    ).toBeInTheDocument();
  });
});
