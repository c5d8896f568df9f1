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
import { createMlflowCreateRegisteredModelAction } from './mlflowCreateRegisteredModel';

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
const action = createMlflowCreateRegisteredModelAction({
  mlflow,
  initiator: testInitiator({
    memberOf: ['group:default/ml-team', 'group:default/a'],
  }),
});

interface FakeModel {
  name: string;
  tags?: Array<{ key: string; value: string }>;
}

/** A fake MLflow registry holding `models`; records `METHOD path` and the create bodies. */
function fakeMlflow(models: FakeModel[] = []) {
  const requests: string[] = [];
  const created: any[] = [];
  server.use(
    http.get(`${API}/registered-models/get`, ({ request }) => {
      requests.push('GET registered-models/get');
      const name = new URL(request.url).searchParams.get('name');
      const found = models.find(m => m.name === name);
      return found
        ? HttpResponse.json({ registered_model: found })
        : HttpResponse.json(
            {
              error_code: 'RESOURCE_DOES_NOT_EXIST',
              message: `Registered Model with name=${name} not found`,
            },
            { status: 404 },
          );
    }),
    http.get(`${API}/model-versions/search`, () => HttpResponse.json({})),
    http.post(`${API}/registered-models/create`, async ({ request }) => {
      requests.push('POST registered-models/create');
      const body = (await request.json()) as any;
      created.push(body);
      if (models.some(m => m.name === body.name)) {
        return HttpResponse.json(
          {
            error_code: 'RESOURCE_ALREADY_EXISTS',
            message: `Registered Model (name=${body.name}) already exists.`,
          },
          { status: 400 },
        );
      }
      models.push({ name: body.name, tags: body.tags });
      return HttpResponse.json({ registered_model: { name: body.name } });
    }),
  );
  return { requests, created, models };
}

const OWNER_TAGS = [
  { key: 'mlstack.io/owner', value: 'group:default/ml-team' },
];

describe('mlops:mlflow:create-registered-model', () => {
  it('creates a missing model with the owner tag, the other tags and the description', async () => {
    const { requests, created } = fakeMlflow();
    const { ctx, outputs } = createActionContext({
      input: {
        name: 'fraud-detector',
        owner: 'group:ml-team',
        instance: 'main',
        description: 'Scores transactions',
        tags: { 'mlstack.io/catalog-entity': 'component:default/fraud' },
      },
    });
    await action.handler(ctx);
    expect(requests).toEqual([
      'GET registered-models/get',
      'POST registered-models/create',
    ]);
    expect(created).toEqual([
      {
        name: 'fraud-detector',
        description: 'Scores transactions',
        tags: [
          {
            key: 'mlstack.io/catalog-entity',
            value: 'component:default/fraud',
          },
          { key: 'mlstack.io/owner', value: 'group:default/ml-team' },
        ],
      },
    ]);
    expect(outputs).toEqual({
      name: 'fraud-detector',
      registeredModelUrl: 'https://mlflow.example.com/#/models/fraud-detector',
      created: true,
    });
  });

  it("reuses the owner's model (any spelling of the ref) without writing", async () => {
    const { requests } = fakeMlflow([
      {
        name: 'fraud-detector',
        tags: [{ key: 'mlstack.io/owner', value: 'Group:ML-Team' }],
      },
    ]);
    const { ctx, outputs, logLines } = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:default/ml-team' },
    });
    await action.handler(ctx);
    expect(requests).toEqual(['GET registered-models/get']);
    expect(outputs).toMatchObject({ name: 'fraud-detector', created: false });
    expect(logLines().join('\n')).toContain('reusing it');
  });

  it("refuses another owner's model and an untagged one, naming the model and both owners, and writes nothing", async () => {
    const { requests } = fakeMlflow([
      {
        name: 'theirs',
        tags: [{ key: 'mlstack.io/owner', value: 'group:default/other' }],
      },
      { name: 'manual', tags: [{ key: 'team', value: 'x' }] },
    ]);
    const theirs = createActionContext({
      input: { name: 'theirs', owner: 'group:default/ml-team' },
    });
    await expect(action.handler(theirs.ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "MLflow registered model 'theirs' on instance 'main' belongs to group:default/other (tag mlstack.io/owner), not to group:default/ml-team; pick another name",
    });
    const manual = createActionContext({
      input: { name: 'manual', owner: 'group:default/ml-team' },
    });
    await expect(action.handler(manual.ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "MLflow registered model 'manual' on instance 'main' already exists without a mlstack.io/owner tag (no owner), so it was not made for group:default/ml-team",
      ),
    });
    expect(requests.filter(r => r.startsWith('POST'))).toEqual([]);
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

  it('rejects bad input: unknown instance, bad owner, reserved tag, empty or long name', async () => {
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
        "The registered model tag 'mlstack.io/owner' is set from the owner input",
      ],
      [{ name: '  ', owner: 'group:default/a' }, 'must not be empty'],
      [
        { name: 'x'.repeat(257), owner: 'group:default/a' },
        'at most 256 characters',
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
    const strangers = createMlflowCreateRegisteredModelAction({
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
          "User user:default/bob is not group:default/ml-team nor a member of it, so this task may not claim MLflow registered model 'fraud-detector' on instance 'main' for group:default/ml-team",
        ),
      });
    }
    const { ctx } = createActionContext({
      input: { name: 'fraud-detector', owner: 'group:ml-team' },
      credentials: mockCredentials.service('plugin:catalog'),
    });
    await expect(strangers.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "This task was started by service 'plugin:catalog', not by a user, so it may not claim",
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
      name: 'fraud-detector',
      registeredModelUrl: 'https://mlflow.example.com/#/models/fraud-detector',
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
    expect(requests).toEqual([
      'GET registered-models/get',
      'POST registered-models/create',
    ]);
    expect(retry.outputs).toMatchObject({ created: true });
    expect(first.logLines().join('\n')).not.toContain('mlflow-secret-token');
  });

  it('between the read and the create: reuses a model made for the owner, refuses one made for another', async () => {
    for (const [tags, expected] of [
      [OWNER_TAGS, 'reused'],
      [[{ key: 'mlstack.io/owner', value: 'group:default/other' }], 'refused'],
      [undefined, 'refused'],
    ] as const) {
      const models: FakeModel[] = [];
      let reads = 0;
      server.use(
        http.get(`${API}/registered-models/get`, () => {
          reads += 1;
          return reads === 1
            ? HttpResponse.json(
                { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'none' },
                { status: 404 },
              )
            : HttpResponse.json({ registered_model: models[0] });
        }),
        http.get(`${API}/model-versions/search`, () => HttpResponse.json({})),
        http.post(`${API}/registered-models/create`, () => {
          models.push({ name: 'fraud-detector', tags: tags as any });
          return HttpResponse.json(
            { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' },
            { status: 400 },
          );
        }),
      );
      const { ctx, outputs } = createActionContext({
        input: { name: 'fraud-detector', owner: 'group:default/ml-team' },
      });
      const outcome = await action.handler(ctx).then(
        () => `reused (created: ${outputs.created})`,
        (error: Error) => error.name,
      );
      expect(outcome).toBe(
        expected === 'reused' ? 'reused (created: false)' : 'NotAllowedError',
      );
    }
  });
});
