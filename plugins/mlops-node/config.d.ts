export interface Config {
  /** Configuration of the MLStack plugins. */
  mlops?: {
    /** The MLflow tracking servers (and their model registries) the MLStack plugins read. */
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
         * Where the server stores what it serves as `mlflow-artifacts:/` (its
         * `--artifacts-destination`, e.g. `s3://mlflow-artifacts`). Deploys hand KServe
         * `<artifactsDestination>/<path>` for a model at `mlflow-artifacts:/<path>`.
         */
        artifactsDestination?: string;
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
    /**
     * The Kubernetes clusters whose Argo Workflows and KServe InferenceServices the MLStack
     * plugins read. Without this list there is one cluster, `default`: the backend's own
     * service account when it runs in a pod, else the current context of its kubeconfig.
     * Only the clusters listed here are ever contacted.
     */
    kubernetes?: {
      /**
       * The most one Kubernetes API call may take (from the request to the end of the answer):
       * a number of milliseconds, or a duration such as `5s`, `PT5S` or `{ seconds: 5 }`.
       * A call that takes longer is aborted and answered with 504, naming the cluster and
       * the timeout. Watches are not bound by it, but must start answering within it.
       * Defaults to 5 seconds; at most 10 minutes.
       */
      requestTimeout?:
        | number
        | string
        | {
            milliseconds?: number;
            seconds?: number;
            minutes?: number;
            hours?: number;
          };
      clusters?: Array<{
        /**
         * Unique name of the cluster: letters, digits, '.', '_' and '-'. The first cluster is
         * the default.
         */
        name: string;
        /**
         * A context of the backend's kubeconfig (KUBECONFIG, else ~/.kube/config) to use for
         * this cluster. Set either this or url.
         */
        kubeconfigContext?: string;
        /** URL of the cluster's API server, e.g. `https://10.0.0.1:6443`. Set either this or kubeconfigContext. */
        url?: string;
        /**
         * Bearer token of the service account the backend acts as (with url).
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * CA certificate of the API server (with url): PEM, or its base64 as in a
         * kubeconfig's certificate-authority-data.
         */
        caData?: string;
        /** Skip verifying the API server's certificate (with url; for development only). */
        skipTLSVerify?: boolean;
      }>;
    };
    /**
     * Who owns what the portal did not create itself. Objects the MLStack plugins create carry
     * their owner as `mlstack.io/owner` (a bucket or experiment tag, a namespace annotation).
     */
    ownership?: {
      /**
       * MLflow experiments and registered models without an `mlstack.io/owner` tag (those of a
       * server that predates the portal) are shown to any entity that names them, marked
       * "unclaimed". True refuses them too. Objects tagged for another owner are always refused.
       * Namespaces always need an owner (their annotation, or `namespaces` below).
       */
      strict?: boolean;
      /**
       * Existing Kubernetes namespaces without an `mlstack.io/owner` annotation and the owner
       * they belong to. The scaffolder's `mlops:kubernetes:apply` applies into such a
       * namespace only for the owner listed here; a namespace may be listed for one owner per
       * cluster.
       */
      namespaces?: Array<{
        /** The owner's entity ref, e.g. `group:default/ml-team` (without kind: a Group). */
        owner: string;
        /** A cluster name of `mlops.kubernetes.clusters`; every cluster when absent. */
        cluster?: string;
        /** Namespace names (exact). */
        namespaces: string[];
      }>;
    };
  };
}
