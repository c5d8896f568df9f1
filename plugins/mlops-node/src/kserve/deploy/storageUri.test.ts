import { InputError } from '@backstage/errors';
import { kserveStorageUri } from './storageUri';

const proxied = {
  name: 'default',
  artifactsDestination: 's3://mlflow-artifacts',
};

describe('kserveStorageUri', () => {
  it('keeps the URIs KServe downloads itself, without a trailing slash', () => {
    expect(
      kserveStorageUri('s3://models/fraud/1/artifacts', { name: 'default' }),
    ).toBe('s3://models/fraud/1/artifacts');
    expect(kserveStorageUri(' s3://models/fraud/ ', proxied)).toBe(
      's3://models/fraud',
    );
    expect(kserveStorageUri('gs://bucket/model', proxied)).toBe(
      'gs://bucket/model',
    );
    expect(kserveStorageUri('https://models.example.com/m.tgz', proxied)).toBe(
      'https://models.example.com/m.tgz',
    );
  });

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

  it('needs the artifacts destination for a proxied URI, and names the setting', () => {
    const refuse = () =>
      kserveStorageUri('mlflow-artifacts:/3/models/m-abc/artifacts', {
        name: 'lab',
      });
    expect(refuse).toThrow(InputError);
    expect(refuse).toThrow(
      /MLflow instance 'lab''s artifact proxy \(mlflow-artifacts:\/3\/models\/m-abc\/artifacts\); set mlops\.mlflow\.instances\[\]\.artifactsDestination/,
    );
  });

  it('refuses local files and anything else KServe cannot download', () => {
    for (const uri of [
      'file:///mlruns/3/models/m-abc/artifacts',
      '/mlruns/3/models/m-abc/artifacts',
      'models:/fraud/1',
      'dbfs:/databricks/mlflow/3',
      'mlflow-artifacts:',
    ]) {
      expect(() => kserveStorageUri(uri, proxied)).toThrow(
        new InputError(
          `the model's files are at '${uri}', which KServe cannot download (no S3 or other object-store artifacts); log the model to a tracking server whose artifacts are on S3`,
        ),
      );
    }
  });
});
