import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DeployRequest } from '@mlstack/plugin-mlops-common';
import { fakeMlopsApi } from '../../../__testUtils__/fakeMlopsApi';
import {
  deployPreview,
  rolloutResult,
  servedV3,
} from '../../../__testUtils__/kserveFixtures';
import { renderWithApi } from '../../../__testUtils__/render';
import { responseError } from '../../../__testUtils__/responseError';
import { ModelRegistryCard } from '../../mlflow/ModelRegistryCard';

const REF = 'component:default/fraud-detector';

async function openFromVersion(api = fakeMlopsApi(), version = '3') {
  await renderWithApi(<ModelRegistryCard />, { api });
  const button = await screen.findByRole('button', {
    name: `Deploy fraud-detector version ${version}…`,
  });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  const dialog = await screen.findByRole('dialog');
  // The targets are loaded and the first allowed one is chosen.
  await within(dialog).findByText('Namespace ml-projects on cluster harness');
  return { api, dialog };
}

function serviceNameField(dialog: HTMLElement): HTMLInputElement {
  return within(dialog).getByRole('textbox', {
    name: /Service name/,
  }) as HTMLInputElement;
}

async function choose(dialog: HTMLElement, field: RegExp, option: RegExp) {
  await userEvent.click(within(dialog).getByRole('button', { name: field }));
  const listbox = await screen.findByRole('listbox');
  await userEvent.click(within(listbox).getByRole('option', { name: option }));
}

