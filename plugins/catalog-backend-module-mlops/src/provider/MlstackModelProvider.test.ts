import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { MlflowOwnership } from '@mlstack/plugin-mlops-common';
import { projectEntity, registeredModel } from '../__testUtils__/entities';
import { fakeClusters, fakeRegistries } from '../__testUtils__/fakes';
import { MlstackModelProvider } from './MlstackModelProvider';

const project = projectEntity({
  name: 'fraud-detector',
  owner: 'ml-team',
  models: 'fraud',
});
const unrelated = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'web-team' },
};

function provider(registries: ReturnType<typeof fakeRegistries>) {
  const logger = mockServices.logger.mock();
  const connection: jest.Mocked<EntityProviderConnection> = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  };
  const instance = new MlstackModelProvider({
    catalog: catalogServiceMock({ entities: [project, unrelated] }),
    auth: { getOwnServiceCredentials: async () => mockCredentials.service() },
    logger,
    registries,
    clusters: fakeClusters([]),
    ownership: new MlflowOwnership({ strict: false }),
    maxModels: 10,
  });
  return { instance, connection, logger };
}

describe('MlstackModelProvider', () => {
  it('replaces its entities with a full mutation of the claimed models', async () => {
    const { instance, connection } = provider(
      fakeRegistries({ main: { fraud: registeredModel('fraud', {}) } }),
    );
    await instance.connect(connection);
    await expect(instance.refresh()).resolves.toEqual({
      applied: true,
      models: 1,
      apis: 0,
    });
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [
        {
          locationKey: 'mlstack-models',
          entity: expect.objectContaining({
            kind: 'Resource',
            metadata: expect.objectContaining({ name: 'main-fraud' }),
          }),
        },
      ],
    });
  });

  it('keeps the previous entities when MLflow is down, and names the instance in a warning', async () => {
    const { instance, connection, logger } = provider(
      fakeRegistries(
        { main: {} },
        { main: new ServiceUnavailableError('ECONNREFUSED') },
      ),
    );
    await instance.connect(connection);
    const result = await instance.refresh();
    expect(result).toEqual({
      applied: false,
      reason: "MLflow instance 'main' could not be read",
    });
    expect(connection.applyMutation).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      "mlstack-models: MLflow instance 'main' could not be read; the catalog keeps the model entities of the previous run",
    );
  });

  it('schedules its runs when the catalog connects it, and logs a run that fails', async () => {
    const tasks: Array<{ id: string; fn: () => Promise<void> }> = [];
    const logger = mockServices.logger.mock();
    const connection: jest.Mocked<EntityProviderConnection> = {
      applyMutation: jest
        .fn()
        .mockRejectedValue(new Error('database is locked')),
      refresh: jest.fn(),
    };
    const instance = new MlstackModelProvider({
      catalog: catalogServiceMock({ entities: [project] }),
      auth: { getOwnServiceCredentials: async () => mockCredentials.service() },
      logger,
      registries: fakeRegistries({
        main: { fraud: registeredModel('fraud', {}) },
      }),
      clusters: fakeClusters([]),
      ownership: new MlflowOwnership({ strict: false }),
      maxModels: 10,
      taskRunner: {
        run: async (task: { id: string; fn: () => Promise<void> }) =>
          void tasks.push(task),
      },
    });
    expect(tasks).toEqual([]);
    await instance.connect(connection);
    expect(tasks.map(t => t.id)).toEqual(['mlstack-models:refresh']);
    await expect(tasks[0].fn()).resolves.toBeUndefined();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'mlstack-models: the run failed and changed nothing: database is locked',
    );
  });

  it('refuses to run before the catalog connected it', async () => {
    const { instance } = provider(fakeRegistries({ main: {} }));
    await expect(instance.refresh()).rejects.toThrow(/not connected/);
  });
});
