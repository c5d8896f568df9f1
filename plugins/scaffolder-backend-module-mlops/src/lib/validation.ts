import { InputError } from '@backstage/errors';
import {
  isDns1123Label,
  isDns1123Subdomain,
} from '@mlstack/plugin-mlops-common';

/** The tag (S3), experiment and registered model tag (MLflow) that records which catalog entity owns a resource. */
export const OWNER_TAG = 'mlstack.io/owner';

const ENTITY_REF = /^(?:([A-Za-z][A-Za-z0-9-]*):)?(?:([^:/]+)\/)?([^:/]+)$/;
const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * An owner entity ref in its full, lower-case form `kind:namespace/name`, so that
 * `group:ml-team`, `Group:default/ML-Team` and `group:default/ml-team` name the same owner.
 * Without a kind it is a Group, as for `spec.owner` in the catalog.
 */
export function normaliseOwnerRef(value: string, field = 'owner'): string {
  const match = ENTITY_REF.exec(value.trim());
  const [, kind = 'group', namespace = 'default', name = ''] = match ?? [];
  if (
    !match ||
    !ENTITY_NAME.test(namespace) ||
    !ENTITY_NAME.test(name) ||
    kind.length > 63
  ) {
    throw new InputError(
      `${field} '${value}' is not an entity ref like 'group:default/ml-team' ` +
        `(kind:namespace/name; namespace and name are letters, digits, '.', '_' and '-', at most 63 characters)`,
    );
  }
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

const BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_SUFFIXES = [
  '-s3alias',
  '--ol-s3',
  '.mrap',
  '--x-s3',
  '--table-s3',
];

/**
 * Checks an S3 bucket name against the general-purpose bucket naming rules of S3
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html); the
 * InputError names the rule that is broken.
 */
export function validateBucketName(bucket: string): void {
  const fail = (rule: string) => {
    throw new InputError(`Invalid S3 bucket name '${bucket}': ${rule}`);
  };
  if (bucket.length < 3 || bucket.length > 63) {
    fail(`a bucket name must be 3 to 63 characters long, not ${bucket.length}`);
  }
  if (!/^[a-z0-9.-]+$/.test(bucket)) {
    fail(
      'a bucket name may contain only lower-case letters, digits, dots (.) and hyphens (-)',
    );
  }
  if (!/^[a-z0-9].*[a-z0-9]$/.test(bucket)) {
    fail('a bucket name must begin and end with a letter or a digit');
  }
  if (bucket.includes('..')) {
    fail('a bucket name must not contain two adjacent dots');
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) {
    fail('a bucket name must not be formatted as an IP address');
  }
  const prefix = BUCKET_PREFIXES.find(p => bucket.startsWith(p));
  if (prefix) {
    fail(`a bucket name must not start with the reserved prefix '${prefix}'`);
  }
  const suffix = BUCKET_SUFFIXES.find(s => bucket.endsWith(s));
  if (suffix) {
    fail(`a bucket name must not end with the reserved suffix '${suffix}'`);
  }
}

/**
 * A key prefix inside a bucket, without leading or trailing slashes: segments of letters,
 * digits and `!-_.*'()`, separated by '/', none of them '.' or '..'. Empty when absent.
 */
export function normaliseKeyPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (!trimmed) {
    return '';
  }
  const segments = trimmed.split('/');
  for (const segment of segments) {
    if (!segment || segment === '.' || segment === '..') {
      throw new InputError(
        `Invalid prefix '${prefix}': empty, '.' and '..' path segments are not allowed`,
      );
    }
    if (!/^[A-Za-z0-9!_.*'()-]+$/.test(segment)) {
      throw new InputError(
        `Invalid prefix '${prefix}': use only letters, digits and the characters !-_.*'() between slashes`,
      );
    }
  }
  if (trimmed.length > 512) {
    throw new InputError(`Invalid prefix '${prefix}': at most 512 characters`);
  }
  return trimmed;
}

/** A Kubernetes namespace name (RFC 1123 label). */
export function validateDnsLabel(value: string, field: string): void {
  if (!isDns1123Label(value)) {
    throw new InputError(
      `${field} '${value}' is not a valid Kubernetes name: an RFC 1123 label of at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
}

/** The name of most Kubernetes objects (RFC 1123 subdomain). */
export function validateDnsSubdomain(value: string, field: string): void {
  if (!isDns1123Subdomain(value)) {
    throw new InputError(
      `${field} '${value}' is not a valid Kubernetes object name: an RFC 1123 subdomain of at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
    );
  }
}

/** MLflow's own limits on tags (`MAX_TAG_VAL_LENGTH` etc. of mlflow/utils/validation.py). */
const MAX_TAG_KEY_LENGTH = 250;
const MAX_TAG_VALUE_LENGTH = 8000;

/**
 * The tags of an MLflow experiment or registered model, checked against MLflow's limits, plus
 * `mlstack.io/owner` set to `owner` (an input that sets it itself is an InputError).
 */
export function validateMlflowTags(
  tags: Record<string, string> | undefined,
  owner: string,
  what: 'experiment' | 'registered model',
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (!key.trim() || key.length > MAX_TAG_KEY_LENGTH) {
      throw new InputError(
        `Invalid ${what} tag key '${key}': 1 to ${MAX_TAG_KEY_LENGTH} characters`,
      );
    }
    if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH) {
      throw new InputError(
        `Invalid value of ${what} tag '${key}': a string of at most ${MAX_TAG_VALUE_LENGTH} characters`,
      );
    }
    if (key === OWNER_TAG) {
      throw new InputError(
        `The ${what} tag '${OWNER_TAG}' is set from the owner input; leave it out of tags`,
      );
    }
    result[key] = value;
  }
  result[OWNER_TAG] = owner;
  return result;
}
