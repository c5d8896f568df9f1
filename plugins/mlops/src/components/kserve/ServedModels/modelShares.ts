import type {
  InferenceServiceView,
  ServedModelRecord,
} from '@mlstack/plugin-mlops-common';
import { formatTime } from '../../../utils/format';
import { describeServedModel } from '../../../utils/servedModel';

/** One model a service serves, and its share of the traffic. */
export interface ModelShare {
  role: 'stable' | 'canary';
  /** `Stable`, `Canary`, `Canary <name>`, `Previous revision`, … */
  label: string;
  /** The model in words: `fraud-detector v3`, `logged model m-…`, a storage URI. */
  model: string;
  storageUri?: string;
  /** Share of traffic in percent; undefined when not known. */
  percent?: number;
  /** Whether a canary is ready, when KServe reported it. */
  ready?: boolean;
  /** Who deployed it and when, as the portal recorded it. */
  deployed?: string;
}

function deployedText(record?: ServedModelRecord): string | undefined {
  if (!record) {
    return undefined;
  }
  const by = record.deployedBy ? ` by ${record.deployedBy}` : '';
  return `Deployed${by} ${formatTime(record.deployedAt)}`;
}

/** The model the predictor serves: as the portal recorded it, or matched from MLflow. */
function predictorModel(
  service: InferenceServiceView,
): Pick<ModelShare, 'model' | 'storageUri' | 'deployed'> {
  const storageUri = service.predictor.storageUri;
  if (service.servedModel) {
    return {
      model: describeServedModel(service.servedModel),
      storageUri: service.servedModel.storageUri,
      deployed: deployedText(service.servedModel),
    };
  }
  if (service.modelVersion) {
    const { modelName, version } = service.modelVersion;
    return { model: `${modelName} v${version}`, storageUri };
  }
  return { model: storageUri ?? 'Unknown model', storageUri };
}

/**
 * Which model serves which share of the traffic: the stable model, and the canaries of
 * `spec.canary` (Standard mode) or the latest revision of a Knative canary rollout.
 */
export function modelShares(service: InferenceServiceView): ModelShare[] {
  const stable = predictorModel(service);
  const { canaries, canaryModel } = service;

  if (canaries.length > 0) {
    const canaryTotal = canaries.reduce((sum, c) => sum + c.trafficPercent, 0);
    return [
      {
        ...stable,
        role: 'stable',
        label: 'Stable',
        percent: Math.max(0, 100 - canaryTotal),
      },
      ...canaries.map((c, i): ModelShare => {
        const recorded = i === 0 ? canaryModel : undefined;
        return {
          role: 'canary',
          label: canaries.length > 1 ? `Canary ${c.name}` : 'Canary',
          model: recorded
            ? describeServedModel(recorded)
            : c.predictor.storageUri ?? 'Unknown model',
          storageUri: recorded?.storageUri ?? c.predictor.storageUri,
          percent: c.trafficPercent,
          ready: c.ready,
          deployed: deployedText(recorded),
        };
      }),
    ];
  }

  // Knative: the latest revision takes canaryTrafficPercent, the previous one the rest.
  const percent = service.predictor.canaryTrafficPercent;
  if (percent !== undefined && percent < 100) {
    const ready = service.latestCreatedRevision
      ? service.latestCreatedRevision === service.latestReadyRevision
      : undefined;
    if (canaryModel) {
      return [
        { ...stable, role: 'stable', label: 'Stable', percent: 100 - percent },
        {
          role: 'canary',
          label: 'Canary',
          model: describeServedModel(canaryModel),
          storageUri: canaryModel.storageUri,
          percent,
          ready,
          deployed: deployedText(canaryModel),
        },
      ];
    }
    return [
      {
        role: 'stable',
        label: 'Previous revision',
        model: 'The model rolled out before',
        percent: 100 - percent,
      },
      {
        ...predictorModel({ ...service, servedModel: undefined }),
        role: 'canary',
        label: 'Canary (latest revision)',
        percent,
        ready,
      },
    ];
  }
  return [{ ...stable, role: 'stable', label: 'Stable', percent: 100 }];
}

/** Whether a canary runs (promote and roll back apply). */
export function hasCanary(service: InferenceServiceView): boolean {
  return modelShares(service).some(s => s.role === 'canary');
}
