import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The MLStack model provider: the MLflow registered models that catalog entities claim
       * (annotation `mlflow.org/registered-model-name`) become `Resource` entities of
       * `spec.type: ml-model`, and the KServe InferenceServices serving them `API` entities.
       * Off unless this key is set. MLflow instances and clusters come from `mlops.mlflow` and
       * `mlops.kubernetes`.
       */
      mlstackModels?: {
        /** Set to false to keep the config but turn the provider off. Default: true. */
        enabled?: boolean;
        /** How often the provider runs, and how long one run may take. */
        schedule: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * The most registered models one run ingests (models found in MLflow and accepted,
         * counted in the pass's order: page by page, then by claiming entity ref and model
         * name); models past it are still read, then left out of that run (and so out of the
         * catalog) with a warning naming how many. A name MLflow does not have costs nothing;
         * an entity's names past 20 are not read at all. Default: 500.
         */
        maxModels?: number;
      };
    };
  };
}
