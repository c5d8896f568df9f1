export interface Config {
  /** Backstage's permission framework; MLStack actions are refused unless it is enabled. */
  permission?: {
    enabled?: boolean;
  };
  mlops?: {
    permissions?: {
      /**
       * Services (static or JWKS external access tokens, other backend plugins) that may take
       * MLStack actions. Backstage's permission system lets every service principal through, so
       * the MLStack backend refuses a service any action not granted here.
       */
      serviceGrants?: Array<{
        /** The service's subject, e.g. the `subject` of a static external access token. */
        subject: string;
        /** MLStack permission names, e.g. `mlops.argo.workflow.submit`. */
        permissions: string[];
        /**
         * Only on entities owned by one of these (entity refs, e.g. `group:default/ml-team`);
         * every entity when absent.
         */
        owners?: string[];
      }>;
    };
    /** Self-service deploys of MLflow models to KServe (the deploy dialog and `mlops:kserve:deploy`). */
    deploy?: {
      /**
       * Where models may be deployed. A deploy to a cluster and namespace not listed here is
       * refused; without this list no deploy is allowed. A namespace may be listed once per
       * cluster. The namespace must still belong to the entity's owner (its `mlstack.io/owner`
       * annotation, or `mlops.ownership.namespaces`).
       */
      targets?: Array<{
        /** A name of `mlops.kubernetes.clusters`. */
        cluster: string;
        /** Namespaces of that cluster (exact names, no patterns). */
        namespaces: string[];
        /**
         * The KServe deployment modes allowed there, the first being the default. Defaults to
         * both, Standard first.
         */
        modes?: Array<'Standard' | 'Knative'>;
        /**
         * The service account the predictor runs as (the one holding the storage credentials,
         * e.g. for s3:// URIs); KServe's default when absent.
         */
        serviceAccountName?: string;
        /**
         * Other service accounts a deploy may ask for instead (an entity's
         * `mlstack.io/kserve-service-account` annotation, the `serviceAccountName` input of
         * `mlops:kserve:deploy`); names (DNS-1123 subdomains) of the target's namespace. A
         * request for any account not listed here nor in `serviceAccountName` is refused.
         */
        serviceAccountNames?: string[];
      }>;
    };
  };
}
