import type {
  AuthService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { CatalogPages, CatalogReader } from './catalogPages';
import {
  CollectModelEntitiesDeps,
  ModelPassCollector,
} from './collectModelEntities';

export const MODEL_PROVIDER_NAME = 'mlstack-models';

/**
 * Options of MlstackModelProvider: what it reads (the catalog, MLflow, the clusters), the
 * ownership rule, and its schedule.
 *
 * @public
 */
export interface MlstackModelProviderOptions
  extends Omit<CollectModelEntitiesDeps, 'logger'> {
  catalog: CatalogReader;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  logger: LoggerService;
  /** Runs the provider on its schedule, from the moment the catalog connects it. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** How many claiming entities a page holds (default 100). */
  pageSize?: number;
}

/** The id of the provider's scheduled task. */
export const MODEL_PROVIDER_TASK_ID = 'mlstack-models:refresh';

/**
 * The outcome of one pass, for logs and tests.
 *
 * @public
 */
export interface ModelProviderRunResult {
  /** Whether every page was read: only then are the entities no page emitted removed. */
  complete: boolean;
  /** The upstreams that could not be read (their pages kept their previous entities). */
  unavailable: string[];
  models: number;
  apis: number;
  claimers: number;
  pages: number;
  /** Entity refs removed at the end of the pass. */
  removed: number;
  /** The most entities one mutation carried (what the pass held at once). */
  largestMutation: number;
}

/**
 * Ingests the MLflow registered models that catalog entities claim
 * (`mlflow.org/registered-model-name`) as `Resource` entities of `spec.type: ml-model`, and the
 * KServe InferenceServices serving them as `API` entities. A pass reads the claimers a page at a
 * time and applies each page's entities as a delta mutation; at the end of a pass whose pages
 * were all read, it removes the entities earlier passes emitted and this one did not. Between
 * pages and passes it keeps entity refs only. A page whose MLflow instance or cluster cannot be
 * read changes nothing, and its pass removes nothing.
 *
 * @public
 */
export class MlstackModelProvider implements EntityProvider {
  #connection?: EntityProviderConnection;
  /**
   * The refs the previous passes emitted and may still be in the catalog; undefined until the
   * first pass after a start, which reads them from the catalog.
   */
  #emittedRefs?: Set<string>;
  readonly #catalogPages: CatalogPages;

  constructor(private readonly options: MlstackModelProviderOptions) {
    this.#catalogPages = new CatalogPages(
      options.catalog,
      options.auth,
      options.pageSize,
    );
  }

  getProviderName(): string {
    return MODEL_PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.options.taskRunner?.run({
      id: MODEL_PROVIDER_TASK_ID,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.options.logger.warn(
            `${MODEL_PROVIDER_NAME}: the run failed and removed nothing: ${
              (error as Error).message
            }`,
          );
        }
      },
    });
  }

  /** One pass: page through the claimers, apply each page, then remove what went away. */
  async refresh(): Promise<ModelProviderRunResult> {
    const { logger } = this.options;
    const connection = this.#connection;
    if (!connection) {
      throw new Error(
        `${MODEL_PROVIDER_NAME} is not connected to the catalog yet`,
      );
    }
    const previous =
      this.#emittedRefs ?? (await this.#catalogPages.emittedRefs());
    const emitted = new Set<string>();
    const unavailable = new Set<string>();
    const pass = new ModelPassCollector({ ...this.options, logger }, refs =>
      this.#catalogPages.claimersByRef(refs),
    );
    const counts = { models: 0, apis: 0, claimers: 0, pages: 0 };
    let largestMutation = 0;
    try {
      for await (const claimers of this.#catalogPages.claimerPages()) {
        counts.pages += 1;
        counts.claimers += claimers.length;
        const page = await pass.collectPage(claimers);
        if (page.unavailable.length > 0) {
          page.unavailable.forEach(u => unavailable.add(u));
          continue;
        }
        if (page.entities.length > 0) {
          await connection.applyMutation({
            type: 'delta',
            added: page.entities.map(entity => ({
              entity,
              locationKey: MODEL_PROVIDER_NAME,
            })),
            removed: [],
          });
        }
        largestMutation = Math.max(largestMutation, page.entities.length);
        page.entities.forEach(entity =>
          emitted.add(stringifyEntityRef(entity)),
        );
        counts.models += page.modelCount;
        counts.apis += page.apiCount;
      }
    } catch (error) {
      this.#emittedRefs = union(previous, emitted);
      throw error;
    }
    pass.warnLeftOut();
    const result = {
      ...counts,
      largestMutation,
      unavailable: [...unavailable],
    };
    if (unavailable.size > 0) {
      this.#emittedRefs = union(previous, emitted);
      logger.warn(
        `${MODEL_PROVIDER_NAME}: ${result.unavailable.join(
          ', ',
        )} could not be read; the catalog keeps the model entities of the previous run`,
      );
      return { ...result, complete: false, removed: 0 };
    }
    const gone = [...previous].filter(ref => !emitted.has(ref));
    this.#emittedRefs = union(previous, emitted);
    if (gone.length > 0) {
      await connection.applyMutation({
        type: 'delta',
        added: [],
        removed: gone.map(entityRef => ({
          entityRef,
          locationKey: MODEL_PROVIDER_NAME,
        })),
      });
    }
    this.#emittedRefs = emitted;
    logger.info(
      `${MODEL_PROVIDER_NAME}: ${counts.models} models and ${counts.apis} serving APIs from ${counts.claimers} claiming entities in ${counts.pages} pages; ${gone.length} entities of earlier runs removed`,
    );
    return { ...result, complete: true, removed: gone.length };
  }
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a, ...b]);
}
