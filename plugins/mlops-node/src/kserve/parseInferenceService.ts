import {
  CANARY_MODEL_ANNOTATION,
  DEPLOYED_FOR_ANNOTATION,
  SERVED_MODEL_ANNOTATION,
  ServedModelRecord,
} from '@mlstack/plugin-mlops-common';
import type {
  InferenceServiceCanary,
  InferenceServiceCondition,
  InferenceServiceDeploymentMode,
  InferenceServiceDeploymentModeSource,
  InferenceServiceFailureInfo,
  InferenceServiceModelState,
  InferenceServiceSummary,
  InferenceServiceTraffic,
} from '@mlstack/plugin-mlops-common';
import {
  PlainObject,
  arrayAt,
  booleanAt,
  isPlainObject,
  numberAt,
  objectAt,
  readMetadata,
  stringAt,
  timeAt,
  withoutUndefined,
} from '../kubernetes/objects';
import { readPredictor } from './predictor';

/** The annotation that chooses the deployment mode (`constants.DeploymentMode`). */
export const KSERVE_DEPLOYMENT_MODE_ANNOTATION =
  'serving.kserve.io/deploymentMode';

/**
 * `deploy.defaultDeploymentMode` of the `inferenceservice-config` ConfigMap that KServe v0.20
 * ships: "Serverless", which KServe reads as Knative.
 */
export const KSERVE_DEFAULT_DEPLOYMENT_MODE = 'Serverless';

/** KServe's `ParseDeploymentMode`: the legacy names mean the new ones. */
export function normaliseDeploymentMode(
  mode: string,
): InferenceServiceDeploymentMode {
  switch (mode) {
    case 'Serverless':
    case 'Knative':
      return 'Knative';
    case 'RawDeployment':
    case 'Standard':
      return 'Standard';
    case 'ModelMesh':
      return 'ModelMesh';
    default:
      return 'Unknown';
  }
}

/**
 * KServe's `GetDeploymentMode` (v0.20, `pkg/controller/v1beta1/inferenceservice/utils`):
 * the mode the controller recorded in `status.deploymentMode` first, then a valid
 * `serving.kserve.io/deploymentMode` annotation, then the cluster default. KServe's webhook
 * rejects changing the annotation after creation, so the two only differ on objects the
 * controller has not seen yet.
 */
function readDeploymentMode(
  status: PlainObject,
  annotations: Record<string, string>,
  defaultMode: string,
): {
  deploymentMode: InferenceServiceDeploymentMode;
  deploymentModeSource: InferenceServiceDeploymentModeSource;
} {
  const recorded = stringAt(status.deploymentMode);
  if (recorded) {
    return {
      deploymentMode: normaliseDeploymentMode(recorded),
      deploymentModeSource: 'status',
    };
  }
  const annotated = normaliseDeploymentMode(
    annotations[KSERVE_DEPLOYMENT_MODE_ANNOTATION] ?? '',
  );
  if (annotated !== 'Unknown') {
    return { deploymentMode: annotated, deploymentModeSource: 'annotation' };
  }
  return {
    deploymentMode: normaliseDeploymentMode(defaultMode),
    deploymentModeSource: 'default',
  };
}

function readConditionStatus(
  value: unknown,
): InferenceServiceCondition['status'] {
  return value === 'True' || value === 'False' ? value : 'Unknown';
}

function readConditions(value: unknown): InferenceServiceCondition[] {
  return arrayAt(value)
    .filter(isPlainObject)
    .flatMap(entry => {
      const type = stringAt(entry.type);
      return type
        ? [
            withoutUndefined<InferenceServiceCondition>({
              type,
              status: readConditionStatus(entry.status),
              reason: stringAt(entry.reason),
              message: stringAt(entry.message),
              lastTransitionTime: timeAt(entry.lastTransitionTime),
              severity: stringAt(entry.severity),
            }),
          ]
        : [];
    });
}

function readTraffic(value: unknown): InferenceServiceTraffic[] {
  return arrayAt(value)
    .filter(isPlainObject)
    .map(entry =>
      withoutUndefined<InferenceServiceTraffic>({
        revisionName: stringAt(entry.revisionName),
        percent: numberAt(entry.percent) ?? 0,
        latest: booleanAt(entry.latestRevision) === true,
        tag: stringAt(entry.tag),
        url: stringAt(entry.url),
      }),
    );
}

function readModelState(
  value: unknown,
): InferenceServiceModelState | undefined {
  if (!isPlainObject(value)) {
    return undefined;
  }
  const states = objectAt(value.states);
  const copies = objectAt(value.copies);
  const state = withoutUndefined<InferenceServiceModelState>({
    activeModelState: stringAt(states.activeModelState),
    targetModelState: stringAt(states.targetModelState),
    transitionStatus: stringAt(value.transitionStatus),
    failedCopies: numberAt(copies.failedCopies),
    totalCopies: numberAt(copies.totalCopies),
  });
  return Object.keys(state).length > 0 ? state : undefined;
}

