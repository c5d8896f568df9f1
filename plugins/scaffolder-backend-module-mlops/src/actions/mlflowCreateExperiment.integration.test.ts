/**
 * Against the harness MLflow tracking server (scripts/harness/harness.sh up mlflow).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { requireHarnessService } from '@internal/harness';
import { MlflowInstances } from '@mlstack/plugin-mlops-node';
import { closedPort } from '../__testUtils__/closedPort';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createMlflowCreateExperimentAction } from './mlflowCreateExperiment';

const harness = requireHarnessService('mlflow');
const OWNER = 'group:default/ml-team';
const suffix = `${Date.now()}`;

async function instances() {
  return MlflowInstances.fromConfig(
    new ConfigReader({
      mlops: {
        mlflow: {
          instances: [
            { name: 'harness', baseUrl: harness.url },
            { name: 'down', baseUrl: `http://127.0.0.1:${await closedPort()}` },
          ],
        },
      },
    }),
    // The client's own retries (short here): a read's keep-alive socket that the harness's
    // busy MLflow closed (UND_ERR_SOCKET) is retried, as it is in the portal.
    { retryDelaysMs: [50, 200] },
  );
}

async function rest(path: string, body: object) {
  const response = await fetch(`${harness.url}/api/2.0/mlflow/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return response.json();
}

describe('mlops:mlflow:create-experiment against MLflow', () => {
  let mlflow: MlflowInstances;
  let action: ReturnType<typeof createMlflowCreateExperimentAction>;
  beforeAll(async () => {
    mlflow = await instances();
    action = createMlflowCreateExperimentAction({
      mlflow,
      initiator: testInitiator(),
    });
  });

  async function run(
    input: Record<string, unknown>,
    isDryRun = false,
    user = 'user:default/mock',
  ) {
    const context = createActionContext({
      input,
      isDryRun,
      credentials: mockCredentials.user(user),
    });
    await action.handler(context.ctx);
    return context.outputs;
  }

  it('creates the experiment once, with its tags and artifact location; a re-run reuses it', async () => {
    const name = `it-fraud-${suffix}`;
    const first = await run({
      name,
      owner: OWNER,
      artifactLocation: `s3://mlflow-artifacts/it-${suffix}`,
      tags: { team: 'fraud' },
    });
    expect(first).toEqual({
      experimentId: expect.stringMatching(/^\d+$/),
      experimentUrl: `${harness.url}/#/experiments/${first.experimentId}`,
      created: true,
    });
    const stored = await mlflow.get('harness').getExperimentByName(name);
    expect(stored).toMatchObject({
      experimentId: first.experimentId,
      artifactLocation: `s3://mlflow-artifacts/it-${suffix}`,
      tags: { team: 'fraud', 'mlstack.io/owner': OWNER },
    });
    const again = await run({ name, owner: 'group:ml-team' });
    expect(again).toEqual({ ...first, created: false });
  });

  it('dry run creates nothing', async () => {
    const name = `it-dry-${suffix}`;
    expect(await run({ name, owner: OWNER }, true)).toMatchObject({
      created: true,
    });
    expect(
      await mlflow.get('harness').getExperimentByName(name),
    ).toBeUndefined();
  });

  it("refuses another owner's experiment", async () => {
    const name = `it-theirs-${suffix}`;
    const { experimentId } = await run(
      { name, owner: 'user:default/jane' },
      false,
      'user:default/jane',
    );
    await expect(run({ name, owner: OWNER })).rejects.toThrow(
      `MLflow experiment '${name}' (id ${experimentId}) on instance 'harness' belongs to user:default/jane (tag mlstack.io/owner), not to ${OWNER}`,
    );
  });

  it('refuses a user who is not the owner, creating nothing', async () => {
    const name = `it-not-mine-${suffix}`;
    await expect(
      run({ name, owner: 'user:default/jane' }, false, 'user:default/bob'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'User user:default/bob is not user:default/jane nor a member of it',
      ),
    });
    const q = new URLSearchParams({ experiment_name: name });
    const response = await fetch(
      `${harness.url}/api/2.0/mlflow/experiments/get-by-name?${q}`,
    );
    expect(response.status).toBe(404);
  });

  it('says to restore or rename a deleted experiment', async () => {
    const name = `it-deleted-${suffix}`;
    const { experimentId } = await run({ name, owner: OWNER });
    await rest('experiments/delete', { experiment_id: experimentId });
    await expect(run({ name, owner: OWNER })).rejects.toThrow(
      `MLflow experiment '${name}' (id ${experimentId}) on instance 'harness' is deleted; restore it in MLflow`,
    );
  });

  it('refuses an experiment made outside the scaffolder (no owner tag)', async () => {
    const name = `it-manual-${suffix}`;
    await rest('experiments/create', { name });
    await expect(run({ name, owner: OWNER })).rejects.toThrow(
      'already exists without a mlstack.io/owner tag',
    );
  });

  it('names the instance when MLflow is down', async () => {
    await expect(
      run({ name: `it-${suffix}`, owner: OWNER, instance: 'down' }),
    ).rejects.toThrow(
      "MLflow instance 'down' could not be reached: ECONNREFUSED",
    );
  });
});
