/**
 * Issue #12: a full pass over 1,000 claimed registered models, against a fake MLflow that
 * answers each model after a delay, a fake cluster and a fake catalog paging the claimers (all
 * in one namespace). It checks that the pass reads every model once, lists the claimers'
 * InferenceServices once per page (not once per claimer), that no mutation (what the pass holds
 * at once) carries more than one page of entities, and reports the pass time. `yarn bench
 * catalog-models` runs the same pass against the harness's real MLflow and API server.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { MlflowOwnership } from '@mlstack/plugin-mlops-common';
import { projectEntity, registeredModel } from '../__testUtils__/entities';
import { fakeCatalog, fakeClusters } from '../__testUtils__/fakes';
import { CLAIMER_PAGE_SIZE } from './catalogPages';
import { MlstackModelProvider } from './MlstackModelProvider';

const MODELS = 1000;
/** What one registered-models/get costs the fake MLflow. */
const MLFLOW_LATENCY_MS = 2;
/** The schedule timeout of the portal's config (`timeout: { seconds: 50 }`). */
const SCHEDULE_TIMEOUT_MS = 50_000;

const modelName = (i: number) => `model-${String(i).padStart(4, '0')}`;

function slowRegistry() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    defaultName: 'main',
    get() {
      return {
        async getRegisteredModelSummary(name: string) {
          calls += 1;
          await new Promise(resolve => setTimeout(resolve, MLFLOW_LATENCY_MS));
          return registeredModel(name, {
            'mlstack.io/owner': 'group:default/ml-team',
          });
        },
      };
    },
  };
}

describe('a full pass over 1,000 registered models', () => {
  it('reads every model, holds at most one page of entities at once, and finishes within the schedule', async () => {
    const claimers = Array.from({ length: MODELS }, (_, i) =>
      projectEntity({
        name: `project-${String(i).padStart(4, '0')}`,
        owner: 'ml-team',
        models: modelName(i),
        namespace: 'ml-team',
      }),
    );
    const catalog = fakeCatalog(claimers);
    const registries = slowRegistry();
    const clusters = fakeClusters([]);
    const entitiesPerMutation: number[] = [];
    const connection: EntityProviderConnection = {
      async applyMutation(mutation: EntityProviderMutation) {
        entitiesPerMutation.push(
          mutation.type === 'delta'
            ? mutation.added.length
            : mutation.entities.length,
        );
      },
      refresh: jest.fn(),
    };
    const provider = new MlstackModelProvider({
      catalog,
      auth: { getOwnServiceCredentials: async () => mockCredentials.service() },
      logger: mockServices.logger.mock(),
      registries,
      clusters,
      ownership: new MlflowOwnership({ strict: true }),
      maxModels: MODELS,
    });
    await provider.connect(connection);

    const started = performance.now();
    const result = await provider.refresh();
    const passMs = performance.now() - started;

    expect(result).toMatchObject({
      complete: true,
      models: MODELS,
      claimers: MODELS,
      pages: MODELS / CLAIMER_PAGE_SIZE,
      removed: 0,
    });
    expect(registries.calls).toBe(MODELS);
    expect(clusters.lists).toHaveLength(MODELS / CLAIMER_PAGE_SIZE);
    expect(entitiesPerMutation).toHaveLength(MODELS / CLAIMER_PAGE_SIZE);
    expect(Math.max(...entitiesPerMutation)).toBeLessThanOrEqual(
      CLAIMER_PAGE_SIZE,
    );
    expect(result.largestMutation).toBe(CLAIMER_PAGE_SIZE);
    expect(passMs).toBeLessThan(SCHEDULE_TIMEOUT_MS);

    // The next pass emits the same entities and removes none.
    const second = await provider.refresh();
    expect(second).toMatchObject({ complete: true, removed: 0 });

    // eslint-disable-next-line no-console
    console.log(
      `full pass over ${MODELS} models (MLflow ${MLFLOW_LATENCY_MS} ms a model): ${passMs.toFixed(
        0,
      )} ms, ${result.pages} pages, at most ${Math.max(
        ...entitiesPerMutation,
      )} entities a mutation; ${catalog.queries.length} catalog queries`,
    );
  });
});
