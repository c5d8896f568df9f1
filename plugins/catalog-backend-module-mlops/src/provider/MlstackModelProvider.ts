import type {
  AuthService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import type {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { MLFLOW_REGISTERED_MODEL_ANNOTATION } from '@mlstack/plugin-mlops-common';
import {
  collectModelEntities,
  CollectModelEntitiesDeps,
} from './collectModelEntities';

export const MODEL_PROVIDER_NAME = 'mlstack-models';

export interface MlstackModelProviderOptions
  extends Omit<CollectModelEntitiesDeps, 'logger'> {
  catalog: Pick<CatalogService, 'getEntities'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  logger: LoggerService;
  /** Runs the provider on its schedule, from the moment the catalog connects it. */
  taskRunner?: SchedulerServiceTaskRunner;
}

/** The id of the provider's scheduled task. */
export const MODEL_PROVIDER_TASK_ID = 'mlstack-models:refresh';

/** The outcome of one run, for logs and tests. */
export type ModelProviderRunResult =
  | { applied: true; models: number; apis: number }
  | { applied: false; reason: string };

/**
 * Ingests the MLflow registered models that catalog entities claim
 * (`mlflow.org/registered-model-name`) as `Resource` entities of `spec.type: ml-model`, and the
 * KServe InferenceServices serving them as `API` entities, with a full mutation per run (a
 * model or service that went away is removed). A run that cannot read an MLflow instance or a
 * cluster changes nothing and logs a warning naming it.
 */
export class MlstackModelProvider implements EntityProvider {
  #connection?: EntityProviderConnection;

  constructor(private readonly options: MlstackModelProviderOptions) {}

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
            `${MODEL_PROVIDER_NAME}: the run failed and changed nothing: ${
              (error as Error).message
            }`,
          );
        }
      },
    });
  }

  /** One run: read the claimers, MLflow and the clusters, then replace the entities. */
  async refresh(): Promise<ModelProviderRunResult> {
    const { logger } = this.options;
    if (!this.#connection) {
      throw new Error(
        `${MODEL_PROVIDER_NAME} is not connected to the catalog yet`,
      );
    }
    const claimers = await this.readClaimers();
    const collected = await collectModelEntities(claimers, {
      ...this.options,
      logger,
    });
    if (collected.unavailable.length > 0) {
      const reason = `${collected.unavailable.join(', ')} could not be read`;
      logger.warn(
        `${MODEL_PROVIDER_NAME}: ${reason}; the catalog keeps the model entities of the previous run`,
      );
      return { applied: false, reason };
    }
    await this.#connection.applyMutation({
      type: 'full',
      entities: collected.entities.map(entity => ({
        entity,
        locationKey: MODEL_PROVIDER_NAME,
      })),
    });
    logger.info(
      `${MODEL_PROVIDER_NAME}: ${collected.modelCount} models and ${collected.apiCount} serving APIs from ${claimers.length} claiming entities`,
    );
    return {
      applied: true,
      models: collected.modelCount,
      apis: collected.apiCount,
    };
  }

  /** The catalog entities that name registered models, read with the module's own credentials. */
  private async readClaimers(): Promise<Entity[]> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${MLFLOW_REGISTERED_MODEL_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials },
    );
    return items;
  }
}
