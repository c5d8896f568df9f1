import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import {
  kubernetesEntity,
  kubernetesEntityWithoutNamespace,
} from '../../../__testUtils__/fixtures';
import {
  canaryService,
  servicesResponse,
} from '../../../__testUtils__/kserveFixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { ServingContent } from './ServingContent';

const REF = 'component:default/fraud-detector';

async function card(name: string): Promise<HTMLElement> {
  const table = await screen.findByRole('table', {
    name: `Conditions of ${name}`,
  });
  return table.closest('.MuiCard-root') as HTMLElement;
}

describe('ServingContent', () => {
  it('asks for the namespace annotation when the entity has none', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<ServingContent />, {
      api,
      entity: kubernetesEntityWithoutNamespace,
    });
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-namespace/).length,
    ).toBeGreaterThan(0);
    expect(api.getInferenceServices).not.toHaveBeenCalled();
  });

  it('shows a ready canary service: URL, model, MLflow version, traffic, rollout', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<ServingContent />, { api, entity: kubernetesEntity });

    const c = await card('fraud-detector');
    expect(
      within(c).getByText('Ready', { selector: '[aria-label="Status ok"]' }),
    ).toBeInTheDocument();
    expect(
      within(c).getByRole('link', {
        name: /^http:\/\/fraud-detector\.ml-projects\.example\.com/,
      }),
    ).toBeInTheDocument();
    expect(within(c).getByText('Knative (from status)')).toBeInTheDocument();
    expect(within(c).getByText('sklearn 1')).toBeInTheDocument();
    expect(within(c).getByText('kserve-sklearnserver')).toBeInTheDocument();
    expect(within(c).getByText('v2')).toBeInTheDocument();
    expect(
      within(c).getByText('s3://mlflow-artifacts/1/models/m-abc/artifacts'),
    ).toBeInTheDocument();
    expect(
      within(c).getByRole('link', { name: /^fraud-detector model v4/ }),
    ).toHaveAttribute(
      'href',
      'http://mlflow.example.com/#/models/fraud-detector/versions/4',
    );
    expect(within(c).getByText('champion')).toBeInTheDocument();

    // Traffic split: 20% canary on the latest revision, 80% on the previous.
    expect(
      within(c).getByRole('img', {
        name: 'Traffic: fraud-detector-predictor-00002 20%, fraud-detector-predictor-00001 80%',
      }),
    ).toBeInTheDocument();
    const traffic = within(c).getByRole('table', {
      name: 'Traffic of fraud-detector',
    });
    const rows = within(traffic).getAllByRole('row');
    expect(rows[1]).toHaveTextContent(
      'fraud-detector-predictor-0000220%latestlatest, latest ready',
    );
    expect(rows[2]).toHaveTextContent(
      'fraud-detector-predictor-0000180%prevrolled out',
    );
    expect(
      within(c).getByText(
        /Canary rollout: a new revision gets 20% of the traffic/,
      ),
    ).toBeInTheDocument();

    // Generation 3 observed as 2: a change is rolling out.
    expect(
      within(c).getByText('Rolling out: generation 3, observed 2'),
    ).toBeInTheDocument();

    // Every condition with its reason and message.
    const conditions = within(c).getByRole('table', {
      name: 'Conditions of fraud-detector',
    });
    const routeRow = within(conditions)
      .getByText('PredictorRouteReady')
      .closest('tr') as HTMLElement;
    expect(routeRow).toHaveTextContent('Unknown');
    expect(routeRow).toHaveTextContent('RevisionMissing');
    expect(routeRow).toHaveTextContent(
      'Configuration is waiting for a Revision to become ready.',
    );
    expect(within(conditions).getAllByRole('row')).toHaveLength(6);
    expect(api.getInferenceServices).toHaveBeenCalledWith(REF);
  });

  it('shows a failed service with its failure, model state and false conditions', async () => {
    await renderWithApi(<ServingContent />, {
      api: fakeMlopsApi(),
      entity: kubernetesEntity,
    });
    const c = await card('fraud-detector-shadow');
    expect(within(c).getByText('Not ready')).toBeInTheDocument();
    expect(
      within(c).getByText(/Last failure: ModelLoadFailed/),
    ).toHaveTextContent('model file not found at s3://models/fraud/shadow');
    expect(within(c).getByText('FailedToLoad')).toBeInTheDocument();
    expect(within(c).getByText('BlockedByFailedLoad')).toBeInTheDocument();
    expect(within(c).getByText('1 of 1')).toBeInTheDocument();
    expect(
      within(c).getByText('Standard (from annotation)'),
    ).toBeInTheDocument();
    expect(
      within(c).getByText(
        'No traffic split: Standard mode sends all traffic to the current deployment.',
      ),
    ).toBeInTheDocument();
    const ready = within(
      within(c).getByRole('table', {
        name: 'Conditions of fraud-detector-shadow',
      }),
    )
      .getByText('Ready')
      .closest('tr') as HTMLElement;
    expect(ready).toHaveTextContent('FalseErrorModelLoadFailed');
    expect(within(c).queryByText(/Rolling out/)).toBeNull();
  });

  it('names the services the cluster does not have', async () => {
    const api = fakeMlopsApi({
      getInferenceServices: async () => ({
        ...servicesResponse,
        services: [canaryService],
        missingServices: ['fraud-detector-v2', 'fraud-detector-v3'],
      }),
    });
    await renderWithApi(<ServingContent />, { api, entity: kubernetesEntity });
    expect(
      await screen.findByText(
        'Warning: InferenceServices not found: fraud-detector-v2, fraud-detector-v3',
      ),
    ).toBeInTheDocument();
    expect(await card('fraud-detector')).toBeInTheDocument();
  });

  it('explains a cluster that is unreachable', async () => {
    const api = fakeMlopsApi({
      getInferenceServices: async () => {
        throw await responseError(503, 'Cluster harness is unreachable');
      },
    });
    await renderWithApi(<ServingContent />, { api, entity: kubernetesEntity });
    expect(
      await screen.findByText(
        "Error: Could not load the InferenceServices: The cluster is unreachable or refused the backend's credentials (503): Cluster harness is unreachable",
      ),
    ).toBeInTheDocument();
  });

  it('opens the predictor logs, and says why there are none', async () => {
    const api = fakeMlopsApi({
      getInferenceServiceLogs: async (_ref, service) => ({
        service,
        component: 'predictor',
        container: 'kserve-container',
        available: false,
        reason: 'No predictor pod runs (scaled to zero)',
        text: '',
      }),
    });
    await renderWithApi(<ServingContent />, { api, entity: kubernetesEntity });
    const c = await card('fraud-detector');
    await userEvent.click(
      within(c).getByRole('button', { name: 'Predictor logs' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Predictor logs of fraud-detector'),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByText(
        'Logs are not available: No predictor pod runs (scaled to zero)',
      ),
    ).toBeInTheDocument();
    expect(api.getInferenceServiceLogs).toHaveBeenCalledWith(
      REF,
      'fraud-detector',
      { component: 'predictor' },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
