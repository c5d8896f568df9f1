export interface Config {
  mlops?: {
    /**
     * The S3 API (MinIO, or AWS S3) where `mlops:s3:create-bucket` creates buckets, and whose
     * credentials `mlops:kubernetes:apply` puts in a KServe Secret (`s3Credentials`). Without
     * it those two fail with an error saying so. endpoint, accessKeyId and secretAccessKey
     * are all needed; they are optional here so that a backend whose credentials come from
     * unset environment variables still starts (the module then logs a warning).
     */
    s3?: {
      /**
       * Endpoint URL of the S3 API as the backend reaches it, e.g. `http://localhost:9000`.
       */
      endpoint?: string;
      /**
       * The S3 endpoint as pods in the cluster reach it, for the KServe Secret of
       * `mlops:kubernetes:apply` (`serving.kserve.io/s3-endpoint`, `-usehttps`), e.g.
       * `http://minio.minio.svc.cluster.local:9000` when the backend reaches MinIO through a
       * port-forward at `http://localhost:9000`. Defaults to endpoint.
       */
      clusterEndpoint?: string;
      /** Region of the buckets; `us-east-1` by default (what MinIO expects). */
      region?: string;
      /** Access key id of the account that owns the buckets. */
      accessKeyId?: string;
      /**
       * Secret access key of that account.
       * @visibility secret
       */
      secretAccessKey?: string;
      /** Path-style requests (`endpoint/bucket`), as MinIO needs; `true` by default. */
      forcePathStyle?: boolean;
    };
    /** Plain Git remotes for `mlops:publish:git`. */
    git?: {
      /**
       * Absolute directories under which `mlops:publish:git` may create and push to bare
       * repositories on the backend's disk (remotes given as a path or file:// URL). Without
       * it, only http(s) remotes can be used.
       */
      allowedRoots?: string[];
      /**
       * Host names (no scheme, port or path; any port) of the http(s) Git servers
       * `mlops:publish:git` may push to, e.g. `git.example.com`. Without it, http(s) remotes
       * are refused. git follows no redirects, so the push goes to the host checked.
       */
      allowedHosts?: string[];
      /**
       * Where `mlops:publish:git` creates a repository given only by name (its `repoName`
       * input): `<defaultRemoteBase>/<repoName>.git`, e.g. `http://127.0.0.1:3001/mlstack`, a
       * Gitea organisation of `integrations.gitea`. Its host must be in allowedHosts.
       */
      defaultRemoteBase?: string;
    };
    /** What the MLStack scaffolder actions may do on behalf of a template run. */
    scaffolder?: {
      /**
       * Whether a task started by a service rather than a user (no user credentials, e.g. a
       * task created through the API with a service token) may claim buckets, experiments and
       * namespaces for any owner. `false` by default: the user who runs a template must be the
       * `owner` it names, or a member of it.
       */
      allowServiceInitiators?: boolean;
      /** Limits of `mlops:kubernetes:apply`. */
      kubernetesApply?: {
        /**
         * The namespaces it may write to, as glob patterns (`*`: any characters) per cluster,
         * e.g. `[{ cluster: minikube, patterns: ['ml-*', 'team-*'] }]`. An entry without
         * cluster applies to every cluster. Without this list it refuses every namespace.
         */
        namespaces?: Array<{
          /** A cluster name of `mlops.kubernetes.clusters`; every cluster when absent. */
          cluster?: string;
          /** Namespace patterns: lower-case letters, digits, '-' and '*'. */
          patterns: string[];
        }>;
        /**
         * Secret types a manifest may have besides `Opaque`, e.g. `kubernetes.io/tls`. Keep
         * `kubernetes.io/service-account-token` out: it mints a token of any service account
         * of the namespace.
         */
        secretTypes?: string[];
        /**
         * Names of existing ServiceAccounts a manifest may run pods as (or bind a Role to)
         * without creating them in the same step, e.g. `default`. Every other
         * `serviceAccountName` must be a ServiceAccount the same step applies.
         */
        serviceAccounts?: string[];
      };
    };
  };
}
