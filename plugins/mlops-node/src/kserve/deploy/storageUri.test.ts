import { InputError } from '@backstage/errors';
import { kserveStorageUri } from './storageUri';

const proxied = {
  name: 'default',
  artifactsDestination: 's3://mlflow-artifacts',
};

describe('kserveStorageUri', () => {
  it('maps mlflow-artifacts:/ to the server’s artifacts destination', () => {
    expect(
      kserveStorageUri('mlflow-artifacts:/3/models/m-abc/artifacts', proxied),
    ).toBe('s3://mlflow-artifacts/3/models/m-abc/artifacts');
    expect(
      kserveStorageUri('mlflow-artifacts:/3/models/m-abc/artifacts/', proxied),
    ).toBe('s3://mlflow-artifacts/3/models/m-abc/artifacts');
  });

  it('drops the host of mlflow-artifacts://host/', () => {
    expect(
      kserveStorageUri(
        'mlflow-artifacts://mlflow.example.com:5000/3/models/m-abc/artifacts',
        proxied,
      ),
    ).toBe('s3://mlflow-artifacts/3/models/m-abc/artifacts');
    expect(
      kserveStorageUri('mlflow-artifacts:///3/models/m-abc/artifacts', proxied),
    ).toBe('s3://mlflow-artifacts/3/models/m-abc/artifacts');
  });

  it('keeps a URI already under the destination (a server storing to S3 directly)', () => {
    expect(
      kserveStorageUri(
        ' s3://mlflow-artifacts/3/models/m-abc/artifacts/ ',
        proxied,
      ),
    ).toBe('s3://mlflow-artifacts/3/models/m-abc/artifacts');
  });

  it('keeps a prefix of the destination, and never doubles its slash', () => {
    expect(
      kserveStorageUri('mlflow-artifacts:/3/m', {
        name: 'default',
        artifactsDestination: 's3://shared/mlflow',
      }),
    ).toBe('s3://shared/mlflow/3/m');
    expect(
      kserveStorageUri('mlflow-artifacts:/3/m', {
        name: 'default',
        artifactsDestination: 's3://mlflow-artifacts/',
      }),
    ).toBe('s3://mlflow-artifacts/3/m');
  });

  it('needs the artifacts destination, and names the setting', () => {
    const refuse = () =>
      kserveStorageUri('mlflow-artifacts:/3/models/m-abc/artifacts', {
        name: 'lab',
      });
    expect(refuse).toThrow(InputError);
    expect(refuse).toThrow(
      /MLflow instance 'lab' has no artifactsDestination: set mlops\.mlflow\.instances\[\]\.artifactsDestination/,
    );
  });

  it.each([
    ['a local file', 'file:///mlruns/3/models/m-abc/artifacts'],
    ['a bare path', '/mlruns/3/models/m-abc/artifacts'],
    ['a registry URI', 'models:/fraud/1'],
    ['DBFS', 'dbfs:/databricks/mlflow/3'],
    ['another team’s bucket', 's3://risk-team-bucket/models/x'],
    ['another store', 'gs://risk-team-bucket/models/x'],
    ['a bucket sharing the prefix', 's3://mlflow-artifacts-evil/3/m'],
    ['a climb out of the destination', 's3://mlflow-artifacts/../other/m'],
    ['an HTTP download', 'https://models.example.com/m.tgz'],
  ])('refuses %s: only what MLflow stored is deployed', (_what, uri) => {
    expect(() => kserveStorageUri(uri, proxied)).toThrow(
      /outside the artifacts MLflow instance 'default' stores \(s3:\/\/mlflow-artifacts\)/,
    );
  });
});
