import {
  mockCredentials,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { MlflowInstances } from '@mlstack/plugin-mlops-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createMlflowCreateExperimentAction } from './mlflowCreateExperiment';

const server = setupServer();
registerMswTestHooks(server);

const API = 'http://mlflow.test/api/2.0/mlflow';

const mlflow = MlflowInstances.fromConfig(
  new ConfigReader({
    mlops: {
      mlflow: {
        instances: [
          {
            name: 'main',
            baseUrl: 'http://mlflow.test',
            uiUrl: 'https://mlflow.example.com',
            token: 'mlflow-secret-token',
          },
          { name: 'down', baseUrl: 'http://127.0.0.1:1' },
        ],
      },
    },
  }),
  { retryDelaysMs: [] },
);
const action = createMlflowCreateExperimentAction({
  mlflow,
  initiator: testInitiator({
    memberOf: ['group:default/ml-team', 'group:default/a'],
  }),
});

interface FakeExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
  tags?: Array<{ key: string; value: string }>;
}

/** A fake MLflow holding `experiments`; records `METHOD path` and the create bodies. */
function fakeMlflow(experiments: FakeExperiment[] = []) {
  const requests: string[] = [];
  const created: unknown[] = [];
  server.use(
    http.get(`${API}/experiments/get-by-name`, ({ request }) => {
      requests.push('GET experiments/get-by-name');
      const name = new URL(request.url).searchParams.get('experiment_name');
      const found = experiments.find(e => e.name === name);
      return found
        ? HttpResponse.json({ experiment: found })
        : HttpResponse.json(
            {
              error_code: 'RESOURCE_DOES_NOT_EXIST',
              message: `Could not find experiment with name '${name}'`,
            },
            { status: 404 },
          );
    }),
    http.post(`${API}/experiments/create`, async ({ request }) => {
      requests.push('POST experiments/create');
      const body = (await request.json()) as any;
      created.push(body);
      if (experiments.some(e => e.name === body.name)) {
        return HttpResponse.json(
          {
            error_code: 'RESOURCE_ALREADY_EXISTS',
            message: `Experiment '${body.name}' already exists.`,
          },
          { status: 400 },
        );
      }
      const experiment = {
        experiment_id: String(100 + experiments.length),
        name: body.name,
        lifecycle_stage: 'active',
        tags: body.tags,
      };
      experiments.push(experiment);
      return HttpResponse.json({ experiment_id: experiment.experiment_id });
    }),
  );
  return { requests, created, experiments };
}

const OWNER_TAGS = [
  { key: 'mlstack.io/owner', value: 'group:default/ml-team' },
];

