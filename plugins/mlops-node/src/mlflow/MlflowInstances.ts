import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { MlflowConfig, readMlflowConfig } from './config';
import { MlflowClient } from './MlflowClient';

/**
 * Options of MlflowInstances.fromConfig.
 *
 * @public
 */
export interface MlflowInstancesOptions {
  /** Retries are logged here at warn level. */
  logger?: LoggerService;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** See MlflowClientOptions.retryDelaysMs. */
  retryDelaysMs?: number[];
}

/**
 * The MLflow instances configured under `mlops.mlflow`, one client each. Entities pick one
 * with the `mlflow.org/instance` annotation; without it they get the default instance.
 *
 * @public
 */
export class MlflowInstances {
  /** `mlops.mlflow.defaultInstance`, or the first configured instance. */
  readonly defaultName: string;
  readonly #clients: Map<string, MlflowClient>;

  /**
   * Reads and validates `mlops.mlflow`; throws an error naming the config key if it is
   * invalid. Without any config there is one instance, `default`, at http://localhost:5000.
   */
  static fromConfig(
    config: Config,
    options: MlflowInstancesOptions = {},
  ): MlflowInstances {
    return new MlflowInstances(readMlflowConfig(config), options);
  }

  private constructor(config: MlflowConfig, options: MlflowInstancesOptions) {
    this.defaultName = config.defaultInstance;
    this.#clients = new Map(
      config.instances.map(instance => [
        instance.name,
        new MlflowClient({
          name: instance.name,
          baseUrl: instance.baseUrl,
          uiUrl: instance.uiUrl,
          credentials: instance.credentials,
          artifactsDestination: instance.artifactsDestination,
          timeoutMs: config.timeoutMs,
          retryDelaysMs: options.retryDelaysMs,
          fetch: options.fetch,
          logger: options.logger,
        }),
      ]),
    );
  }

  /** The configured instance names, in config order. */
  names(): string[] {
    return Array.from(this.#clients.keys());
  }

  /**
   * The client of the named instance, or of the default one when no name (or an empty one) is
   * given. An unknown name is an InputError that lists the configured names.
   */
  get(name?: string): MlflowClient {
    const wanted = name?.trim() || this.defaultName;
    const client = this.#clients.get(wanted);
    if (!client) {
      throw new InputError(
        `Unknown MLflow instance '${wanted}'; the configured instances are: ${this.names().join(
          ', ',
        )}`,
      );
    }
    return client;
  }
}
