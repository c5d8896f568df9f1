import type { InferenceServiceSummary } from './types';

/**
 * Self-service deploys of MLflow model versions to KServe: the contract between the deploy
 * dialog, the backend's deploy routes and the `mlops:kserve:deploy` scaffolder action.
 *
 *   base = /api/mlops/entities/:kind/:namespace/:name/kserve
 *
 * | route                                             | body                  | response            |
 * |---------------------------------------------------|-----------------------|---------------------|
 * | GET    base/deploy/targets                        |                       | DeployTargetsResponse |
 * | POST   base/deploy/preview                        | DeployRequest         | DeployPreview       |
 * | POST   base/deploy                                | DeployRequest         | RolloutResult (201) |
 * | POST   base/inference-services/:service/promote   | RolloutRequest        | RolloutResult       |
 * | POST   base/inference-services/:service/rollback  | RolloutRequest        | RolloutResult       |
 * | POST   base/inference-services/:service/stop      | RolloutRequest        | RolloutResult       |
 * | POST   base/inference-services/:service/start     | RolloutRequest        | RolloutResult       |
 * | DELETE base/inference-services/:service           | RolloutRequest        | RolloutResult       |
 *
 * Every write is a resource permission on the entity (`mlops.kserve.service.*`), checked by the
 * permission policy and recorded by the auditor with the object before and after. The storage
 * URI is resolved by the backend from MLflow; the browser never names one.
 */

/**
 * How KServe runs the service (`serving.kserve.io/deploymentMode`).
 *
 * @public
 */
export type DeployMode = 'Standard' | 'Knative';

/**
 * The deployment modes a deploy can choose from.
 *
 * @public
 */
export const DEPLOY_MODES: readonly DeployMode[] = ['Standard', 'Knative'];

/**
 * Where a model may be deployed: one entry of `mlops.deploy.targets`, for one entity.
 *
 * @public
 */
export interface DeployTarget {
  cluster: string;
  namespace: string;
  /** Modes the target allows, the first being the default. */
  modes: DeployMode[];
  /** The service account the predictor runs as (it holds the storage credentials). */
  serviceAccountName?: string;
  /** Set when the entity may not deploy here (e.g. its owner does not own the namespace). */
  refusedReason?: string;
}

/**
 * Where the entity may deploy, and the runtimes to choose from (`GET …/kserve/deploy/targets`).
 *
 * @public
 */
export interface DeployTargetsResponse {
  targets: DeployTarget[];
  /** The model server runtimes a deploy may choose from. */
  runtimes: DeployRuntime[];
}

/**
 * A KServe ServingRuntime the portal knows how to fill in.
 *
 * @public
 */
export interface DeployRuntime {
  /** The ClusterServingRuntime's name, e.g. `kserve-sklearnserver`. */
  name: string;
  /** `spec.predictor.model.modelFormat.name` it serves, e.g. `sklearn` or `mlflow`. */
  modelFormat: string;
  protocolVersion: 'v1' | 'v2';
  /** The MLflow flavors it serves. */
  flavors: string[];
}

/**
 * What to deploy: a registered model version (by number or alias), or a run's logged model.
 *
 * @public
 */
export type DeploySource =
  | { type: 'modelVersion'; modelName: string; version: string }
  | { type: 'modelAlias'; modelName: string; alias: string }
  | { type: 'loggedModel'; modelId: string };

/**
 * CPU and memory requests and limits of the predictor, as Kubernetes quantities.
 *
 * @public
 */
export interface DeployResources {
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
}

/**
 * The body of a deploy and of its preview (`POST …/kserve/deploy`, `POST …/kserve/deploy/preview`).
 *
 * @public
 */
export interface DeployRequest {
  source: DeploySource;
  target: { cluster: string; namespace: string };
  /** The InferenceService's name (DNS-1035 label, at most 45 characters). */
  serviceName: string;
  mode: DeployMode;
  /** A runtime of DeployTargetsResponse.runtimes; by default the one for the model's flavor. */
  runtime?: string;
  /**
   * Share of traffic for the new version while the service keeps its current one: 0 replaces
   * the served version (full rollout); 1–99 starts a canary. A new service takes 100 %.
   */
  canaryTrafficPercent: number;
  resources?: DeployResources;
  minReplicas?: number;
  maxReplicas?: number;
  /**
   * The state the deploy was decided on (the preview's `resourceVersion`): `null` when the
   * service must not exist yet, a version when it must still be at that version. Otherwise the
   * deploy is a 409 and nothing is applied. Left out, the deploy applies to whatever is there.
   */
  expectedResourceVersion?: string | null;
}

