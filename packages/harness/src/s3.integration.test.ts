import {
  GetObjectCommand,
  ListBucketsCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { requireHarnessService } from './harnessState';

describe('harness S3 server', () => {
  const s3State = requireHarnessService('s3');
  const client = new S3Client({
    endpoint: s3State.endpoint,
    region: s3State.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: s3State.accessKeyId,
      secretAccessKey: s3State.secretAccessKey,
    },
  });
  afterAll(() => client.destroy());

  it('has the buckets MLflow, DVC and Argo use', async () => {
    const { Buckets } = await client.send(new ListBucketsCommand({}));
    expect(Buckets?.map(b => b.Name).sort()).toEqual(
      expect.arrayContaining(['argo-artifacts', 'dvc', 'mlflow-artifacts']),
    );
  });

  it('writes an object and reads the same bytes back', async () => {
    const key = `harness-test/${Date.now()}.txt`;
    const body = `hello from the harness test ${Math.random()}`;
    await client.send(
      new PutObjectCommand({ Bucket: 'dvc', Key: key, Body: body }),
    );
    const got = await client.send(
      new GetObjectCommand({ Bucket: 'dvc', Key: key }),
    );
    expect(await got.Body?.transformToString()).toBe(body);
  });

  it('answers a missing key with NoSuchKey', async () => {
    await expect(
      client.send(
        new GetObjectCommand({ Bucket: 'dvc', Key: 'harness-test/absent' }),
      ),
    ).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('refuses a wrong secret', async () => {
    const intruder = new S3Client({
      endpoint: s3State.endpoint,
      region: s3State.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: s3State.accessKeyId,
        secretAccessKey: 'not-the-secret',
      },
    });
    await expect(
      intruder.send(new ListBucketsCommand({})),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    intruder.destroy();
  });
});
