export interface Config {
  /** Backstage's permission framework; MLOps actions are refused unless it is enabled. */
  permission?: {
    enabled?: boolean;
  };
  mlops?: {
    permissions?: {
      /**
       * Services (static or JWKS external access tokens, other backend plugins) that may take
       * MLOps actions. Backstage's permission system lets every service principal through, so
       * the MLOps backend refuses a service any action not granted here.
       */
      serviceGrants?: Array<{
        /** The service's subject, e.g. the `subject` of a static external access token. */
        subject: string;
        /** MLOps permission names, e.g. `mlops.argo.workflow.submit`. */
        permissions: string[];
        /**
         * Only on entities owned by one of these (entity refs, e.g. `group:default/ml-team`);
         * every entity when absent.
         */
        owners?: string[];
      }>;
    };
  };
}
