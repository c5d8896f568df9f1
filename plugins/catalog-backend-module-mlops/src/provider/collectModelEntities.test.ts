import { MAX_CLAIMS_PER_ENTITY } from './claims';
import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { sklearnIris } from '@internal/harness';
import { MlflowOwnership } from '@mlstack/plugin-mlops-common';
import {
  projectEntity,
  registeredModel,
  servedRecord,
} from '../__testUtils__/entities';
import { fakeClusters, fakeRegistries } from '../__testUtils__/fakes';
import { collectModelEntities } from './collectModelEntities';

const OWNER = 'mlstack.io/owner';
const mlTeam = { [OWNER]: 'group:default/ml-team' };

const fraudProject = projectEntity({
  name: 'fraud-detector',
  owner: 'ml-team',
  models: 'fraud, risk-scorer',
  namespace: 'ml-team',
});

/** sklearn-iris as the portal deploys it for `entityName`, serving `model` version `version`. */
function deployed(
  name: string,
  entityName: string,
  model: string,
  version: string,
) {
  const object = sklearnIris('ml-team', {
    'backstage.io/kubernetes-id': entityName,
  });
  object.metadata.name = name;
  object.metadata.annotations = {
    'mlstack.io/served-model': JSON.stringify(
      servedRecord('main', model, version),
    ),
    'mlstack.io/entity-ref': `component:default/${entityName}`,
  };
  return object;
}

function deps(options: {
  registries?: ReturnType<typeof fakeRegistries>;
  clusters?: ReturnType<typeof fakeClusters>;
  maxModels?: number;
}) {
  return {
    registries:
      options.registries ??
      fakeRegistries({
        main: {
          fraud: registeredModel('fraud', mlTeam, 'Fraud scores'),
          'risk-scorer': registeredModel('risk-scorer', {
            [OWNER]: 'group:default/risk-team',
          }),
        },
      }),
    clusters: options.clusters ?? fakeClusters([]),
    ownership: new MlflowOwnership({ strict: false }),
    logger: mockServices.logger.mock(),
    maxModels: options.maxModels ?? 100,
  };
}

