import { ConfigReader } from '@backstage/config';
import {
  kserveS3Annotations,
  missingS3Keys,
  readS3Settings,
  toS3Error,
} from './s3';

const read = (s3: object | undefined) =>
  readS3Settings(new ConfigReader(s3 ? { mlops: { s3 } } : {}));

describe('readS3Settings', () => {
  it('is undefined without mlops.s3 and applies the defaults', () => {
    expect(read(undefined)).toBeUndefined();
    expect(
      read({
        endpoint: 'http://localhost:9000/',
        accessKeyId: 'a',
        secretAccessKey: 'b',
      }),
    ).toEqual({
      endpoint: 'http://localhost:9000',
      region: 'us-east-1',
      accessKeyId: 'a',
      secretAccessKey: 'b',
      forcePathStyle: true,
    });
  });

  it('reads the in-cluster endpoint for KServe, validated like endpoint', () => {
    const base = {
      endpoint: 'http://localhost:9000',
      accessKeyId: 'a',
      secretAccessKey: 'b',
    };
    const settings = read({
      ...base,
      clusterEndpoint: 'http://minio.minio.svc.cluster.local:9000/',
    })!;
    expect(settings.clusterEndpoint).toBe(
      'http://minio.minio.svc.cluster.local:9000',
    );
    expect(kserveS3Annotations(settings)['serving.kserve.io/s3-endpoint']).toBe(
      'minio.minio.svc.cluster.local:9000',
    );
    expect(() => read({ ...base, clusterEndpoint: 'minio:9000' })).toThrow(
      "Invalid config at 'mlops.s3.clusterEndpoint'",
    );
  });

  it('refuses an endpoint that is not an http(s) URL or carries credentials', () => {
    expect(() =>
      read({
        endpoint: 'localhost:9000',
        accessKeyId: 'a',
        secretAccessKey: 'b',
      }),
    ).toThrow("Invalid config at 'mlops.s3.endpoint'");
    expect(() =>
      read({
        endpoint: 'http://a:b@minio',
        accessKeyId: 'a',
        secretAccessKey: 'b',
      }),
    ).toThrow('must not carry credentials');
  });

  it('treats missing credentials (unset environment variables) as not configured', () => {
    const config = new ConfigReader({
      mlops: { s3: { endpoint: 'http://minio' } },
    });
    expect(readS3Settings(config)).toBeUndefined();
    expect(missingS3Keys(config)).toEqual([
      'mlops.s3.accessKeyId',
      'mlops.s3.secretAccessKey',
    ]);
    expect(missingS3Keys(new ConfigReader({}))).toEqual([]);
  });
});

describe('kserveS3Annotations', () => {
  it('derives host:port, https and region from the endpoint', () => {
    const base = {
      accessKeyId: 'a',
      secretAccessKey: 'b',
      forcePathStyle: true,
    };
    expect(
      kserveS3Annotations({
        ...base,
        endpoint: 'http://minio.minio:9000',
        region: 'r',
      }),
    ).toEqual({
      'serving.kserve.io/s3-endpoint': 'minio.minio:9000',
      'serving.kserve.io/s3-usehttps': '0',
      'serving.kserve.io/s3-region': 'r',
    });
    expect(
      kserveS3Annotations({
        ...base,
        endpoint: 'https://s3.amazonaws.com',
        region: 'r',
      })['serving.kserve.io/s3-endpoint'],
    ).toBe('s3.amazonaws.com:443');
  });
});

describe('toS3Error', () => {
  const settings = {
    endpoint: 'http://minio:9000',
    region: 'us-east-1',
    accessKeyId: 'AKIA',
    secretAccessKey: 'shh',
    forcePathStyle: true,
  };
  it('maps network failures, 403 and 5xx, naming only the endpoint', () => {
    const refused = toS3Error(
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9000'), {
        $metadata: {},
      }),
      settings,
      'check bucket',
    );
    expect(refused).toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'S3 at http://minio:9000: ECONNREFUSED (check bucket)',
    });
    const denied = Object.assign(new Error('Access Denied.'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(toS3Error(denied, settings, 'create bucket')).toMatchObject({
      name: 'NotAllowedError',
      message:
        'S3 at http://minio:9000: create bucket failed (HTTP 403 AccessDenied): Access Denied.',
    });
    const broken = Object.assign(new Error('boom'), {
      name: 'InternalError',
      $metadata: { httpStatusCode: 500 },
    });
    expect(toS3Error(broken, settings, 'x').name).toBe(
      'ServiceUnavailableError',
    );
  });
});
