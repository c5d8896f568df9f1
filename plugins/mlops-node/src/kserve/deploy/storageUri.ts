import { InputError } from '@backstage/errors';

/** Schemes KServe's storage initializer downloads from. */
const KSERVE_SCHEMES = /^(s3|gs|azureblob|hdfs|webhdfs|https?):\/\//;
const MLFLOW_ARTIFACTS = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/;

/**
 * The URI KServe reads a model from, for MLflow's download URI of it: `s3://…` (and the other
 * schemes KServe downloads) as is; `mlflow-artifacts:/<path>` as `<artifactsDestination>/<path>`
 * (the server's `--artifacts-destination`). Anything else (a local `file:` path, a URI with
 * no destination configured) is an InputError saying why KServe cannot read it.
 */
export function kserveStorageUri(
  downloadUri: string,
  instance: { name: string; artifactsDestination?: string },
): string {
  const uri = downloadUri.trim().replace(/\/+$/, '');
  if (KSERVE_SCHEMES.test(uri)) {
    return uri;
  }
  const proxied = MLFLOW_ARTIFACTS.exec(uri);
  if (proxied) {
    if (!instance.artifactsDestination) {
      throw new InputError(
        `the model is stored behind MLflow instance '${instance.name}''s artifact proxy (${uri}); set mlops.mlflow.instances[].artifactsDestination to the server's --artifacts-destination (e.g. s3://mlflow-artifacts) so KServe can read it`,
      );
    }
    // A destination given with a trailing slash (as `--artifacts-destination` often is) must
    // not make `s3://bucket//path`, another object key.
    const destination = instance.artifactsDestination.replace(/\/+$/, '');
    return `${destination}/${proxied[1].replace(/\/+$/, '')}`;
  }
  throw new InputError(
    `the model's files are at '${uri}', which KServe cannot download (no S3 or other object-store artifacts); log the model to a tracking server whose artifacts are on S3`,
  );
}