describe('mlops:mlflow:create-experiment', () => {
  it('creates a missing experiment with the owner tag, the other tags and the artifact location', async () => {
    const { requests, created } = fakeMlflow();
    const { ctx, outputs } = createActionContext({
      input: {
        name: 'fraud-detector',
        owner: 'group:ml-team',
        instance: 'main',
        artifactLocation: 's3://ml-fraud/mlflow',
        tags: { team: 'fraud' },
      },
    });
    await action.handler(ctx);
    expect(requests).toEqual([
      'GET experiments/get-by-name',
      'POST experiments/create',
    ]);
    expect(created).toEqual([
      {
        name: 'fraud-detector',
        artifact_location: 's3://ml-fraud/mlflow',
        tags: [
          { key: 'team', value: 'fraud' },
          { key: 'mlstack.io/owner', value: 'group:default/ml-team' },
        ],
      },
    ]);
    expect(outputs).toEqual({
      experimentId: '100',
      experimentUrl: 'https://mlflow.example.com/#/experiments/100',
      created: true,
    });
  });

  it("reuses the owner's experiment without writing", async () => {
    const { requests } = fakeMlflow([
      {
        experiment_id: '7',
        name: 'fraud-detector',
        lifecycle_stage: 'active',
        tags: OWNER_TAGS,
      },
    ]);
    const { ctx, outputs } = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:default/ML-Team' },
    });
    await action.handler(ctx);
    expect(requests).toEqual(['GET experiments/get-by-name']);
    expect(outputs).toMatchObject({ experimentId: '7', created: false });
  });

  it("refuses another owner's experiment, and an untagged one", async () => {
    fakeMlflow([
      {
        experiment_id: '7',
        name: 'theirs',
        lifecycle_stage: 'active',
        tags: [{ key: 'mlstack.io/owner', value: 'group:default/other' }],
      },
      { experiment_id: '8', name: 'manual', lifecycle_stage: 'active' },
    ]);
    const theirs = createActionContext({
      input: { name: 'theirs', owner: 'group:default/ml-team' },
    });
    await expect(action.handler(theirs.ctx)).rejects.toThrow(
      "MLflow experiment 'theirs' (id 7) on instance 'main' belongs to group:default/other (tag mlstack.io/owner), not to group:default/ml-team",
    );
    const manual = createActionContext({
      input: { name: 'manual', owner: 'group:default/ml-team' },
    });
    await expect(action.handler(manual.ctx)).rejects.toThrow(
      'already exists without a mlstack.io/owner tag',
    );
  });

  it('says to restore or rename a deleted experiment', async () => {
    fakeMlflow([
      {
        experiment_id: '9',
        name: 'fraud-detector',
        lifecycle_stage: 'deleted',
        tags: OWNER_TAGS,
      },
    ]);
    const { ctx } = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:default/ml-team' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "MLflow experiment 'fraud-detector' (id 9) on instance 'main' is deleted; restore it in MLflow (e.g. `mlflow experiments restore --experiment-id 9`) or pick another name",
    );
  });

  it('names the instance when MLflow cannot be reached', async () => {
    server.use(http.all('http://127.0.0.1:1/*', () => HttpResponse.error()));
    const { ctx } = createActionContext({
      input: { name: 'x', owner: 'group:default/ml-team', instance: 'down' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "MLflow instance 'down' could not be reached",
    );
  });

  it('rejects bad input: unknown instance, bad owner, reserved tag, empty name', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [
        { name: 'x', owner: 'group:default/a', instance: 'nope' },
        "Unknown MLflow instance 'nope'; the configured instances are: main, down",
      ],
      [{ name: 'x', owner: 'a/b/c' }, "owner 'a/b/c' is not an entity ref"],
      [
        {
          name: 'x',
          owner: 'group:default/a',
          tags: { 'mlstack.io/owner': 'me' },
        },
        "The experiment tag 'mlstack.io/owner' is set from the owner input",
      ],
      [{ name: '  ', owner: 'group:default/a' }, 'must not be empty'],
      [
        { name: 'x', owner: 'group:default/a', artifactLocation: '/tmp/x' },
        'must be a URI',
      ],
    ];
    for (const [input, message] of bad) {
      const { ctx } = createActionContext({ input });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    }
  });

  it('refuses a user who is not the owner or a member of it, before calling MLflow, also in a dry run', async () => {
    // no msw handler: a request would fail the test
    const strangers = createMlflowCreateExperimentAction({
      mlflow,
      initiator: testInitiator({ memberOf: ['group:default/other-team'] }),
    });
    for (const isDryRun of [false, true]) {
      const { ctx } = createActionContext({
        input: { name: 'fraud-detector', owner: 'group:ml-team' },
        credentials: mockCredentials.user('user:default/bob'),
        isDryRun,
      });
      await expect(strangers.handler(ctx)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          "User user:default/bob is not group:default/ml-team nor a member of it, so this task may not claim MLflow experiment 'fraud-detector' on instance 'main' for group:default/ml-team",
        ),
      });
    }
    const { ctx } = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:ml-team' },
      credentials: mockCredentials.none(),
    });
    await expect(strangers.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'This task was started without a user (anonymous credentials), so it may not claim',
      ),
    });
  });

  it('dry run: validates and outputs without calling MLflow', async () => {
    const { ctx, outputs } = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:default/ml-team' },
      isDryRun: true,
    });
    await action.handler(ctx);
    expect(outputs).toEqual({
      experimentId: 'dry-run',
      experimentUrl: 'https://mlflow.example.com/#/experiments/dry-run',
      created: true,
    });
  });

  it('does not create twice on a retried task (checkpoint), nor log the token', async () => {
    const { requests } = fakeMlflow();
    const first = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:default/ml-team' },
    });
    await action.handler(first.ctx);
    const retry = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:default/ml-team' },
      checkpoints: first.checkpoints,
    });
    await action.handler(retry.ctx);
    expect(requests.filter(r => r.startsWith('POST'))).toHaveLength(1);
    expect(retry.outputs).toMatchObject({ experimentId: '100', created: true });
    expect(first.logLines().join('\n')).not.toContain('mlflow-secret-token');
  });

  it('reuses the experiment when another task created it between the read and the create', async () => {
    const experiments: FakeExperiment[] = [];
    let reads = 0;
    server.use(
      http.get(`${API}/experiments/get-by-name`, () => {
        reads += 1;
        return reads === 1
          ? HttpResponse.json(
              { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'none' },
              { status: 404 },
            )
          : HttpResponse.json({ experiment: experiments[0] });
      }),
      http.post(`${API}/experiments/create`, () => {
        experiments.push({
          experiment_id: '5',
          name: 'fraud-detector',
          lifecycle_stage: 'active',
          tags: OWNER_TAGS,
        });
        return HttpResponse.json(
          { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' },
          { status: 400 },
        );
      }),
    );
    const { ctx, outputs } = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:default/ml-team' },
    });
    await action.handler(ctx);
    expect(outputs).toMatchObject({ experimentId: '5', created: false });
  });
});
