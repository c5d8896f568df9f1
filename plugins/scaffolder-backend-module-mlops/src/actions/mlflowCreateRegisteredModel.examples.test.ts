import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { MlflowInstances } from '@mlstack/plugin-mlops-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import yaml from 'yaml';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createMlflowCreateRegisteredModelAction } from './mlflowCreateRegisteredModel';
import { examples } from './mlflowCreateRegisteredModel.examples';

const server = setupServer();
registerMswTestHooks(server);

const API = 'http://mlflow.test/api/2.0/mlflow';
const action = createMlflowCreateRegisteredModelAction({
  mlflow: MlflowInstances.fromConfig(
    new ConfigReader({
      mlops: {
        mlflow: {
          instances: [{ name: 'default', baseUrl: 'http://mlflow.test' }],
        },
      },
    }),
  ),
  initiator: testInitiator({ memberOf: ['group:default/ml-team'] }),
});

describe('mlops:mlflow:create-registered-model examples', () => {
  it.each(examples.map((e, i) => [e.description, i] as const))(
    '%s',
    async (_description, index) => {
      const bodies: any[] = [];
      server.use(
        http.get(`${API}/registered-models/get`, () =>
          HttpResponse.json(
            { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'none' },
            { status: 404 },
          ),
        ),
        http.get(`${API}/model-versions/search`, () => HttpResponse.json({})),
        http.post(`${API}/registered-models/create`, async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json({ registered_model: { name: 'x' } });
        }),
      );
      const step = yaml.parse(examples[index].example).steps[0];
      expect(step.action).toBe(action.id);
      const { ctx, outputs } = createActionContext({ input: step.input });
      await action.handler(ctx);
      expect(bodies).toEqual([
        {
          name: step.input.name,
          ...(step.input.description && {
            description: step.input.description,
          }),
          tags: [
            ...Object.entries(step.input.tags ?? {}).map(([key, value]) => ({
              key,
              value,
            })),
            { key: 'mlstack.io/owner', value: step.input.owner },
          ],
        },
      ]);
      expect(outputs).toEqual({
        name: step.input.name,
        registeredModelUrl: `http://mlflow.test/#/models/${step.input.name}`,
        created: true,
      });
    },
  );
});
