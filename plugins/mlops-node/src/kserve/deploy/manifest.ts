import {
  CANARY_MODEL_ANNOTATION,
  DEPLOYED_FOR_ANNOTATION,
  DeployResources,
  DeployRuntime,
  SERVED_MODEL_ANNOTATION,
  ServedModelRecord,
} from '@mlstack/plugin-mlops-common';
import {
  PlainObject,
  cloneJson,
  objectAt,
  withoutUndefined,
} from '../../kubernetes/objects';

export const INFERENCE_SERVICE_API_VERSION = 'serving.kserve.io/v1beta1';

/** The predictor of a model version (what a deploy fills in). */
export interface ModelPredictorInput {
  runtime: DeployRuntime;
  storageUri: string;
  serviceAccountName?: string;
  resources?: DeployResources;
  minReplicas?: number;
  maxReplicas?: number;
}

function resourcesOf(
  resources: DeployResources | undefined,
): PlainObject | undefined {
  if (!resources) {
    return undefined;
  }
  const requests = withoutUndefined({
    cpu: resources.cpuRequest,
    memory: resources.memoryRequest,
  });
  const limits = withoutUndefined({
    cpu: resources.cpuLimit,
    memory: resources.memoryLimit,
  });
  const spec = withoutUndefined({
    requests: Object.keys(requests).length > 0 ? requests : undefined,
    limits: Object.keys(limits).length > 0 ? limits : undefined,
  });
  return Object.keys(spec).length > 0 ? spec : undefined;
}

/** `spec.predictor` serving one model with one of the portal's runtimes. */
export function modelPredictor(input: ModelPredictorInput): PlainObject {
  return withoutUndefined({
    serviceAccountName: input.serviceAccountName,
    minReplicas: input.minReplicas,
    maxReplicas: input.maxReplicas,
    model: withoutUndefined({
      modelFormat: { name: input.runtime.modelFormat },
      runtime: input.runtime.name,
      protocolVersion: input.runtime.protocolVersion,
      storageUri: input.storageUri,
      resources: resourcesOf(input.resources),
    }),
  });
}

/**
 * The object to write for a change of `current`: its metadata (labels, annotations,
 * finalizers, owners, and the `resourceVersion` the change was computed from, so a concurrent
 * change fails it) and a copy of its spec, without status and server fields.
 */
export function applyBodyFrom(current: unknown): PlainObject {
  const object = objectAt(current);
  const metadata = objectAt(object.metadata);
  // Every annotation stays, kubectl's last-applied one too: the object is written back whole,
  // and a later `kubectl apply` of the pipeline diffs against it.
  const annotations = { ...objectAt(metadata.annotations) };
  return {
    apiVersion: INFERENCE_SERVICE_API_VERSION,
    kind: 'InferenceService',
    metadata: withoutUndefined({
      name: metadata.name,
      namespace: metadata.namespace,
      resourceVersion: metadata.resourceVersion,
      labels: { ...objectAt(metadata.labels) },
      annotations,
      // Kept as they are: the object is written back whole (KServe's finalizer, owners).
      finalizers: Array.isArray(metadata.finalizers)
        ? [...metadata.finalizers]
        : undefined,
      ownerReferences: Array.isArray(metadata.ownerReferences)
        ? cloneJson(metadata.ownerReferences)
        : undefined,
    }),
    spec: cloneJson(objectAt(object.spec)),
  };
}

export function annotationsOf(body: PlainObject): Record<string, string> {
  const metadata = objectAt(body.metadata);
  metadata.annotations ??= {};
  return metadata.annotations as Record<string, string>;
}

export function setRecord(
  body: PlainObject,
  key: typeof SERVED_MODEL_ANNOTATION | typeof CANARY_MODEL_ANNOTATION,
  record: ServedModelRecord | undefined,
) {
  const annotations = annotationsOf(body);
  if (record) {
    annotations[key] = JSON.stringify(record);
  } else {
    delete annotations[key];
  }
}

export function setDeployedFor(
  body: PlainObject,
  entityRef: string,
  labels: Record<string, string>,
) {
  const metadata = objectAt(body.metadata);
  metadata.labels = { ...objectAt(metadata.labels), ...labels };
  annotationsOf(body)[DEPLOYED_FOR_ANNOTATION] = entityRef;
}
