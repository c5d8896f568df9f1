import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

export const MODEL_PROVIDER_CONFIG_KEY = 'catalog.providers.mlstackModels';
export const DEFAULT_MAX_MODELS = 500;

/** `catalog.providers.mlstackModels`, validated. */
export interface ModelProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  maxModels: number;
}

/**
 * The provider's config, or undefined when it is off (the key is absent, or `enabled: false`).
 * Throws an error naming the key when the schedule or `maxModels` is invalid.
 */
export function readModelProviderConfig(
  config: Config,
): ModelProviderConfig | undefined {
  const provider = config.getOptionalConfig(MODEL_PROVIDER_CONFIG_KEY);
  if (!provider || provider.getOptionalBoolean('enabled') === false) {
    return undefined;
  }
  if (!provider.has('schedule')) {
    throw new Error(
      `Invalid config at '${MODEL_PROVIDER_CONFIG_KEY}.schedule': the provider needs a schedule, e.g. { frequency: { minutes: 5 }, timeout: { minutes: 3 } }`,
    );
  }
  const schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
    provider.getConfig('schedule'),
  );
  const maxModels =
    provider.getOptionalNumber('maxModels') ?? DEFAULT_MAX_MODELS;
  if (!Number.isInteger(maxModels) || maxModels < 1) {
    throw new Error(
      `Invalid config at '${MODEL_PROVIDER_CONFIG_KEY}.maxModels': ${maxModels} must be a whole number of at least 1`,
    );
  }
  return { schedule, maxModels };
}
