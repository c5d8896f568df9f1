import type { InferenceServiceView } from '@mlstack/plugin-mlops-common';
import { isRollingOut } from './InferenceServiceCard';

function service(
  deploymentMode: InferenceServiceView['deploymentMode'],
  generation?: number,
  observedGeneration?: number,
): InferenceServiceView {
  return {
    deploymentMode,
    generation,
    observedGeneration,
  } as InferenceServiceView;
}

describe('isRollingOut', () => {
  it('is true for a Knative service whose controller has not observed its latest generation', () => {
    expect(isRollingOut(service('Knative', 3, 2))).toBe(true);
    expect(isRollingOut(service('Knative', 3, 3))).toBe(false);
  });

  it('is false for a Standard service whatever its generations say (KServe reports its Deployment’s)', () => {
    expect(isRollingOut(service('Standard', 3, 1))).toBe(false);
  });

  it('is false while either generation is unknown', () => {
    expect(isRollingOut(service('Knative', undefined, 2))).toBe(false);
    expect(isRollingOut(service('Knative', 3, undefined))).toBe(false);
  });
});