function readFailureInfo(
  value: unknown,
): InferenceServiceFailureInfo | undefined {
  if (!isPlainObject(value)) {
    return undefined;
  }
  const info = withoutUndefined<InferenceServiceFailureInfo>({
    reason: stringAt(value.reason),
    message: stringAt(value.message),
    time: timeAt(value.time),
    exitCode: numberAt(value.exitCode),
    modelRevisionName: stringAt(value.modelRevisionName),
    location: stringAt(value.location),
  });
  return Object.keys(info).length > 0 ? info : undefined;
}

/** `serving.kserve.io/stop`: "true" stops the service (KServe scales it away). */
export const KSERVE_STOP_ANNOTATION = 'serving.kserve.io/stop';

/** A JSON ServedModelRecord annotation the portal wrote; anything else reads as absent. */
export function readServedModelRecord(
  value: string | undefined,
): ServedModelRecord | undefined {
  if (!value) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    if (
      isPlainObject(parsed) &&
      typeof parsed.instance === 'string' &&
      typeof parsed.storageUri === 'string' &&
      typeof parsed.deployedAt === 'string'
    ) {
      return parsed as unknown as ServedModelRecord;
    }
  } catch {
    // Not JSON: someone else's annotation value; the service is shown without a record.
  }
  return undefined;
}

/** `spec.canary` joined with `status.canaryStatuses` by name. */
function readCanaries(spec: PlainObject, status: PlainObject) {
  const statuses = new Map(
    arrayAt(status.canaryStatuses)
      .filter(isPlainObject)
      .map(entry => [stringAt(entry.name) ?? '', entry]),
  );
  return arrayAt(spec.canary)
    .filter(isPlainObject)
    .map(entry => {
      const predictor = objectAt(entry.predictor);
      const name = stringAt(predictor.name) ?? '';
      const reported = statuses.get(name);
      return withoutUndefined<InferenceServiceCanary>({
        name,
        trafficPercent: numberAt(entry.trafficPercent) ?? 0,
        predictor: readPredictor(predictor, {}),
        ready: reported ? booleanAt(reported.ready) === true : undefined,
        modelState: reported ? readModelState(reported.modelStatus) : undefined,
      });
    });
}

/**
 * Options of parseInferenceService.
 *
 * @public
 */
export interface ParseInferenceServiceOptions {
  /**
   * The cluster's `deploy.defaultDeploymentMode`, for objects that neither record nor
   * annotate a mode. Defaults to KSERVE_DEFAULT_DEPLOYMENT_MODE ("Serverless", i.e. Knative).
   */
  defaultDeploymentMode?: string;
}

/**
 * An InferenceService (`serving.kserve.io/v1beta1`) for the views. Works on specs without
 * status (just created), without apiVersion/kind, and on KFServing-era statuses. Never throws;
 * a missing name or namespace reads as "".
 *
 * @public
 */
export function parseInferenceService(
  object: unknown,
  options: ParseInferenceServiceOptions = {},
): InferenceServiceSummary {
  const metadata = readMetadata(object);
  const spec = objectAt(objectAt(object).spec);
  const status = objectAt(objectAt(object).status);
  const predictorStatus = objectAt(objectAt(status.components).predictor);
  const modelStatus = objectAt(status.modelStatus);
  const conditions = readConditions(status.conditions);
  return withoutUndefined<InferenceServiceSummary>({
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    uid: metadata.uid,
    creationTimestamp: metadata.creationTimestamp,
    url: stringAt(status.url),
    internalUrl: stringAt(objectAt(status.address).url),
    ready: conditions.some(c => c.type === 'Ready' && c.status === 'True'),
    conditions,
    ...readDeploymentMode(
      status,
      metadata.annotations,
      options.defaultDeploymentMode ?? KSERVE_DEFAULT_DEPLOYMENT_MODE,
    ),
    predictor: readPredictor(objectAt(spec.predictor), status),
    hasTransformer: isPlainObject(spec.transformer),
    hasExplainer: isPlainObject(spec.explainer),
    traffic: readTraffic(predictorStatus.traffic),
    latestReadyRevision: stringAt(predictorStatus.latestReadyRevision),
    latestCreatedRevision: stringAt(predictorStatus.latestCreatedRevision),
    latestRolledoutRevision: stringAt(predictorStatus.latestRolledoutRevision),
    previousRolledoutRevision: stringAt(
      predictorStatus.previousRolledoutRevision,
    ),
    modelState: readModelState(status.modelStatus),
    lastFailureInfo: readFailureInfo(modelStatus.lastFailureInfo),
    generation: metadata.generation,
    observedGeneration: numberAt(status.observedGeneration),
    labels: metadata.labels,
    resourceVersion: metadata.resourceVersion,
    stopped: metadata.annotations[KSERVE_STOP_ANNOTATION] === 'true',
    canaries: readCanaries(spec, status),
    servedModel: readServedModelRecord(
      metadata.annotations[SERVED_MODEL_ANNOTATION],
    ),
    canaryModel: readServedModelRecord(
      metadata.annotations[CANARY_MODEL_ANNOTATION],
    ),
    deployedFor: metadata.annotations[DEPLOYED_FOR_ANNOTATION],
  });
}
