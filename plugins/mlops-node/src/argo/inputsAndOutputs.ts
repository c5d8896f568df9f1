import type {
  ArgoArtifact,
  ArgoArtifactLocation,
  ArgoArtifactRepository,
  ArgoArtifactStorage,
  ArgoParameter,
} from '@mlstack/plugin-mlops-common';
import {
  PlainObject,
  arrayAt,
  booleanAt,
  isPlainObject,
  objectAt,
  scalarAsString,
  stringAt,
} from '../kubernetes/objects';

/** The storage keys an Argo artifact (or artifact repository) may carry, in Argo's order. */
const STORAGE_KINDS: readonly ArgoArtifactStorage[] = [
  's3',
  'gcs',
  'azure',
  'oss',
  'hdfs',
  'artifactory',
  'http',
  'git',
  'raw',
  'plugin',
];

/** The non-secret coordinates of one storage entry. */
function readLocation(
  storage: ArgoArtifactStorage,
  entry: PlainObject,
  repository: ArgoArtifactRepository | undefined,
): ArgoArtifactLocation {
  // A key-only artifact lives in the workflow's artifact repository.
  const fromRepository =
    repository?.storage === storage && entry.bucket === undefined
      ? repository
      : undefined;
  const location: ArgoArtifactLocation = { storage };
  const set = (
    field: Exclude<keyof ArgoArtifactLocation, 'storage'>,
    value: unknown,
  ) => {
    const text = stringAt(value);
    if (text) {
      location[field] = text;
    }
  };
  switch (storage) {
    case 's3':
    case 'oss':
      set('bucket', entry.bucket ?? fromRepository?.bucket);
      set('key', entry.key);
      set('endpoint', entry.endpoint ?? fromRepository?.endpoint);
      break;
    case 'gcs':
      set('bucket', entry.bucket);
      set('key', entry.key);
      break;
    case 'azure':
      set('bucket', entry.container);
      set('key', entry.blob);
      set('endpoint', entry.endpoint);
      break;
    case 'hdfs':
      set('key', entry.path);
      break;
    case 'artifactory':
    case 'http':
      set('url', entry.url);
      break;
    case 'git':
      set('url', entry.repo);
      break;
    default:
      break;
  }
  return location;
}

/** Which storage an artifact (or repository) uses, with its entry. */
function findStorage(
  artifact: PlainObject,
): [ArgoArtifactStorage, PlainObject] | undefined {
  for (const kind of STORAGE_KINDS) {
    if (isPlainObject(artifact[kind])) {
      return [kind, artifact[kind] as PlainObject];
    }
  }
  return undefined;
}

/**
 * Artifacts of an inputs/outputs block. Key-only S3/OSS artifacts (the usual case with a
 * default artifact repository) get the repository's bucket and endpoint when it is known.
 */
export function readArtifacts(
  value: unknown,
  repository?: ArgoArtifactRepository,
): ArgoArtifact[] {
  const artifacts: ArgoArtifact[] = [];
  for (const item of arrayAt(value)) {
    const entry = objectAt(item);
    const name = stringAt(entry.name);
    if (!name) {
      continue;
    }
    const artifact: ArgoArtifact = { name };
    const path = stringAt(entry.path);
    if (path) {
      artifact.path = path;
    }
    const storage = findStorage(entry);
    if (storage) {
      artifact.location = readLocation(storage[0], storage[1], repository);
    }
    const optional = booleanAt(entry.optional);
    if (optional !== undefined) {
      artifact.optional = optional;
    }
    artifacts.push(artifact);
  }
  return artifacts;
}

/** Parameters of an inputs/outputs block (name and value; defaults count as the value). */
export function readParameters(value: unknown): ArgoParameter[] {
  const parameters: ArgoParameter[] = [];
  for (const item of arrayAt(value)) {
    const entry = objectAt(item);
    const name = stringAt(entry.name);
    if (!name) {
      continue;
    }
    const parameterValue =
      scalarAsString(entry.value) ?? scalarAsString(entry.default);
    parameters.push(
      parameterValue === undefined ? { name } : { name, value: parameterValue },
    );
  }
  return parameters;
}

/** `status.artifactRepositoryRef`: where key-only artifacts of this workflow went. */
export function readArtifactRepository(
  status: PlainObject,
): ArgoArtifactRepository | undefined {
  const ref = objectAt(status.artifactRepositoryRef);
  if (Object.keys(ref).length === 0) {
    return undefined;
  }
  const repository: ArgoArtifactRepository = {};
  const configMap = stringAt(ref.configMap);
  const key = stringAt(ref.key);
  if (configMap) {
    repository.configMap = configMap;
  }
  if (key) {
    repository.key = key;
  }
  const storage = findStorage(objectAt(ref.artifactRepository));
  if (storage) {
    const [kind, entry] = storage;
    const location = readLocation(kind, entry, undefined);
    repository.storage = kind;
    if (location.bucket) {
      repository.bucket = location.bucket;
    }
    if (location.endpoint) {
      repository.endpoint = location.endpoint;
    }
    const keyFormat = stringAt(entry.keyFormat);
    if (keyFormat) {
      repository.keyFormat = keyFormat;
    }
  }
  return repository;
}
