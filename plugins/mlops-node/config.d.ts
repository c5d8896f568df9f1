export interface Config {
  /** Configuration of the MLStack plugins. */
  mlops?: {
    /** The MLflow tracking servers (and their model registries) the MLOps plugins read. */
    mlflow?: {
      /**
       * Name of the instance used by entities without an `mlflow.org/instance` annotation.
       * Defaults to the first instance.
       */
      defaultInstance?: string;
      /**
       * Timeout of each request to MLflow, in milliseconds (failed reads are retried twice).
       * Defaults to 10000.
       */
      timeoutMs?: number;
      /**
       * The MLflow instances. Without this list there is one instance, `default`, at
       * http://localhost:5000.
       */
      instances?: Array<{
        /**
         * Unique name of the instance, as used in the `mlflow.org/instance` annotation:
         * letters, digits, '.', '_' and '-'.
         */
        name: string;
        /**
         * Base URL of the MLflow tracking server that the backend calls, e.g.
         * `https://mlflow.internal.example.com` (the REST API is under `/api/2.0/mlflow`).
         */
        baseUrl: string;
        /**
         * Base URL of the MLflow UI as browsers reach it, for deep links. Defaults to baseUrl.
         */
        uiUrl?: string;
        /**
         * Bearer token sent as `Authorization: Bearer <token>`. Set either this or
         * username/password.
         * @visibility secret
         */
        token?: string;
        /** User name for basic auth (MLflow's `--app-name basic-auth`); needs password. */
        username?: string;
        /**
         * Password for basic auth; needs username.
         * @visibility secret
         */
        password?: string;
      }>;
    };
  };
}