describe('collectModelEntities', () => {
  it('emits the claimed model owned by the claimer’s owner, and refuses another team’s model with the reason', async () => {
    const d = deps({});
    const result = await collectModelEntities([fraudProject], d);
    expect(result.unavailable).toEqual([]);
    expect(result.entities.map(e => stringifyEntityRef(e))).toEqual([
      'resource:default/main-fraud',
    ]);
    expect(result.entities[0].spec).toMatchObject({
      owner: 'group:default/ml-team',
      dependencyOf: ['component:default/fraud-detector'],
    });
    expect(d.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /Not ingesting it for component:default\/fraud-detector: Registered model 'risk-scorer'.*belongs to group:default\/risk-team/,
      ),
    );
  });

  it('emits an API for each service deployed for the claimer serving the model, provided by the model', async () => {
    const clusters = fakeClusters([
      deployed('fraud-v2', 'fraud-detector', 'fraud', '2'),
      deployed('other-model', 'fraud-detector', 'something-else', '1'),
      deployed('someone-elses', 'other-project', 'fraud', '1'),
    ]);
    const result = await collectModelEntities(
      [fraudProject],
      deps({ clusters }),
    );
    expect(result.entities.map(e => stringifyEntityRef(e))).toEqual([
      'resource:default/main-fraud',
      'api:default/default-ml-team-fraud-v2',
    ]);
    expect(result.entities[0].spec?.providesApis).toEqual([
      'api:default/default-ml-team-fraud-v2',
    ]);
    expect(result.entities[0].metadata.annotations).toMatchObject({
      'mlstack.io/kserve-inference-service': 'fraud-v2',
    });
    expect(result.entities[1].spec?.owner).toBe('group:default/ml-team');
    expect(clusters.lists).toEqual([
      'ml-team?backstage.io/kubernetes-id=fraud-detector',
    ]);
  });

  it('lists the services of the claimers sharing a namespace with one call, each keeping its own', async () => {
    const churnProject = projectEntity({
      name: 'churn-project',
      owner: 'ml-team',
      models: 'churn',
      namespace: 'ml-team',
    });
    const mislabelled = deployed('mislabelled', 'fraud-detector', 'churn', '1');
    mislabelled.metadata.annotations['mlstack.io/entity-ref'] =
      'component:default/churn-project';
    const clusters = fakeClusters([
      deployed('fraud-v2', 'fraud-detector', 'fraud', '2'),
      deployed('churn-v1', 'churn-project', 'churn', '1'),
      mislabelled,
    ]);
    const registries = fakeRegistries({
      main: {
        fraud: registeredModel('fraud', mlTeam),
        churn: registeredModel('churn', mlTeam),
      },
    });
    const result = await collectModelEntities(
      [fraudProject, churnProject],
      deps({ registries, clusters }),
    );
    expect(clusters.lists).toEqual([
      'ml-team?backstage.io/kubernetes-id in (churn-project,fraud-detector)',
    ]);
    const models = Object.fromEntries(
      result.entities
        .filter(e => e.kind === 'Resource')
        .map(e => [e.metadata.title, e.spec?.providesApis]),
    );
    expect(models).toEqual({
      churn: ['api:default/default-ml-team-churn-v1'],
      fraud: ['api:default/default-ml-team-fraud-v2'],
    });
  });

  it('emits one API for a service whose canary serves a second claimed model, provided by both', async () => {
    const service = deployed('fraud-v2', 'fraud-detector', 'fraud', '2');
    service.metadata.annotations['mlstack.io/canary-model'] = JSON.stringify(
      servedRecord('main', 'fraud-challenger', '1'),
    );
    const registries = fakeRegistries({
      main: {
        fraud: registeredModel('fraud', mlTeam),
        'fraud-challenger': registeredModel('fraud-challenger', mlTeam),
      },
    });
    const project = projectEntity({
      name: 'fraud-detector',
      owner: 'ml-team',
      models: 'fraud, fraud-challenger',
      namespace: 'ml-team',
    });
    const result = await collectModelEntities(
      [project],
      deps({ registries, clusters: fakeClusters([service]) }),
    );
    expect(result.entities.map(e => stringifyEntityRef(e))).toEqual([
      'resource:default/main-fraud',
      'api:default/default-ml-team-fraud-v2',
      'resource:default/main-fraud-challenger',
    ]);
    expect(result.entities[2].spec?.providesApis).toEqual([
      'api:default/default-ml-team-fraud-v2',
    ]);
  });

  it('ingests at most maxModels models and says how many it left out', async () => {
    const registries = fakeRegistries({
      main: {
        a: registeredModel('a', mlTeam),
        b: registeredModel('b', mlTeam),
        c: registeredModel('c', mlTeam),
      },
    });
    const project = projectEntity({
      name: 'p',
      owner: 'ml-team',
      models: 'c,a,b',
    });
    const d = deps({ registries, maxModels: 2 });
    const result = await collectModelEntities([project], d);
    expect(result.modelCount).toBe(2);
    expect(
      result.entities
        .filter(e => e.kind === 'Resource')
        .map(e => e.metadata.title),
    ).toEqual(['a', 'b']);
    expect(d.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'the last 1 (by page of claiming entities, then claiming entity ref and model name) are left out',
      ),
    );
  });

  it('does not count names MLflow lacks against maxModels (claims cannot crowd out real models)', async () => {
    const registries = fakeRegistries({
      main: { real: registeredModel('real', mlTeam) },
    });
    const noise = projectEntity({
      name: 'aaa',
      owner: 'other-team',
      models: 'x1,x2,x3',
    });
    const project = projectEntity({
      name: 'zz-fraud',
      owner: 'ml-team',
      models: 'real',
    });
    const result = await collectModelEntities(
      [noise, project],
      deps({ registries, maxModels: 1 }),
    );
    expect(result.modelCount).toBe(1);
    expect(result.entities[0].metadata.title).toBe('real');
  });

  it('reads at most MAX_CLAIMS_PER_ENTITY names of one entity, and says so', async () => {
    const registries = fakeRegistries({ main: {} });
    const names = Array.from(
      { length: MAX_CLAIMS_PER_ENTITY + 5 },
      (_, i) => `m${String(i).padStart(2, '0')}`,
    );
    const project = projectEntity({
      name: 'greedy',
      owner: 'ml-team',
      models: names.join(','),
    });
    const d = deps({ registries });
    await collectModelEntities([project], d);
    expect(registries.calls).toHaveLength(MAX_CLAIMS_PER_ENTITY);
    expect(d.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `names ${MAX_CLAIMS_PER_ENTITY + 5} registered models`,
      ),
    );
  });

  it('ingests no entity for an untagged model that entities of two owners claim', async () => {
    const registries = fakeRegistries({
      main: { fraud: registeredModel('fraud') },
    });
    const intruder = projectEntity({
      name: 'aaa',
      owner: 'other-team',
      models: 'fraud',
    });
    const d = deps({ registries });
    const result = await collectModelEntities([intruder, fraudProject], d);
    expect(result.entities).toEqual([]);
    expect(d.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /Not ingesting registered model 'fraud'.*no mlstack\.io\/owner tag and entities of 2 owners claim it/,
      ),
    );
  });

  it('does not treat the entities it emitted as claimers', async () => {
    const first = await collectModelEntities([fraudProject], deps({}));
    const registries = fakeRegistries({
      main: { fraud: registeredModel('fraud', mlTeam) },
    });
    await collectModelEntities(first.entities, deps({ registries }));
    expect(registries.calls).toEqual([]);
  });

  it('reports an MLflow instance that cannot be read, and skips a model MLflow does not have', async () => {
    const registries = fakeRegistries(
      { main: {}, backup: {} },
      { backup: new ServiceUnavailableError('connect ECONNREFUSED') },
    );
    const projects = [
      projectEntity({ name: 'a', owner: 'ml-team', models: 'gone' }),
      projectEntity({
        name: 'b',
        owner: 'ml-team',
        models: 'x',
        instance: 'backup',
      }),
    ];
    const result = await collectModelEntities(projects, deps({ registries }));
    expect(result.unavailable).toEqual(["MLflow instance 'backup'"]);
    expect(result.entities).toEqual([]);
  });

  it('reports a cluster that cannot be read', async () => {
    const clusters = fakeClusters([], new ServiceUnavailableError('timed out'));
    // The list covers both claimers; the one whose model MLflow lacks never asks for it.
    const unknownModel = projectEntity({
      name: 'aaa',
      owner: 'ml-team',
      models: 'not-registered',
      namespace: 'ml-team',
    });
    const result = await collectModelEntities(
      [unknownModel, fraudProject],
      deps({ clusters }),
    );
    expect(result.unavailable).toEqual(["Kubernetes cluster 'default'"]);
    expect(clusters.lists).toEqual([
      'ml-team?backstage.io/kubernetes-id in (aaa,fraud-detector)',
    ]);
  });
});
