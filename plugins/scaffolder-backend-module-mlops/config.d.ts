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
    };
  };
}
