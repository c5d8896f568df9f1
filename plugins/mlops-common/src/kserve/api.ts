import type { InferenceServiceSummary } from './types';

/**
 * Responses of the backend's KServe routes. Every route is keyed by the entity:
 *
 *   base = /api/mlops/entities/:kind/:namespace/:name/kserve
 *
 * | route                                          | query                       | response                       |
 * |------------------------------------------------|-----------------------------|--------------------------------|
 * | GET base/inference-services                    |                             | InferenceServicesResponse      |
 * | GET base/inference-services/:service/logs      | component (default          | InferenceServiceLogs           |
 * |                                                | predictor), tailLines       |                                |
 * | GET base/inference-services/:service/events    |                             | InferenceServiceEvents         |
 *
 * The entity's services are those named by `mlstack.io/kserve-inference-service` plus those
 * matching `mlstack.io/kserve-selector`, in the namespace of `backstage.io/kubernetes-namespace`
 * on the cluster of `mlstack.io/kubernetes-cluster`. Errors as for the Argo routes.
 */

/**
 * The MLflow model version a service serves, found by matching its storage URI.
 *
 * @public
 */
export interface ServedModelVersion {
  /** MLflow instance name. */
  instance: string;
  modelName: string;
  version: string;
  /** Aliases of that version (e.g. `champion`). */
  aliases: string[];
  /** Link to the version in the MLflow UI. */
  uiUrl: string;
}

/**
 * An InferenceService of the entity, with the MLflow model version it serves when that is known.
 *
 * @public
 */
export interface InferenceServiceView extends InferenceServiceSummary {
  /** Set when the storage URI is that of a version of one of the entity's registered models. */
  modelVersion?: ServedModelVersion;
}

/**
 * The entity's InferenceServices (`GET …/kserve/inference-services`).
 *
 * @public
 */
export interface InferenceServicesResponse {
  cluster: string;
  namespace: string;
  services: InferenceServiceView[];
  /** Names from the annotation that the cluster does not have. */
  missingServices: string[];
}

/**
 * One Kubernetes event about a service, its Deployments, ReplicaSets or pods.
 *
 * @public
 */
export interface InferenceServiceEvent {
  /** `Normal` or `Warning`. */
  type: string;
  reason?: string;
  message?: string;
  /** `<kind>/<name>` of the object the event is about. */
  object: string;
  count: number;
  /** The last time it happened (RFC 3339). */
  lastSeen?: string;
}

/**
 * `GET base/inference-services/:service/events`: newest first, at most 100.
 *
 * @public
 */
export interface InferenceServiceEvents {
  service: string;
  events: InferenceServiceEvent[];
}

/**
 * Logs of a service component's pod (the newest pod; `kserve-container`).
 *
 * @public
 */
export interface InferenceServiceLogs {
  service: string;
  component: 'predictor' | 'transformer' | 'explainer';
  /** Absent when no pod runs. */
  podName?: string;
  container: string;
  available: boolean;
  reason?: string;
  text: string;
}
