import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import {
  kubernetesEntity,
  lockedKubernetesEntity,
} from '../../../__testUtils__/fixtures';
import {
  failedService,
  portalService,
  rolloutResult,
  servicesResponse,
  stoppedService,
} from '../../../__testUtils__/kserveFixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { ServingContent } from '../ServingContent';

const REF = 'component:default/fraud-detector';

/** The portal's services: both settled, so the tab does not poll. */
const portalServices = {
  ...servicesResponse,
  services: [portalService, stoppedService],
};

async function card(name: string): Promise<HTMLElement> {
  const table = await screen.findByRole('table', { name: `Models of ${name}` });
  return table.closest('.MuiCard-root') as HTMLElement;
}

function rowTexts(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent ?? '');
}

async function clickAction(c: HTMLElement, label: string) {
  const button = within(c).getByRole('button', { name: label });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  return screen.findByRole('dialog');
}

describe('Serving tab: models and service actions', () => {
  it('shows which model serves which share, the canary status, and stopped services', async () => {
    await renderWithApi(<ServingContent />, {
      api: fakeMlopsApi({ getInferenceServices: async () => portalServices }),
      entity: kubernetesEntity,
    });

    const portal = await card('fraud-portal');
    expect(
      rowTexts(
        within(portal).getByRole('table', { name: 'Models of fraud-portal' }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^Stablefraud-detector v3Deployed by user:default\/alice .*90%$/,
      ),
      expect.stringMatching(
        /^Canaryfraud-detector v4Deployed by user:default\/alice .*10%Canary not ready$/,
      ),
    ]);
    expect(
      within(portal).getByText('Ready', {
        selector: '[aria-label="Status ok"]',
      }),
    ).toBeInTheDocument();
    expect(
      within(portal).getByRole('button', { name: 'Promote' }),
    ).toBeInTheDocument();
    expect(
      within(portal).getByRole('button', { name: 'Roll back' }),
    ).toBeInTheDocument();
    expect(
      within(portal).getByRole('button', { name: 'Stop' }),
    ).toBeInTheDocument();
    expect(within(portal).queryByRole('button', { name: 'Start' })).toBeNull();

    const stopped = await card('fraud-stopped');
    expect(within(stopped).getByText('Stopped')).toBeInTheDocument();
    expect(within(stopped).queryByText('Not ready')).toBeNull();
    expect(
      rowTexts(
        within(stopped).getByRole('table', { name: 'Models of fraud-stopped' }),
      ),
    ).toEqual([expect.stringMatching(/^Stablefraud-detector v3.*100%$/)]);
    expect(
      within(stopped).getByRole('button', { name: 'Start' }),
    ).toBeInTheDocument();
    expect(within(stopped).queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(
      within(stopped).queryByRole('button', { name: 'Promote' }),
    ).toBeNull();
    expect(
      within(stopped).queryByRole('button', { name: 'Roll back' }),
    ).toBeNull();
  });

  it('shows a Knative canary rollout by revision, and no promote without a canary', async () => {
    await renderWithApi(<ServingContent />, {
      api: fakeMlopsApi(),
      entity: kubernetesEntity,
    });
    const knative = await card('fraud-detector');
    expect(
      rowTexts(
        within(knative).getByRole('table', {
          name: 'Models of fraud-detector',
        }),
      ),
    ).toEqual([
      'Previous revisionThe model rolled out before80%',
      'Canary (latest revision)fraud-detector v420%Canary ready',
    ]);
    const failed = await card(failedService.name);
    expect(
      within(failed).queryByRole('button', { name: 'Promote' }),
    ).toBeNull();
    expect(
      within(failed).getByRole('button', { name: 'Delete' }),
    ).toBeInTheDocument();
  });

  it('promotes after confirming, with the resourceVersion, then reloads the services', async () => {
    const api = fakeMlopsApi({
      getInferenceServices: async () => portalServices,
    });
    await renderWithApi(<ServingContent />, { api, entity: kubernetesEntity });

    const dialog = await clickAction(await card('fraud-portal'), 'Promote');
    expect(
      within(dialog).getByText('Promote fraud-portal'),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent(
      'Promote the canary of fraud-portal: fraud-detector v4 gets all the traffic and replaces fraud-detector v3.',
    );
    expect(api.promoteInferenceService).not.toHaveBeenCalled();
    expect(api.getInferenceServices).toHaveBeenCalledTimes(1);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.promoteInferenceService).toHaveBeenCalledWith(
      REF,
      'fraud-portal',
      {
        resourceVersion: '81723',
      },
    );
    await waitFor(() =>
      expect(api.getInferenceServices).toHaveBeenCalledTimes(2),
    );
  });

  it('starts a stopped service and deletes one, each naming the service', async () => {
    const api = fakeMlopsApi({
      getInferenceServices: async () => portalServices,
    });
    await renderWithApi(<ServingContent />, { api, entity: kubernetesEntity });

    let dialog = await clickAction(await card('fraud-stopped'), 'Start');
    expect(dialog).toHaveTextContent(
      'Start fraud-stopped in namespace ml-projects again: KServe brings its pods back, serving fraud-detector v3.',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.startInferenceService).toHaveBeenCalledWith(
      REF,
      'fraud-stopped',
      {
        resourceVersion: '99001',
      },
    );

    dialog = await clickAction(await card('fraud-portal'), 'Delete');
    expect(dialog).toHaveTextContent(
      'Delete InferenceService fraud-portal in namespace ml-projects: its pods, routes and URL are removed and it stops serving fraud-detector v3. This cannot be undone',
    );
    // Cancel sends nothing.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.deleteInferenceService).not.toHaveBeenCalled();

    dialog = await clickAction(await card('fraud-portal'), 'Delete');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.deleteInferenceService).toHaveBeenCalledWith(
      REF,
      'fraud-portal',
      {
        resourceVersion: '81723',
      },
    );
    await waitFor(() =>
      expect(api.getInferenceServices).toHaveBeenCalledTimes(3),
    );
  });

  it('shows a 409 or 403 in the dialog and keeps it open, without reloading', async () => {
    const api = fakeMlopsApi({
      getInferenceServices: async () => portalServices,
      rollbackInferenceService: async () => {
        throw await responseError(
          409,
          'InferenceService fraud-portal changed since resourceVersion 81723; reload and try again',
          'ConflictError',
        );
      },
      stopInferenceService: async () => {
        throw await responseError(
          403,
          'user:default/bob may not stop services of component:default/fraud-detector',
          'NotAllowedError',
        );
      },
    });
    await renderWithApi(<ServingContent />, { api, entity: kubernetesEntity });

    let dialog = await clickAction(await card('fraud-portal'), 'Roll back');
    expect(dialog).toHaveTextContent(
      'Roll back the canary of fraud-portal: fraud-detector v4 is removed and fraud-detector v3 gets all the traffic again.',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Roll back failed: Conflict in KServe (409): InferenceService fraud-portal changed since resourceVersion 81723; reload and try again',
    );
    expect(api.rollbackInferenceService).toHaveBeenCalledWith(
      REF,
      'fraud-portal',
      {
        resourceVersion: '81723',
      },
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    dialog = await clickAction(await card('fraud-portal'), 'Stop');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stop' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Stop failed: Not allowed: you or the backend's cluster account lack the permission (403): user:default/bob may not stop services of component:default/fraud-detector",
    );
    expect(api.getInferenceServices).toHaveBeenCalledTimes(1);
  });

  it('reports MLflow tags a promote could not update', async () => {
    const api = fakeMlopsApi({
      getInferenceServices: async () => portalServices,
      promoteInferenceService: async (_ref, service) =>
        rolloutResult(
          {
            serviceName: service,
            target: { cluster: 'harness', namespace: 'ml-projects' },
          },
          {
            action: 'promote',
            mlflowTags: {
              written: [],
              removed: [],
              failed: ['mlstack.io/serving/harness/ml-projects/fraud-portal'],
            },
          },
        ),
    });
    await renderWithApi(<ServingContent />, { api, entity: kubernetesEntity });
    const dialog = await clickAction(await card('fraud-portal'), 'Promote');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote' }),
    );
    expect(
      await screen.findByText(/these MLflow tags could not be updated/),
    ).toHaveTextContent('mlstack.io/serving/harness/ml-projects/fraud-portal');
  });

  it('disables the actions the user may not take', async () => {
    await renderWithApi(<ServingContent />, {
      api: fakeMlopsApi({ getInferenceServices: async () => portalServices }),
      entity: lockedKubernetesEntity,
      authorize: name =>
        name === 'mlops.kserve.service.delete' ? 'DENY' : 'ALLOW',
    });
    const portal = await card('fraud-portal');
    await waitFor(() =>
      expect(
        within(portal).getByRole('button', { name: 'Promote' }),
      ).toBeEnabled(),
    );
    expect(
      within(portal).getByRole('button', { name: 'Delete' }),
    ).toBeDisabled();
  });
});
