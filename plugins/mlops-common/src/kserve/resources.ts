import type { DeployResources } from './deploy';

/** Kubernetes quantity suffixes (k8s.io/apimachinery resource.Quantity). */
const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * A Kubernetes quantity as it is written in a deploy (`500m`, `1`, `512Mi`, `1.5`).
 *
 * @public
 */
export const QUANTITY =
  /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The value of a quantity (cores, bytes), or undefined when it is not one. */
export function quantityValue(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity);
  return match ? Number(match[1]) * SUFFIXES[match[2] ?? ''] : undefined;
}

/**
 * What Kubernetes would refuse only when it creates the predictor's pods (after the deploy
 * reported success): a limit below its request. One message per broken pair.
 *
 * @public
 */
export function resourceProblems(resources: DeployResources = {}): string[] {
  const problems: string[] = [];
  for (const [resource, request, limit] of [
    ['cpu', resources.cpuRequest, resources.cpuLimit],
    ['memory', resources.memoryRequest, resources.memoryLimit],
  ] as const) {
    const requested =
      request === undefined ? undefined : quantityValue(request);
    const limited = limit === undefined ? undefined : quantityValue(limit);
    if (
      requested !== undefined &&
      limited !== undefined &&
      limited < requested
    ) {
      problems.push(
        `the ${resource} limit ${limit} is below its request ${request}`,
      );
    }
  }
  return problems;
}