/**
 * The MLflow model a service serves, as the portal recorded it on the object.
 *
 * @public
 */
export interface ServedModelRecord {
  instance: string;
  /** The registered model and version, when deployed from one. */
  modelName?: string;
  version?: string;
  /** The logged model (MLflow 3), when known. */
  modelId?: string;
  runId?: string;
  storageUri: string;
  deployedBy?: string;
  deployedAt: string;
}

/**
 * The model a deploy resolved, before anything is applied.
 *
 * @public
 */
export interface ResolvedModel extends ServedModelRecord {
  /** Flavors of the model's MLmodel file (e.g. `python_function`, `sklearn`). */
  flavors: string[];
  runtime: DeployRuntime;
}

/**
 * What a deploy would do: the object to apply, checked by a server-side dry run.
 *
 * @public
 */
export interface DeployPreview {
  /** `create` (new service), `replace` (full rollout) or `canary`. */
  action: 'create' | 'replace' | 'canary';
  model: ResolvedModel;
  /** The InferenceService as it would be applied (server-side apply, no managed fields). */
  manifest: Record<string, unknown>;
  /** The service as it is now, when it exists. */
  current?: InferenceServiceSummary;
  /** The `resourceVersion` the change was computed from (apply fails if it moved). */
  resourceVersion?: string;
  /** What a canary does on this target, when that needs saying (e.g. no traffic split). */
  notes: string[];
}

/**
 * The body of promote, roll back, stop, start and delete.
 *
 * @public
 */
export interface RolloutRequest {
  /** The `resourceVersion` the user saw; the change is refused (409) if the object moved. */
  resourceVersion?: string;
}

/**
 * What a deploy or rollout did to a service.
 *
 * @public
 */
export type RolloutAction =
  | 'create'
  | 'replace'
  | 'canary'
  | 'promote'
  | 'rollback'
  | 'stop'
  | 'start'
  | 'delete';

/**
 * The outcome of a deploy, promote, roll back, stop, start or delete.
 *
 * @public
 */
export interface RolloutResult {
  action: RolloutAction;
  cluster: string;
  namespace: string;
  service: string;
  /** The object after the change (absent after delete). */
  summary?: InferenceServiceSummary;
  /** MLflow version tags written or removed; a failure here is reported, not fatal. */
  mlflowTags: { written: string[]; removed: string[]; failed: string[] };
}

/**
 * Annotations the portal writes on the InferenceServices it deploys (and reads back for the
 * Serving tab and lineage). Values are JSON ServedModelRecord documents.
 *
 * @public
 */
export const SERVED_MODEL_ANNOTATION = 'mlstack.io/served-model';
/**
 * The model of the running canary, as a JSON ServedModelRecord; removed when the canary is promoted or rolled back.
 *
 * @public
 */
export const CANARY_MODEL_ANNOTATION = 'mlstack.io/canary-model';
/**
 * The entity the service was deployed for (full ref); with the `backstage.io/kubernetes-id` label.
 *
 * @public
 */
export const DEPLOYED_FOR_ANNOTATION = 'mlstack.io/entity-ref';
/**
 * The label that ties a deployed service to its entity (`backstage.io/kubernetes-id`).
 *
 * @public
 */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/**
 * The field manager of every write the portal makes to an InferenceService.
 *
 * @public
 */
export const DEPLOY_FIELD_MANAGER = 'mlstack-portal';
/**
 * Prefix of the MLflow model version tags saying where a version serves:
 * `mlstack.io/serving/<cluster>/<namespace>/<service>` = `{"role":"stable"|"canary","trafficPercent":n}`.
 *
 * @public
 */
export const SERVING_TAG_PREFIX = 'mlstack.io/serving/';
