import { ConflictError, InputError } from '@backstage/errors';
import {
  CANARY_MODEL_ANNOTATION,
  DeployMode,
  SERVED_MODEL_ANNOTATION,
  ServedModelRecord,
} from '@mlstack/plugin-mlops-common';
import {
  PlainObject,
  arrayAt,
  numberAt,
  objectAt,
  stringAt,
} from '../../kubernetes/objects';
import {
  KSERVE_DEPLOYMENT_MODE_ANNOTATION,
  parseInferenceService,
} from '../parseInferenceService';
import { canaryRuleProblems } from './canaryRules';
import {
  INFERENCE_SERVICE_API_VERSION,
  ModelPredictorInput,
  applyBodyFrom,
  modelPredictor,
  setDeployedFor,
  setRecord,
} from './manifest';

export interface DeployPlanInput extends ModelPredictorInput {
  name: string;
  namespace: string;
  mode: DeployMode;
  /** 0: the new model takes all traffic; 1–99: a canary beside the current one. */
  canaryTrafficPercent: number;
  /** The entity's full ref, recorded on the object. */
  entityRef: string;
  /** Labels that put the service in the entity's scope (e.g. `backstage.io/kubernetes-id`). */
  labels: Record<string, string>;
  record: ServedModelRecord;
  /** The service as the cluster has it now; undefined when there is none. */
  current?: unknown;
}

/**
 * The InferenceService a deploy applies, and what the service served before.
 *
 * @public
 */
export interface DeployPlan {
  action: 'create' | 'replace' | 'canary';
  /** The InferenceService to apply. */
  manifest: PlainObject;
  /** What the service served before (stable, and canary), for tags and audit. */
  previous: { stable?: ServedModelRecord; canary?: ServedModelRecord };
  notes: string[];
}

/** The model server's container in every KServe predictor pod. */
const KSERVE_CONTAINER_NAME = 'kserve-container';

const STANDARD_CANARY_NOTE =
  "In Standard mode KServe gives a canary its own Deployment and Service ('<service>-<canary>-predictor'); its share of the service URL's traffic is set on a Gateway API HTTPRoute, so without the Gateway API the canary is reached only at its own address.";

/** The canary entry's name: `v<version>` of a registered version, `m-…` of a logged model. */
export function canaryNameFor(
  record: ServedModelRecord,
  stableName?: string,
): string {
  const base = record.version
    ? `v${record.version}`
    : `m-${(record.modelId ?? 'model')
        .replace(/^m-/, '')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 12)}`;
  return base === stableName ? `${base}-canary` : base;
}

function sameModel(a?: ServedModelRecord, b?: ServedModelRecord): boolean {
  return !!a && !!b && a.storageUri === b.storageUri;
}

/**
 * What to apply to deploy a model: a new InferenceService (`create`), the model replacing the
 * served one with all traffic (`replace`), or a canary beside it (`canary`: a `spec.canary`
 * entry in Standard mode, `canaryTrafficPercent` on the new predictor in Knative mode). The
 * result keeps everything else on the object, and its `resourceVersion`, so applying it fails
 * if the object changed since it was read. InputError / ConflictError say why a deploy cannot
 * be made (a canary of a new service, a canary already running, a mode change, KServe's canary
 * rules).
 */
