import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { MlflowOwnership } from '@mlstack/plugin-mlops-common';
import { projectEntity, registeredModel } from '../__testUtils__/entities';
import {
  fakeCatalog,
  fakeClusters,
  fakeRegistries,
} from '../__testUtils__/fakes';
import { MlstackModelProvider } from './MlstackModelProvider';

const OWNER = 'mlstack.io/owner';
const mlTeam = { [OWNER]: 'group:default/ml-team' };

const fraudProject = projectEntity({
  name: 'a-fraud',
  owner: 'ml-team',
  models: 'fraud',
});
const riskProject = projectEntity({
  name: 'b-risk',
  owner: 'ml-team',
  models: 'risk',
});
const unrelated = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'web-team' },
};

/** An entity an earlier run of the provider emitted, as the catalog returns it. */
function emittedEarlier(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'mlflow.org/registered-model-name': name,
        'mlstack.io/claimed-by': 'component:default/gone',
      },
    },
    spec: { type: 'ml-model', owner: 'group:default/ml-team' },
  };
}

function provider(options: {
  entities: Entity[];
  registries?: ReturnType<typeof fakeRegistries>;
  maxModels?: number;
  pageSize?: number;
}) {
  const logger = mockServices.logger.mock();
  const mutations: EntityProviderMutation[] = [];
  const connection: jest.Mocked<EntityProviderConnection> = {
    applyMutation: jest.fn(async m => void mutations.push(m)),
    refresh: jest.fn(),
  };
  const catalog = fakeCatalog(options.entities);
  const registries =
    options.registries ??
    fakeRegistries({
      main: {
        fraud: registeredModel('fraud', mlTeam),
        risk: registeredModel('risk', mlTeam),
      },
    });
  const instance = new MlstackModelProvider({
    catalog,
    auth: { getOwnServiceCredentials: async () => mockCredentials.service() },
    logger,
    registries,
    clusters: fakeClusters([]),
    ownership: new MlflowOwnership({ strict: false }),
    maxModels: options.maxModels ?? 10,
    pageSize: options.pageSize ?? 1,
  });
  return { instance, connection, logger, catalog, mutations, registries };
}

/** The refs a delta mutation adds and removes. */
function refsOf(mutation: EntityProviderMutation) {
  if (mutation.type !== 'delta') {
    throw new Error(`expected a delta mutation, got ${mutation.type}`);
  }
  return {
    added: mutation.added.map(
      d => `${d.entity.kind}:${d.entity.metadata.name}@${d.locationKey}`,
    ),
    removed: mutation.removed.map(r => ('entityRef' in r ? r.entityRef : r)),
  };
}

