import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MlflowClient } from './MlflowClient';
import { MlflowInstances } from './MlflowInstances';
import { restExperiment } from './__testUtils__/restFixtures';

const server = setupServer();
registerMswTestHooks(server);

const config = new ConfigReader({
  mlops: {
    mlflow: {
      defaultInstance: 'research',
      instances: [
        {
          name: 'prod',
          baseUrl: 'http://prod.test',
          uiUrl: 'https://mlflow.example.com',
          token: 'prod-token',
        },
        { name: 'research', baseUrl: 'http://research.test/' },
      ],
    },
  },
});

describe('MlflowInstances', () => {
  it('offers one local instance named default without config', () => {
    const instances = MlflowInstances.fromConfig(new ConfigReader({}));
    expect(instances.names()).toEqual(['default']);
    expect(instances.defaultName).toBe('default');
    const client = instances.get();
    expect(client).toBeInstanceOf(MlflowClient);
    expect(client).toMatchObject({
      name: 'default',
      uiBaseUrl: 'http://localhost:5000',
    });
  });

  it('lists the configured names and hands out the default for no or an empty name', () => {
    const instances = MlflowInstances.fromConfig(config);
    expect(instances.names()).toEqual(['prod', 'research']);
    expect(instances.defaultName).toBe('research');
    expect(instances.get().name).toBe('research');
    expect(instances.get('').name).toBe('research');
    expect(instances.get('prod')).toMatchObject({
      name: 'prod',
      uiBaseUrl: 'https://mlflow.example.com',
    });
    expect(instances.get('prod')).toBe(instances.get('prod'));
  });

  it('rejects an unknown name with an InputError that lists the configured ones', () => {
    const instances = MlflowInstances.fromConfig(config);
    expect(() => instances.get('staging')).toThrow(
      new InputError(
        "Unknown MLflow instance 'staging'; the configured instances are: prod, research",
      ),
    );
  });

  it('throws the config error naming the key', () => {
    expect(() =>
      MlflowInstances.fromConfig(
        new ConfigReader({ mlops: { mlflow: { defaultInstance: 'x' } } }),
      ),
    ).toThrow("Invalid config at 'mlops.mlflow.defaultInstance'");
  });

  it('gives each client its own base URL and credentials', async () => {
    const seen: Array<[string, string | null]> = [];
    server.use(
      http.get('*/api/2.0/mlflow/experiments/get', ({ request }) => {
        seen.push([
          new URL(request.url).host,
          request.headers.get('authorization'),
        ]);
        return HttpResponse.json({ experiment: restExperiment() });
      }),
    );
    const instances = MlflowInstances.fromConfig(config);
    await instances.get('prod').getExperiment('3');
    await instances.get('research').getExperiment('3');
    expect(seen).toEqual([
      ['prod.test', 'Bearer prod-token'],
      ['research.test', null],
    ]);
  });
});