export function planDeploy(input: DeployPlanInput): DeployPlan {
  const predictor = modelPredictor(input);
  const percent = input.canaryTrafficPercent;
  if (!input.current) {
    if (percent > 0) {
      throw new InputError(
        `InferenceService '${input.name}' does not exist yet: a new service takes all traffic, so deploy it with canaryTrafficPercent 0 and start a canary afterwards`,
      );
    }
    const manifest: PlainObject = {
      apiVersion: INFERENCE_SERVICE_API_VERSION,
      kind: 'InferenceService',
      metadata: {
        name: input.name,
        namespace: input.namespace,
        annotations: { [KSERVE_DEPLOYMENT_MODE_ANNOTATION]: input.mode },
      },
      spec: { predictor },
    };
    setDeployedFor(manifest, input.entityRef, input.labels);
    setRecord(manifest, SERVED_MODEL_ANNOTATION, input.record);
    return { action: 'create', manifest, previous: {}, notes: [] };
  }

  const summary = parseInferenceService(input.current, {
    defaultDeploymentMode: input.mode,
  });
  if (summary.deploymentMode !== input.mode) {
    throw new ConflictError(
      `InferenceService '${input.name}' runs in ${summary.deploymentMode} mode and KServe does not change a service's mode; deploy it in ${summary.deploymentMode} mode or under another name`,
    );
  }
  const previous = {
    stable: summary.servedModel,
    canary: summary.canaryModel,
  };
  const manifest = applyBodyFrom(input.current);
  setDeployedFor(manifest, input.entityRef, input.labels);
  const spec = objectAt(manifest.spec);
  const stable = objectAt(spec.predictor);
  const canaryRunning =
    arrayAt(spec.canary).length > 0 ||
    (numberAt(stable.canaryTrafficPercent) ?? 0) > 0;

  if (percent === 0) {
    // Full rollout: the new model replaces the predictor; any canary goes.
    spec.predictor = {
      ...predictor,
      ...(stringAt(stable.name) ? { name: stable.name } : {}),
    };
    delete spec.canary;
    setRecord(manifest, SERVED_MODEL_ANNOTATION, input.record);
    setRecord(manifest, CANARY_MODEL_ANNOTATION, undefined);
    return { action: 'replace', manifest, previous, notes: [] };
  }

  if (canaryRunning) {
    throw new ConflictError(
      `InferenceService '${input.name}' already runs a canary${
        previous.canary?.version ? ` (version ${previous.canary.version})` : ''
      }; promote it or roll it back first`,
    );
  }
  // The portal's record, or the artifacts themselves for a service another tool (the
  // pipeline's deploy step) wrote without one: KServe v0.20 would also refuse to promote such a
  // canary ("predictor.name change requires a model change").
  if (
    sameModel(previous.stable, input.record) ||
    stringAt(objectAt(stable.model).storageUri) === input.record.storageUri
  ) {
    throw new InputError(
      `InferenceService '${input.name}' already serves that model to all of its traffic`,
    );
  }
  const notes: string[] = [];
  if (input.mode === 'Standard') {
    const name = canaryNameFor(input.record, stringAt(stable.name));
    const stableMin = numberAt(stable.minReplicas) ?? 1;
    const { maxReplicas: _max, ...canaryPredictor } = predictor;
    spec.canary = [
      {
        trafficPercent: percent,
        predictor: {
          ...canaryPredictor,
          // The v0.20 CRD requires the canary model's container name (the stable predictor's
          // is defaulted by KServe to the same `kserve-container`).
          model: {
            ...(canaryPredictor.model as PlainObject),
            name: KSERVE_CONTAINER_NAME,
          },
          name,
          minReplicas: Math.min(
            numberAt(canaryPredictor.minReplicas) ?? stableMin,
            stableMin,
          ),
        },
      },
    ];
    notes.push(STANDARD_CANARY_NOTE);
  } else {
    spec.predictor = {
      ...predictor,
      ...(stringAt(stable.name) ? { name: stable.name } : {}),
      canaryTrafficPercent: percent,
    };
    if (!summary.latestRolledoutRevision) {
      notes.push(
        'KServe splits Knative traffic only once a revision has rolled out; until then the new revision takes all traffic.',
      );
    }
  }
  const problems = canaryRuleProblems(spec, input.mode);
  if (problems.length > 0) {
    throw new InputError(
      `The canary breaks KServe's rules: ${problems.join('; ')}`,
    );
  }
  setRecord(manifest, CANARY_MODEL_ANNOTATION, input.record);
  return { action: 'canary', manifest, previous, notes };
}
