import {
  normaliseKeyPrefix,
  normaliseOwnerRef,
  validateBucketName,
  validateDnsLabel,
} from './validation';

describe('normaliseOwnerRef', () => {
  it.each([
    ['group:default/ml-team', 'group:default/ml-team'],
    ['Group:ML-Team', 'group:default/ml-team'],
    ['ml-team', 'group:default/ml-team'],
    ['user:apps/jane.doe', 'user:apps/jane.doe'],
  ])('%s → %s', (ref, expected) => {
    expect(normaliseOwnerRef(ref)).toBe(expected);
  });

  it.each(['', 'group:', 'a/b/c', 'group:default/ml team', 'x:y:z'])(
    'rejects %j',
    ref => {
      expect(() => normaliseOwnerRef(ref)).toThrow('is not an entity ref');
    },
  );
});

describe('validateBucketName', () => {
  it.each(['abc', 'ml-fraud-detector', 'a.b.c', 'x'.repeat(63)])(
    'accepts %s',
    name => {
      expect(() => validateBucketName(name)).not.toThrow();
    },
  );
  it.each([
    'x'.repeat(64),
    'fraud_detector',
    'fraud.',
    'fraud--ol-s3',
    'sthree-x',
  ])('rejects %s', name => {
    expect(() => validateBucketName(name)).toThrow(
      `Invalid S3 bucket name '${name}'`,
    );
  });
});

describe('normaliseKeyPrefix', () => {
  it('strips slashes and keeps nested segments', () => {
    expect(normaliseKeyPrefix('/models/v1/')).toBe('models/v1');
    expect(normaliseKeyPrefix(undefined)).toBe('');
  });
  it.each(['a//b', 'a/./b', 'a b'])('rejects %j', prefix => {
    expect(() => normaliseKeyPrefix(prefix)).toThrow(`Invalid prefix`);
  });
});

describe('validateDnsLabel', () => {
  it('accepts a namespace name and rejects what Kubernetes would', () => {
    expect(() => validateDnsLabel('fraud-detector', 'namespace')).not.toThrow();
    for (const bad of ['Fraud', 'a.b', '-a', 'a'.repeat(64)]) {
      expect(() => validateDnsLabel(bad, 'namespace')).toThrow(
        `namespace '${bad}' is not a valid Kubernetes name`,
      );
    }
  });
});
