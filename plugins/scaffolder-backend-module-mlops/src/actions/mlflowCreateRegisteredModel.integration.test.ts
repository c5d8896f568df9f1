/**
 * Against the harness MLflow tracking server and model registry
 * (scripts/harness/harness.sh up mlflow).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { requireHarnessService } from '@internal/harness';
import { MlflowInstances } from '@mlstack/plugin-mlops-node';
import { closedPort } from '../__testUtils__/closedPort';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createMlflowCreateRegisteredModelAction } from './mlflowCreateRegisteredModel';

const harness = requireHarnessService('mlflow');
const OWNER = 'group:default/ml-team';
const suffix = `${Date.now()}`;

async function rest(path: string, body: object) {
  const response = await fetch(`${harness.url}/api/2.0/mlflow/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return response.json();
}

describe('mlops:mlflow:create-registered-model against MLflow', () => {
  let mlflow: MlflowInstances;
  let action: ReturnType<typeof createMlflowCreateRegisteredModelAction>;
  beforeAll(async () => {
    mlflow = MlflowInstances.fromConfig(
      new ConfigReader({
        mlops: {
          mlflow: {
            instances: [
              { name: 'harness', baseUrl: harness.url },
              {
                name: 'down',
                baseUrl: `http://127.0.0.1:${await closedPort()}`,
              },
            ],
          },
        },
      }),
      // The client's own retries (short here): a read's keep-alive socket that the harness's
      // busy MLflow closed (UND_ERR_SOCKET) is retried, as it is in the portal.
      { retryDelaysMs: [50, 200] },
    );
    action = createMlflowCreateRegisteredModelAction({
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

  it('creates the model once, tagged with its owner; a re-run reuses it; versions go into it', async () => {
    const name = `it-model-${suffix}`;
    const first = await run({
      name,
      owner: 'group:ml-team',
      description: 'integration test',
      tags: { team: 'fraud' },
    });
    expect(first).toEqual({
      name,
      registeredModelUrl: `${harness.url}/#/models/${name}`,
      created: true,
    });
    const client = mlflow.get('harness');
    expect(await client.getRegisteredModel(name)).toMatchObject({
      name,
      description: 'integration test',
      tags: { team: 'fraud', 'mlstack.io/owner': OWNER },
      versions: [],
    });
    expect(await run({ name, owner: OWNER })).toEqual({
      ...first,
      created: false,
    });
    // What the generated project's register step does (mlflow.register_model): a version in
    // the existing model, whose owner tag stays.
    await rest('model-versions/create', {
      name,
      source: `s3://mlflow-artifacts/it-${suffix}/model`,
    });
    expect(await client.getRegisteredModel(name)).toMatchObject({
      tags: { 'mlstack.io/owner': OWNER },
      versions: [expect.objectContaining({ version: '1' })],
    });
  });

  it('dry run creates nothing', async () => {
    const name = `it-model-dry-${suffix}`;
    expect(await run({ name, owner: OWNER }, true)).toMatchObject({
      created: true,
    });
    expect(
      await mlflow.get('harness').getRegisteredModel(name),
    ).toBeUndefined();
  });

  it("refuses another owner's model, naming both owners", async () => {
    const name = `it-model-theirs-${suffix}`;
    await run({ name, owner: 'user:default/jane' }, false, 'user:default/jane');
    await expect(run({ name, owner: OWNER })).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `MLflow registered model '${name}' on instance 'harness' belongs to user:default/jane (tag mlstack.io/owner), not to ${OWNER}; pick another name`,
    });
  });

  it('refuses a model made outside the scaffolder (no owner tag), leaving it untagged', async () => {
    const name = `it-model-manual-${suffix}`;
    await rest('registered-models/create', { name });
    await expect(run({ name, owner: OWNER })).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        `MLflow registered model '${name}' on instance 'harness' already exists without a mlstack.io/owner tag (no owner), so it was not made for ${OWNER}`,
      ),
    });
    expect(
      (await mlflow.get('harness').getRegisteredModel(name))?.tags,
    ).toEqual({});
  });

  it('refuses a user who is not the owner, creating nothing', async () => {
    const name = `it-model-not-mine-${suffix}`;
    await expect(
      run({ name, owner: 'user:default/jane' }, false, 'user:default/bob'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'User user:default/bob is not user:default/jane nor a member of it',
      ),
    });
    expect(
      await mlflow.get('harness').getRegisteredModel(name),
    ).toBeUndefined();
  });

  it('names the instance when MLflow is down', async () => {
    await expect(
      run({ name: `it-model-${suffix}`, owner: OWNER, instance: 'down' }),
    ).rejects.toThrow(
      "MLflow instance 'down' could not be reached: ECONNREFUSED",
    );
  });
});
