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
         * The most registered models (claims, each an entity naming a model) one run reads
         * from MLflow; past it the claims are sorted by entity ref and model name and the rest
         * are left out of that run (and so out of the catalog), with a warning naming how many.
         * Default: 500.
         */
        maxModels?: number;
      };
    };
  };
}
