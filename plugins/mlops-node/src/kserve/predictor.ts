import type {
  InferenceServicePredictor,
  InferenceServiceResources,
  InferenceServiceStorageSpec,
} from '@mlstack/plugin-mlops-common';
import {
  PlainObject,
  arrayAt,
  isPlainObject,
  numberAt,
  objectAt,
  stringAt,
  stringMapAt,
  withoutUndefined,
} from '../kubernetes/objects';

/**
 * The legacy framework keys of `spec.predictor`, in the order KServe picks an implementation
 * (`PredictorSpec.GetImplementations`). KServe's defaulting webhook turns each into
 * `model: { modelFormat: { name: <key> } }`.
 */
export const KSERVE_LEGACY_FRAMEWORKS = [
  'xgboost',
  'pytorch',
  'triton',
  'sklearn',
  'tensorflow',
  'onnx',
  'pmml',
  'lightgbm',
  'paddle',
  'huggingface',
] as const;

/** Name of the predictor container in a custom predictor (`constants.InferenceServiceContainerName`). */
const PREDICTOR_CONTAINER_NAME = 'kserve-container';

interface Implementation {
  spec: PlainObject;
  framework?: string;
  modelFormat?: { name: string; version?: string };
  /** A custom container: storageUri comes from its STORAGE_URI env. */
  container?: boolean;
}

/** The spec that says how the model is served, as KServe picks it. */
function findImplementation(
  predictor: PlainObject,
): Implementation | undefined {
  for (const framework of KSERVE_LEGACY_FRAMEWORKS) {
    if (isPlainObject(predictor[framework])) {
      return {
        spec: predictor[framework] as PlainObject,
        framework,
        modelFormat: { name: framework },
      };
    }
  }
  if (isPlainObject(predictor.model)) {
    const model = predictor.model as PlainObject;
    const format = objectAt(model.modelFormat);
    const name = stringAt(format.name);
    return {
      spec: model,
      modelFormat: name
        ? withoutUndefined({ name, version: stringAt(format.version) })
        : undefined,
    };
  }
  const containers = arrayAt(predictor.containers).filter(isPlainObject);
  const container =
    containers.find(c => c.name === PREDICTOR_CONTAINER_NAME) ?? containers[0];
  return container ? { spec: container, container: true } : undefined;
}

function readResources(value: unknown): InferenceServiceResources | undefined {
  if (!isPlainObject(value)) {
    return undefined;
  }
  const requests = stringMapAt(value.requests);
  const limits = stringMapAt(value.limits);
  return Object.keys(requests).length + Object.keys(limits).length > 0
    ? { requests, limits }
    : undefined;
}

function readStorageSpec(
  value: unknown,
): InferenceServiceStorageSpec | undefined {
  if (!isPlainObject(value)) {
    return undefined;
  }
  return withoutUndefined<InferenceServiceStorageSpec>({
    key: stringAt(value.key),
    path: stringAt(value.path),
    schemaPath: stringAt(value.schemaPath),
    parameters: stringMapAt(value.parameters),
  });
}

/**
 * The URI the controller gives the storage initializer for a storage spec
 * (`CreateStorageSpecSecretEnvs`, KServe v0.20): `<type>://<bucket>/<path>` for s3,
 * `<type>://<path>` for the others, where type and bucket come from the parameters or else
 * from the `storage-config` secret entry. Only when the parameters name them can the URI be
 * known without reading the secret; otherwise there is none.
 */
function storageSpecUri(
  storage: InferenceServiceStorageSpec,
): string | undefined {
  const { type, bucket } = storage.parameters;
  const path = storage.path?.replace(/^\/+/, '');
  if (!type || path === undefined) {
    return undefined;
  }
  if (type === 's3') {
    return bucket ? `s3://${bucket}/${path}` : undefined;
  }
  return `${type}://${path}`;
}

function containerStorageUri(container: PlainObject): string | undefined {
  const env = arrayAt(container.env)
    .map(objectAt)
    .find(entry => entry.name === 'STORAGE_URI');
  return env ? stringAt(env.value) : undefined;
}

/** The predictor of `spec.predictor`, with the runtime the controller picked as a fallback. */
export function readPredictor(
  predictor: PlainObject,
  status: PlainObject,
): InferenceServicePredictor {
  const implementation = findImplementation(predictor);
  const spec = implementation?.spec ?? {};
  const storage = implementation?.container
    ? undefined
    : readStorageSpec(spec.storage);
  const firstStorageUri = stringAt(
    objectAt(arrayAt(predictor.storageUris)[0]).uri,
  );
  const storageUri =
    (implementation?.container
      ? containerStorageUri(spec)
      : stringAt(spec.storageUri)) ??
    firstStorageUri ??
    (storage ? storageSpecUri(storage) : undefined);
  return withoutUndefined<InferenceServicePredictor>({
    modelFormat: implementation?.modelFormat,
    framework: implementation?.framework,
    runtime:
      stringAt(spec.runtime) ??
      stringAt(status.servingRuntimeName) ??
      stringAt(status.clusterServingRuntimeName),
    runtimeVersion: stringAt(spec.runtimeVersion),
    protocolVersion: stringAt(spec.protocolVersion),
    storageUri,
    storage,
    image: implementation?.container ? stringAt(spec.image) : undefined,
    canaryTrafficPercent: numberAt(predictor.canaryTrafficPercent),
    minReplicas: numberAt(predictor.minReplicas),
    maxReplicas: numberAt(predictor.maxReplicas),
    resources:
      readResources(spec.resources) ?? readResources(predictor.resources),
    serviceAccountName:
      stringAt(predictor.serviceAccountName) ??
      stringAt(predictor.serviceAccount),
  });
}
