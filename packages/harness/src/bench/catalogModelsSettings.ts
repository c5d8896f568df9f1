/**
 * The model provider's settings the catalog-models bench runs it with and reports: its
 * schedule and maxModels as the portal reads them from app-config.yaml, and its page size and
 * read concurrency. Those are the module's internals (not exported by its index): the bench
 * reads them from its source so that the report names the values the provider really uses.
 */
import type { Config } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { readModelProviderConfig } from '@mlstack/plugin-catalog-backend-module-mlops/src/config';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { CLAIMER_PAGE_SIZE } from '@mlstack/plugin-catalog-backend-module-mlops/src/provider/catalogPages';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { MODEL_READ_CONCURRENCY } from '@mlstack/plugin-catalog-backend-module-mlops/src/provider/collectModelEntities';

export interface ProviderSettings {
  timeoutMs: number;
  /** undefined for a cron or manual schedule */
  frequencyMs: number | undefined;
  /** What the bench runs with: every claimed model is ingested. */
  maxModels: number;
  configuredMaxModels: number;
  pageSize: number;
  modelReadConcurrency: number;
}

/** A schedule's duration (a HumanDuration as config gives it, or a luxon Duration). */
function toMs(duration: HumanDuration | { toMillis(): number }): number {
  return 'toMillis' in duration && typeof duration.toMillis === 'function'
    ? duration.toMillis()
    : durationToMilliseconds(duration as HumanDuration);
}

/** The settings, or an error when the app config does not configure the provider. */
export function providerSettings(
  appConfig: Config,
  appConfigPath: string,
  claimers: number,
): ProviderSettings {
  const config = readModelProviderConfig(appConfig);
  if (!config) {
    throw new Error(`${appConfigPath} does not configure the model provider`);
  }
  const { frequency, timeout } = config.schedule;
  return {
    timeoutMs: toMs(timeout),
    frequencyMs:
      'cron' in frequency || 'trigger' in frequency
        ? undefined
        : toMs(frequency),
    // The portal's maxModels, if lower, would leave some out of the catalog; the pass reads
    // them from MLflow all the same.
    maxModels: Math.max(config.maxModels, claimers),
    configuredMaxModels: config.maxModels,
    pageSize: CLAIMER_PAGE_SIZE,
    modelReadConcurrency: MODEL_READ_CONCURRENCY,
  };
}
