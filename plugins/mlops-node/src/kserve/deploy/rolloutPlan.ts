import { ConflictError } from '@backstage/errors';
import {
  CANARY_MODEL_ANNOTATION,
  SERVED_MODEL_ANNOTATION,
  ServedModelRecord,
} from '@mlstack/plugin-mlops-common';
import {
  PlainObject,
  arrayAt,
  isPlainObject,
  numberAt,
  objectAt,
} from '../../kubernetes/objects';
import {
  KSERVE_STOP_ANNOTATION,
  parseInferenceService,
} from '../parseInferenceService';
import { annotationsOf, applyBodyFrom, setRecord } from './manifest';

export interface RolloutPlan {
  /** The InferenceService to apply (with the resourceVersion it was computed from). */
  manifest: PlainObject;
  /** The model that now takes the service's traffic, and the one that stopped serving. */
  serving?: ServedModelRecord;
  retired?: ServedModelRecord;
}

/** Merges a canary predictor over the stable one, as KServe builds the canary's pods. */
function mergeOver(stable: PlainObject, canary: PlainObject): PlainObject {
  const merged: PlainObject = { ...stable };
  for (const [key, value] of Object.entries(canary)) {
    merged[key] =
      isPlainObject(value) && isPlainObject(stable[key])
        ? mergeOver(stable[key] as PlainObject, value)
        : value;
  }
  return merged;
}

function noCanary(name: string): ConflictError {
  return new ConflictError(
    `InferenceService '${name}' runs no canary to promote or roll back`,
  );
}

/**
 * Promote (KServe v0.20): Standard mode, the canary's predictor (merged over the stable one,
 * with its name, so KServe reuses the canary's Deployment) becomes `spec.predictor` and its
 * entry goes; its model's container name does not come along (the v0.20 CRD asks it of a
 * canary, and KServe's validating webhook refuses it on `spec.predictor`: "the 'name' field is
 * not allowed in standard predictor"; found on the harness's node); Knative mode,
 * `canaryTrafficPercent` goes, so the latest revision takes all traffic. ConflictError when
 * no canary runs, or more than one (say which one with a Standard-mode object of one canary).
 */
export function planPromote(current: unknown): RolloutPlan {
  const summary = parseInferenceService(current);
  const manifest = applyBodyFrom(current);
  const spec = objectAt(manifest.spec);
  const predictor = objectAt(spec.predictor);
  if (summary.deploymentMode === 'Standard') {
    const canaries = arrayAt(spec.canary).filter(isPlainObject);
    if (canaries.length === 0) throw noCanary(summary.name);
    if (canaries.length > 1) {
      throw new ConflictError(
        `InferenceService '${summary.name}' runs ${canaries.length} canaries; the portal promotes a service with one`,
      );
    }
    const promoted = mergeOver(predictor, objectAt(canaries[0].predictor));
    if (isPlainObject(promoted.model)) delete promoted.model.name;
    spec.predictor = promoted;
    delete spec.canary;
  } else {
    // 0 is a rolled-back canary: promoting it would bring back what was rolled back.
    const percent = numberAt(predictor.canaryTrafficPercent);
    if (percent === undefined || percent === 0) throw noCanary(summary.name);
    delete predictor.canaryTrafficPercent;
  }
  // The canary's model now serves: its record becomes the served one. A canary the portal did
  // not deploy has none, and the stable model's record would be wrong now, so it goes.
  const serving = summary.canaryModel;
  setRecord(manifest, SERVED_MODEL_ANNOTATION, serving);
  setRecord(manifest, CANARY_MODEL_ANNOTATION, undefined);
  return { manifest, serving, retired: summary.servedModel };
}

/**
 * Roll back (KServe v0.20): Standard mode, the canary entry goes; Knative mode,
 * `canaryTrafficPercent: 0` sends all traffic back to the last rolled-out revision (the
 * canary's spec stays, at 0 %, until the next deploy).
 */
export function planRollback(current: unknown): RolloutPlan {
  const summary = parseInferenceService(current);
  const manifest = applyBodyFrom(current);
  const spec = objectAt(manifest.spec);
  const predictor = objectAt(spec.predictor);
  if (summary.deploymentMode === 'Standard') {
    if (arrayAt(spec.canary).length === 0) throw noCanary(summary.name);
    delete spec.canary;
    setRecord(manifest, CANARY_MODEL_ANNOTATION, undefined);
  } else {
    const percent = numberAt(predictor.canaryTrafficPercent);
    if (percent === undefined || percent === 0) throw noCanary(summary.name);
    predictor.canaryTrafficPercent = 0;
  }
  return {
    manifest,
    serving: summary.servedModel,
    retired: summary.canaryModel,
  };
}

/** Stop (`serving.kserve.io/stop: "true"`) or start ("false") the service. */
export function planStop(current: unknown, stop: boolean): RolloutPlan {
  const summary = parseInferenceService(current);
  if (summary.stopped === stop) {
    throw new ConflictError(
      `InferenceService '${summary.name}' is already ${
        stop ? 'stopped' : 'running'
      }`,
    );
  }
  const manifest = applyBodyFrom(current);
  annotationsOf(manifest)[KSERVE_STOP_ANNOTATION] = stop ? 'true' : 'false';
  return { manifest, serving: summary.servedModel };
}
