import type { PlainObject } from '../../kubernetes/objects';
import {
  arrayAt,
  isPlainObject,
  numberAt,
  objectAt,
  stringAt,
} from '../../kubernetes/objects';

/** Autoscaling fields KServe v0.20 refuses on a canary predictor (they belong to the stable one). */
const CANARY_AUTOSCALING_FIELDS = [
  'scaleTarget',
  'scaleMetric',
  'scaleMetricType',
  'autoScaling',
];

/** KServe's default `minReplicas` when a predictor sets none. */
const DEFAULT_MIN_REPLICAS = 1;

/**
 * KServe v0.20's rules for `spec.canary` (Standard mode), as its validating webhook checks them
 * (`pkg/apis/serving/v1beta1/inference_service_validation.go`): checked before applying,
 * since a cluster may run without the webhook. Returns each broken rule, or [] when none is.
 */
export function canaryRuleProblems(spec: PlainObject, mode: string): string[] {
  const canaries = arrayAt(spec.canary).filter(isPlainObject);
  if (canaries.length === 0) {
    return [];
  }
  const problems: string[] = [];
  if (mode !== 'Standard') {
    problems.push(
      `spec.canary is for Standard mode only; in ${mode} mode a canary is spec.predictor.canaryTrafficPercent`,
    );
  }
  const stable = objectAt(spec.predictor);
  const stableName = stringAt(stable.name);
  const stableMin = numberAt(stable.minReplicas) ?? DEFAULT_MIN_REPLICAS;
  const names = new Set<string>();
  let total = 0;
  canaries.forEach((entry, i) => {
    const at = `spec.canary[${i}]`;
    const predictor = objectAt(entry.predictor);
    const name = stringAt(predictor.name);
    const percent = numberAt(entry.trafficPercent);
    if (!name) {
      problems.push(`${at}.predictor.name is required`);
    } else if (name === stableName) {
      problems.push(
        `${at}.predictor.name '${name}' is the stable predictor's name`,
      );
    } else if (names.has(name)) {
      problems.push(`${at}.predictor.name '${name}' is used twice`);
    } else {
      names.add(name);
    }
    if (percent === undefined || percent < 0 || percent > 100) {
      problems.push(`${at}.trafficPercent must be 0 to 100`);
    } else {
      total += percent;
    }
    for (const field of CANARY_AUTOSCALING_FIELDS) {
      if (predictor[field] !== undefined) {
        problems.push(
          `${at}.predictor.${field}: autoscaling belongs to the stable predictor`,
        );
      }
    }
    if (predictor.workerSpec !== undefined) {
      problems.push(`${at}.predictor.workerSpec is not allowed on a canary`);
    }
    const min = numberAt(predictor.minReplicas);
    if (min !== undefined && min > stableMin) {
      problems.push(
        `${at}.predictor.minReplicas ${min} is more than the stable predictor's ${stableMin}`,
      );
    }
  });
  if (total > 100) {
    problems.push(`the canaries take ${total} % of the traffic; at most 100 %`);
  }
  return problems;
}