describe('DeployModelDialog', () => {
  it('opens from a version with the name prefilled, the first allowed target and its default mode', async () => {
    const { api, dialog } = await openFromVersion();

    expect(
      within(dialog).getByText('Deploy fraud-detector version 3'),
    ).toBeInTheDocument();
    expect(serviceNameField(dialog).value).toBe('fraud-detector');
    expect(
      within(dialog).getByRole('button', { name: /^Deployment mode/ }),
    ).toHaveTextContent('Standard');
    expect(
      within(dialog).getByRole('button', { name: /^Runtime/ }),
    ).toHaveTextContent('By model flavor');
    expect(
      within(dialog).getByRole('textbox', { name: 'Canary traffic %' }),
    ).toHaveValue('0');
    expect(api.getDeployTargets).toHaveBeenCalledWith(REF);

    // The refused target is listed, disabled, with its reason.
    await userEvent.click(
      within(dialog).getByRole('button', { name: /^Target/ }),
    );
    const refused = within(await screen.findByRole('listbox')).getByRole(
      'option',
      { name: /Namespace ml-serving on cluster prod/ },
    );
    expect(refused).toHaveAttribute('aria-disabled', 'true');
    expect(refused).toHaveTextContent(
      'group:default/ml-team does not own namespace ml-serving on prod',
    );
  });

  it('says what is wrong with a bad service name and does not preview it', async () => {
    const { api, dialog } = await openFromVersion();
    const name = serviceNameField(dialog);

    await userEvent.clear(name);
    await userEvent.type(name, 'Fraud_Detector');
    expect(
      within(dialog).getByText(
        /^The service name must be a DNS-1035 label: lowercase letters, digits and '-'/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Preview' }),
    ).toBeDisabled();

    await userEvent.clear(name);
    await userEvent.type(name, `f${'x'.repeat(45)}`);
    expect(
      within(dialog).getByText(
        'The service name is 46 characters long; at most 45 are allowed',
      ),
    ).toBeInTheDocument();

    await userEvent.clear(name);
    await userEvent.type(name, 'fraud-v3');
    expect(within(dialog).queryByText(/^The service name/)).toBeNull();
    expect(
      within(dialog).getByRole('button', { name: 'Preview' }),
    ).toBeEnabled();
    expect(api.previewDeploy).not.toHaveBeenCalled();
  });

  it('previews the deploy: action, resolved model, notes and the manifest as YAML', async () => {
    const api = fakeMlopsApi({
      previewDeploy: async (_ref, request) =>
        deployPreview(request, {
          notes: ['Standard mode splits traffic by replica count'],
        }),
    });
    const { dialog } = await openFromVersion(api);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Preview' }),
    );

    const preview = await within(dialog).findByRole('region', {
      name: 'Deploy preview',
    });
    expect(api.previewDeploy).toHaveBeenCalledWith(REF, {
      source: {
        type: 'modelVersion',
        modelName: 'fraud-detector',
        version: '3',
      },
      target: { cluster: 'harness', namespace: 'ml-projects' },
      serviceName: 'fraud-detector',
      mode: 'Standard',
      canaryTrafficPercent: 0,
    });
    expect(preview).toHaveTextContent(
      'Create InferenceService fraud-detector in namespace ml-projects on cluster harness',
    );
    expect(
      within(preview).getByText(
        's3://mlflow-artifacts/1/a1b2c3d4/artifacts/model',
      ),
    ).toBeInTheDocument();
    expect(
      within(preview).getByText('python_function, sklearn'),
    ).toBeInTheDocument();
    expect(
      within(preview).getByText('kserve-sklearnserver (sklearn, protocol v2)'),
    ).toBeInTheDocument();
    expect(
      within(preview).getByText(
        'Standard mode splits traffic by replica count',
      ),
    ).toBeInTheDocument();
    const manifest = within(preview).getByLabelText('Manifest');
    expect(manifest.textContent).toContain('kind: InferenceService\n');
    expect(manifest.textContent).toContain(
      '      storageUri: s3://mlflow-artifacts/1/a1b2c3d4/artifacts/model\n',
    );
    expect(api.deployModel).not.toHaveBeenCalled();
  });

  it('deploys exactly the previewed request and shows the result with failed MLflow tags', async () => {
    const api = fakeMlopsApi({
      previewDeploy: async (_ref, request) =>
        deployPreview(request, { action: 'canary' }),
      deployModel: async (_ref, request) =>
        rolloutResult(request, {
          action: 'canary',
          mlflowTags: {
            written: [],
            removed: [],
            failed: ['mlstack.io/serving/harness/ml-projects/fraud-v3'],
          },
        }),
    });
    const { dialog } = await openFromVersion(api);
    const name = serviceNameField(dialog);
    await userEvent.clear(name);
    await userEvent.type(name, 'fraud-v3');
    await choose(dialog, /^Deployment mode/, /^Knative$/);
    await choose(dialog, /^Runtime/, /^kserve-mlserver/);
    const canary = within(dialog).getByRole('textbox', {
      name: 'Canary traffic %',
    });
    await userEvent.clear(canary);
    await userEvent.type(canary, '10');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'CPU request' }),
      '500m',
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Memory limit' }),
      '2Gi',
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Min replicas' }),
      '1',
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Max replicas' }),
      '3',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Preview' }),
    );
    expect(
      await within(dialog).findByText(
        /Start a canary on InferenceService fraud-v3 .*: the new model takes 10% of the traffic/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );

    const expected: DeployRequest = {
      source: {
        type: 'modelVersion',
        modelName: 'fraud-detector',
        version: '3',
      },
      target: { cluster: 'harness', namespace: 'ml-projects' },
      serviceName: 'fraud-v3',
      mode: 'Knative',
      runtime: 'kserve-mlserver',
      canaryTrafficPercent: 10,
      resources: { cpuRequest: '500m', memoryLimit: '2Gi' },
      minReplicas: 1,
      maxReplicas: 3,
    };
    expect(
      await within(dialog).findByText(
        /Started a canary on InferenceService fraud-v3 in namespace ml-projects on cluster harness/,
      ),
    ).toBeInTheDocument();
    expect(api.previewDeploy).toHaveBeenCalledWith(REF, expected);
    expect(api.deployModel).toHaveBeenCalledWith(REF, {
      ...expected,
      expectedResourceVersion: null,
    });
    expect(
      within(dialog).getByText(
        /these MLflow tags could not be written or removed/,
      ),
    ).toHaveTextContent('mlstack.io/serving/harness/ml-projects/fraud-v3');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it("shows the backend's message when preview or deploy fails, and stays open", async () => {
    const api = fakeMlopsApi({
      previewDeploy: jest
        .fn()
        .mockImplementationOnce(async () => {
          throw await responseError(
            403,
            'user:default/bob may not deploy to ml-projects on harness',
            'NotAllowedError',
          );
        })
        .mockImplementation(async (_ref, request) => deployPreview(request)),
      deployModel: async () => {
        throw await responseError(
          409,
          'InferenceService fraud-detector changed since the preview; preview again',
          'ConflictError',
        );
      },
    });
    const { dialog } = await openFromVersion(api);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Preview' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Preview failed: Not allowed: you or the backend's cluster account lack the permission (403): user:default/bob may not deploy to ml-projects on harness",
    );
    // Still on the form: try again.
    expect(serviceNameField(dialog)).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Preview' }),
    );
    await within(dialog).findByRole('region', { name: 'Deploy preview' });
    expect(within(dialog).queryByRole('alert')).toBeNull();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Deploy failed: Conflict in KServe (409): InferenceService fraud-detector changed since the preview; preview again',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    ).toBeEnabled();
  });

  it('deploys an alias from its chip and a logged model from its row', async () => {
    const api = fakeMlopsApi();
    await renderWithApi(<ModelRegistryCard />, { api });

    const chip = await screen.findByRole('button', {
      name: 'Deploy fraud-detector@champion…',
    });
    await userEvent.click(chip);
    let dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Deploy fraud-detector@champion'),
    ).toBeInTheDocument();
    await within(dialog).findByText('Namespace ml-projects on cluster harness');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Preview' }),
    );
    await within(dialog).findByRole('region', { name: 'Deploy preview' });
    expect(api.previewDeploy).toHaveBeenLastCalledWith(
      REF,
      expect.objectContaining({
        source: {
          type: 'modelAlias',
          modelName: 'fraud-detector',
          alias: 'champion',
        },
      }),
    );
    // Deploy sends the version the preview resolved, not the alias: an alias moved meanwhile
    // does not change what the user confirmed.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );
    await waitFor(() =>
      expect(api.deployModel).toHaveBeenLastCalledWith(
        REF,
        expect.objectContaining({
          source: {
            type: 'modelVersion',
            modelName: servedV3.modelName,
            version: servedV3.version,
          },
        }),
      ),
    );
    await userEvent.click(
      await within(dialog).findByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Deploy logged model m-0123456789abcdef…',
      }),
    );
    dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('Namespace ml-projects on cluster harness');
    expect(serviceNameField(dialog).value).toBe('rf-model');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Preview' }),
    );
    await within(dialog).findByRole('region', { name: 'Deploy preview' });
    expect(api.previewDeploy).toHaveBeenLastCalledWith(
      REF,
      expect.objectContaining({
        source: { type: 'loggedModel', modelId: 'm-0123456789abcdef' },
        serviceName: 'rf-model',
      }),
    );
  });

  it('does not offer versions whose registration is not ready', async () => {
    await renderWithApi(<ModelRegistryCard />, { api: fakeMlopsApi() });
    expect(
      await screen.findByRole('button', {
        name: 'Deploy fraud-detector version 4…',
      }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Deploy fraud-detector version 2…' }),
    ).toBeDisabled();
  });
});