describe('MlstackModelProvider', () => {
  it('applies one delta mutation per page of claimers, read with the fields it needs', async () => {
    const { instance, connection, catalog, mutations } = provider({
      entities: [riskProject, unrelated, fraudProject],
    });
    await instance.connect(connection);
    await expect(instance.refresh()).resolves.toMatchObject({
      complete: true,
      models: 2,
      apis: 0,
      claimers: 2,
      removed: 0,
      largestMutation: 1,
    });
    expect(mutations.map(refsOf)).toEqual([
      { added: ['Resource:main-fraud@mlstack-models'], removed: [] },
      { added: ['Resource:main-risk@mlstack-models'], removed: [] },
    ]);
    const claimerQuery = catalog.queries.find(
      q =>
        'filter' in q &&
        Object.keys(q.filter ?? {}).some(k =>
          k.endsWith('registered-model-name'),
        ),
    );
    expect(claimerQuery).toMatchObject({
      limit: 1,
      orderFields: { field: 'metadata.name', order: 'asc' },
      fields: expect.arrayContaining(['metadata.annotations', 'spec.owner']),
    });
    expect(catalog.queries.every(q => q.limit === 1)).toBe(true);
  });

  it('removes at the end of a pass what an earlier pass emitted and this one did not', async () => {
    const { instance, connection, catalog, mutations } = provider({
      entities: [fraudProject, riskProject],
    });
    await instance.connect(connection);
    await instance.refresh();
    catalog.setEntities([fraudProject]);
    mutations.length = 0;
    await expect(instance.refresh()).resolves.toMatchObject({
      complete: true,
      removed: 1,
    });
    expect(mutations.map(refsOf)).toEqual([
      { added: ['Resource:main-fraud@mlstack-models'], removed: [] },
      { added: [], removed: ['resource:default/main-risk'] },
    ]);
  });

  it('after a start, removes the entities the catalog holds from earlier runs that this pass did not emit', async () => {
    const { instance, connection, mutations } = provider({
      entities: [
        fraudProject,
        emittedEarlier('main-fraud'),
        emittedEarlier('main-gone'),
      ],
    });
    await instance.connect(connection);
    await instance.refresh();
    expect(mutations.map(refsOf).at(-1)).toEqual({
      added: [],
      removed: ['resource:default/main-gone'],
    });
  });

  it('keeps the entities of a page whose MLflow is down, applies the other pages, and removes nothing', async () => {
    const backupProject = projectEntity({
      name: 'c-backup',
      owner: 'ml-team',
      models: 'scores',
      instance: 'backup',
    });
    const { instance, connection, logger, mutations } = provider({
      entities: [fraudProject, backupProject, emittedEarlier('backup-scores')],
      registries: fakeRegistries(
        { main: { fraud: registeredModel('fraud', mlTeam) }, backup: {} },
        { backup: new ServiceUnavailableError('ECONNREFUSED') },
      ),
    });
    await instance.connect(connection);
    await expect(instance.refresh()).resolves.toMatchObject({
      complete: false,
      unavailable: ["MLflow instance 'backup'"],
      removed: 0,
    });
    expect(mutations.map(refsOf)).toEqual([
      { added: ['Resource:main-fraud@mlstack-models'], removed: [] },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      "mlstack-models: MLflow instance 'backup' could not be read; the catalog keeps the model entities of the previous run",
    );
  });

  it('keeps the entities when the only MLflow instance is down, and removes them once it answers without them', async () => {
    const failures: Record<string, Error> = {
      main: new ServiceUnavailableError('ECONNREFUSED'),
    };
    const { instance, connection, mutations } = provider({
      entities: [fraudProject, emittedEarlier('main-fraud')],
      registries: fakeRegistries({ main: {} }, failures),
    });
    await instance.connect(connection);
    await expect(instance.refresh()).resolves.toMatchObject({
      complete: false,
    });
    expect(mutations).toEqual([]);
    delete failures.main;
    await expect(instance.refresh()).resolves.toMatchObject({
      complete: true,
      removed: 1,
    });
    expect(mutations.map(refsOf)).toEqual([
      { added: [], removed: ['resource:default/main-fraud'] },
    ]);
  });

  it('names every claimer of a model claimed on two pages in its entity, the first claim first', async () => {
    const second = projectEntity({
      name: 'z-fraud-too',
      owner: 'ml-team',
      models: 'fraud',
    });
    const { instance, connection, catalog, mutations, registries } = provider({
      entities: [second, fraudProject],
    });
    await instance.connect(connection);
    await instance.refresh();
    const last = mutations.at(-1)!;
    expect(
      last.type === 'delta' && last.added[0].entity.spec?.dependencyOf,
    ).toEqual(['component:default/a-fraud', 'component:default/z-fraud-too']);
    expect(catalog.byRefs).toEqual([['component:default/a-fraud']]);
    expect(registries.calls).toEqual(['main/fraud', 'main/fraud']);
  });

  it('ingests at most maxModels models over the pass; the ones past it are removed', async () => {
    const { instance, connection, logger, catalog, mutations, registries } =
      provider({ entities: [fraudProject, riskProject], maxModels: 1 });
    catalog.setEntities([
      fraudProject,
      riskProject,
      emittedEarlier('main-risk'),
    ]);
    await instance.connect(connection);
    await instance.refresh();
    expect(registries.calls).toEqual(['main/fraud', 'main/risk']);
    expect(mutations.map(refsOf).at(-1)).toEqual({
      added: [],
      removed: ['resource:default/main-risk'],
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'maxModels (1); the last 1 (by page of claiming entities, then claiming entity ref and model name) are left out of this run',
      ),
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
      catalog: fakeCatalog([fraudProject]),
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
      'mlstack-models: the run failed and removed nothing: database is locked',
    );
  });

  it('refuses to run before the catalog connected it', async () => {
    const { instance } = provider({ entities: [] });
    await expect(instance.refresh()).rejects.toThrow(/not connected/);
  });
});
