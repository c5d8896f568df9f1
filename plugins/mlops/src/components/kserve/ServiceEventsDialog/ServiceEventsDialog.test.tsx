import { screen, within } from '@testing-library/react';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import { entity } from '../../../__testUtils__/fixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { ServiceEventsDialog } from './ServiceEventsDialog';

const ref = {
  kind: entity.kind,
  namespace: entity.metadata.namespace ?? 'default',
  name: entity.metadata.name,
};

describe('ServiceEventsDialog', () => {
  it('lists why the predictor is not ready, newest first as the backend sends them', async () => {
    const api = fakeMlopsApi({
      getInferenceServiceEvents: async (_ref, service) => ({
        service,
        events: [
          {
            type: 'Warning',
            reason: 'FailedScheduling',
            message: '0/1 nodes are available: 1 Insufficient memory.',
            object: 'Pod/fraud-v3-predictor-6d4f9-abcde',
            count: 4,
            lastSeen: '2026-11-28T10:00:00.000Z',
          },
        ],
      }),
    });
    await renderWithApi(
      <ServiceEventsDialog
        entityRef={ref}
        service="fraud-v3"
        open
        onClose={() => {}}
      />,
      { api },
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Events of fraud-v3',
    });
    expect(
      await within(dialog).findByText('FailedScheduling'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        '0/1 nodes are available: 1 Insufficient memory.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Pod/fraud-v3-predictor-6d4f9-abcde'),
    ).toBeInTheDocument();
    expect(api.getInferenceServiceEvents).toHaveBeenCalledWith(
      'component:default/fraud-detector',
      'fraud-v3',
    );
  });

  it('says when there are no events', async () => {
    await renderWithApi(
      <ServiceEventsDialog
        entityRef={ref}
        service="quiet"
        open
        onClose={() => {}}
      />,
      { api: fakeMlopsApi() },
    );
    expect(
      await screen.findByText(/No events about quiet or its predictor/),
    ).toBeInTheDocument();
  });

  it('shows a 403 from the cluster as an error panel naming KServe', async () => {
    const api = fakeMlopsApi({
      getInferenceServiceEvents: async () => {
        throw await responseError(
          403,
          'events is forbidden',
          'NotAllowedError',
        );
      },
    });
    await renderWithApi(
      <ServiceEventsDialog
        entityRef={ref}
        service="fraud-v3"
        open
        onClose={() => {}}
      />,
      { api },
    );
    expect(
      await screen.findByText(/Could not load the events/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/events is forbidden/).length).toBeGreaterThan(
      0,
    );
  });
});
