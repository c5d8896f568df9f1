import type { ServedModelRecord } from './deploy';

/**
 * KServe objects as the MLStack backend returns them: normalised from the
 * `serving.kserve.io/v1beta1` InferenceService custom resource (KServe v0.20). Times are the
 * RFC 3339 strings Kubernetes uses. Nothing here carries `metadata.managedFields`, env
 * values or pod specs.
 */

/**
 * How KServe deploys the service, in KServe's current names: `Knative` (formerly
 * `Serverless`), `Standard` (formerly `RawDeployment`) or `ModelMesh`; `Unknown` for a value
 * KServe does not define.
 *
 * @public
 */
export type InferenceServiceDeploymentMode =
  | 'Knative'
  | 'Standard'
  | 'ModelMesh'
  | 'Unknown';

/**
 * Where deploymentMode came from; `default` means nothing on the object says it.
 *
 * @public
 */
export type InferenceServiceDeploymentModeSource =
  | 'status'
  | 'annotation'
  | 'default';

/**
 * A Knative-style condition of `status.conditions`.
 *
 * @public
 */
export interface InferenceServiceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  /** `Info`, `Warning` or `Error`; absent means Error. */
  severity?: string;
}

/**
 * A `spec.predictor.model.storage` entry: a key of the `storage-config` secret plus a path.
 *
 * @public
 */
export interface InferenceServiceStorageSpec {
  key?: string;
  path?: string;
  schemaPath?: string;
  /** Overrides of the secret's fields (bucket, type, endpoint, …). */
  parameters: Record<string, string>;
}

/**
 * The resource requests and limits of the predictor container (e.g. `cpu: 500m`).
 *
 * @public
 */
export interface InferenceServiceResources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}

/**
 * The predictor of an InferenceService: model format, runtime, protocol and where the model is.
 *
 * @public
 */
export interface InferenceServicePredictor {
  /** `model.modelFormat`, or `{ name: <framework> }` for the legacy framework keys. */
  modelFormat?: { name: string; version?: string };
  /** The legacy framework key used (`sklearn`, `tensorflow`, …), if the spec uses one. */
  framework?: string;
  /** `model.runtime`, else the runtime the controller chose (`status.servingRuntimeName`). */
  runtime?: string;
  runtimeVersion?: string;
  /** `v1`, `v2`, `grpc-v1` or `grpc-v2` as written; KServe assumes v1 when absent. */
  protocolVersion?: string;
  /**
   * Where the model is: `storageUri` of the model or framework spec, the first
   * `predictor.storageUris` entry, `STORAGE_URI` of a custom container, or for a storage spec
   * `s3://<bucket>/<path>` (`<type>://<path>` for other types) when its parameters name the
   * type (and the bucket, for s3); otherwise only the `storage-config` secret knows.
   */
  storageUri?: string;
  /** The storage spec, when the model is found through the `storage-config` secret. */
  storage?: InferenceServiceStorageSpec;
  /** Image of a custom predictor container. */
  image?: string;
  /** Share of traffic the latest revision gets during a canary rollout (Knative mode). */
  canaryTrafficPercent?: number;
  minReplicas?: number;
  maxReplicas?: number;
  resources?: InferenceServiceResources;
  serviceAccountName?: string;
}

/**
 * One entry of `status.components.predictor.traffic` (Knative mode).
 *
 * @public
 */
export interface InferenceServiceTraffic {
  revisionName?: string;
  percent: number;
  /** Whether this target follows the latest ready revision. */
  latest: boolean;
  tag?: string;
  url?: string;
}

/**
 * `status.modelStatus`: the model's state in the predictor.
 *
 * @public
 */
export interface InferenceServiceModelState {
  /** `Pending`, `Standby`, `Loading`, `Loaded` or `FailedToLoad`. */
  activeModelState?: string;
  targetModelState?: string;
  /** `UpToDate`, `InProgress`, `BlockedByFailedLoad` or `InvalidSpec`. */
  transitionStatus?: string;
  failedCopies?: number;
  totalCopies?: number;
}

/**
 * `status.modelStatus.lastFailureInfo`.
 *
 * @public
 */
export interface InferenceServiceFailureInfo {
  reason?: string;
  message?: string;
  time?: string;
  exitCode?: number;
  modelRevisionName?: string;
  location?: string;
}

/**
 * An InferenceService as the views show it: status, predictor, traffic, canaries and what the portal recorded on it.
 *
 * @public
 */
export interface InferenceServiceSummary {
  name: string;
  namespace: string;
  uid?: string;
  creationTimestamp?: string;
  /** External URL (`status.url`). */
  url?: string;
  /** Cluster-internal URL (`status.address.url`). */
  internalUrl?: string;
  /** The `Ready` condition is True. */
  ready: boolean;
  conditions: InferenceServiceCondition[];
  deploymentMode: InferenceServiceDeploymentMode;
  deploymentModeSource: InferenceServiceDeploymentModeSource;
  predictor: InferenceServicePredictor;
  /** Whether the spec has a transformer / explainer besides the predictor. */
  hasTransformer: boolean;
  hasExplainer: boolean;
  /** The predictor's traffic split; empty outside Knative mode or before the first rollout. */
  traffic: InferenceServiceTraffic[];
  latestReadyRevision?: string;
  latestCreatedRevision?: string;
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  modelState?: InferenceServiceModelState;
  lastFailureInfo?: InferenceServiceFailureInfo;
  /** `metadata.generation` and `status.observedGeneration`: differ while a change rolls out. */
  generation?: number;
  observedGeneration?: number;
  labels: Record<string, string>;
  /** `metadata.resourceVersion`: what promote, roll back, stop and delete are computed from. */
  resourceVersion?: string;
  /** `serving.kserve.io/stop` is "true": KServe scales the service away. */
  stopped: boolean;
  /** `spec.canary` entries (Standard mode), with their status when KServe reported one. */
  canaries: InferenceServiceCanary[];
  /** What the portal recorded it deployed (`mlstack.io/served-model`), if it did. */
  servedModel?: ServedModelRecord;
  /** The canary's model (`mlstack.io/canary-model`), while a canary runs. */
  canaryModel?: ServedModelRecord;
  /** The entity the portal deployed it for (`mlstack.io/entity-ref`). */
  deployedFor?: string;
}

/**
 * One `spec.canary` entry and its `status.canaryStatuses` entry (KServe v0.20, Standard).
 *
 * @public
 */
export interface InferenceServiceCanary {
  name: string;
  trafficPercent: number;
  predictor: InferenceServicePredictor;
  /** From `status.canaryStatuses`; absent until KServe reports it. */
  ready?: boolean;
  modelState?: InferenceServiceModelState;
}
