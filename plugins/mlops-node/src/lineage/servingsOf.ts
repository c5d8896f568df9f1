import type { InferenceServiceView } from '@mlstack/plugin-mlops-common';

/** What one InferenceService serves: its stable model and, while one runs, its canary. */
export interface ServiceServing {
  role: 'stable' | 'canary';
  /** The registered model version, when the service says which (record or storage URI). */
  modelName?: string;
  version?: string;
  /** MLflow instance of that version. */
  instance?: string;
  trafficPercent: number;
  /** Whether that part serves: the service's Ready, or the canary's own status. */
  ready?: boolean;
  /** The Knative revision (or Standard-mode canary name) behind it, when known. */
  revision?: string;
}

function clampPercent(value: number): number {
  return Math.max(0, Math.min(100, value));
}

/**
 * The stable and canary parts of a service, with their traffic. The version of each part comes
 * from the portal's records (`mlstack.io/served-model`, `mlstack.io/canary-model`); without a
 * record, from the storage URI match (which names the spec's predictor: the stable model, or in
 * Knative mode during a canary the canary's model).
 *
 * Standard mode: each `spec.canary` entry has its `trafficPercent`; the stable predictor gets
 * the rest. Knative mode: `canaryTrafficPercent` on the predictor goes to the latest revision,
 * the rest to the previous one (as `status.components.predictor.traffic` lists them).
 */
export function servingsOf(service: InferenceServiceView): ServiceServing[] {
  const matched = service.modelVersion;
  const knativeCanaryPercent =
    service.canaries.length === 0
      ? service.predictor.canaryTrafficPercent
      : undefined;
  const knativeCanary =
    knativeCanaryPercent !== undefined && knativeCanaryPercent > 0;
  const stableRecord = service.servedModel;
  const stableFromMatch = knativeCanary ? undefined : matched;

  const canaries: ServiceServing[] = service.canaries.map(canary => ({
    role: 'canary',
    modelName: service.canaryModel?.modelName,
    version: service.canaryModel?.version,
    instance: service.canaryModel?.instance,
    trafficPercent: clampPercent(canary.trafficPercent),
    ready: canary.ready,
    revision: canary.name,
  }));
  if (knativeCanary) {
    const record = service.canaryModel;
    canaries.push({
      role: 'canary',
      modelName: record?.modelName ?? matched?.modelName,
      version: record?.version ?? matched?.version,
      instance: record?.instance ?? matched?.instance,
      trafficPercent: clampPercent(knativeCanaryPercent),
      ready: service.ready,
      revision: service.traffic.find(t => t.latest)?.revisionName,
    });
  }

  const canaryPercent = canaries.reduce((sum, c) => sum + c.trafficPercent, 0);
  const stable: ServiceServing = {
    role: 'stable',
    modelName: stableRecord?.modelName ?? stableFromMatch?.modelName,
    version: stableRecord?.version ?? stableFromMatch?.version,
    instance: stableRecord?.instance ?? stableFromMatch?.instance,
    trafficPercent: clampPercent(100 - canaryPercent),
    ready: service.ready,
    revision: knativeCanary
      ? service.traffic.find(t => !t.latest)?.revisionName ??
        service.previousRolledoutRevision
      : service.latestReadyRevision,
  };
  return [stable, ...canaries];
}
