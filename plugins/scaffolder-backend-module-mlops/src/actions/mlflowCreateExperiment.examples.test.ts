import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { MlflowInstances } from '@mlstack/plugin-mlops-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import yaml from 'yaml';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createMlflowCreateExperimentAction } from './mlflowCreateExperiment';
import { examples } from './mlflowCreateExperiment.examples';

const server = setupServer();
registerMswTestHooks(server);

const API = 'http://mlflow.test/api/2.0/mlflow';
const action = createMlflowCreateExperimentAction({
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

describe('mlops:mlflow:create-experiment examples', () => {
  it.each(examples.map((e, i) => [e.description, i] as const))(
    '%s',
    async (_description, index) => {
      const bodies: any[] = [];
      server.use(
        http.get(`${API}/experiments/get-by-name`, () =>
          HttpResponse.json(
            { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'none' },
            { status: 404 },
          ),
        ),
        http.post(`${API}/experiments/create`, async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json({ experiment_id: '12' });
        }),
      );
      const step = yaml.parse(examples[index].example).steps[0];
      expect(step.action).toBe(action.id);
      const { ctx, outputs } = createActionContext({ input: step.input });
      await action.handler(ctx);
      expect(bodies).toEqual([
        {
          name: step.input.name,
          ...(step.input.artifactLocation && {
            artifact_location: step.input.artifactLocation,
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
        experimentId: '12',
        experimentUrl: 'http://mlflow.test/#/experiments/12',
        created: true,
      });
    },
  );
});
