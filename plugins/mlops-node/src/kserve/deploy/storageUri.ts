import { InputError } from '@backstage/errors';

const MLFLOW_ARTIFACTS = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/;

/**
 * The URI KServe reads a model from, for MLflow's download URI of it. Only files MLflow itself
 * stored are deployed: `mlflow-artifacts:/<path>` becomes `<artifactsDestination>/<path>` (the
 * server's `--artifacts-destination`), and a URI already under the destination is kept. Any
 * other location — a local `file:` path, `dbfs:/`, or an object store outside the destination
 * (a version's `source` can name any bucket, and whoever may write to MLflow may add one) — is
 * an InputError: the predictor reads with the namespace's storage credentials and, for pyfunc
 * models, runs the code it downloads.
 *
 * @public
 */
export function kserveStorageUri(
  downloadUri: string,
  instance: { name: string; artifactsDestination?: string },
): string {
  const uri = downloadUri.trim().replace(/\/+$/, '');
  if (!instance.artifactsDestination) {
    throw new InputError(
      `MLflow instance '${instance.name}' has no artifactsDestination: set mlops.mlflow.instances[].artifactsDestination to the server's --artifacts-destination (e.g. s3://mlflow-artifacts) so the portal knows where the models MLflow stores are, and KServe can read them`,
    );
  }
  // A destination given with a trailing slash (as `--artifacts-destination` often is) must not
  // make `s3://bucket//path`, another object key.
  const destination = instance.artifactsDestination.replace(/\/+$/, '');
  const proxied = MLFLOW_ARTIFACTS.exec(uri);
  if (proxied) {
    return `${destination}/${proxied[1].replace(/\/+$/, '')}`;
  }
  if (uri.startsWith(`${destination}/`) && !uri.includes('/../')) {
    return uri;
  }
  throw new InputError(
    `the model's files are at '${uri}', outside the artifacts MLflow instance '${instance.name}' stores (${destination}); the portal deploys only models MLflow stored (log the model to the tracking server)`,
  );
}
